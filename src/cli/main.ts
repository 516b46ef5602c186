import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { VERSION } from "../node/version.js";
import type { CheckFormat } from "./commands/check.js";
import type { DiffFormat } from "./commands/diff.js";
import type { ListFormat } from "./commands/list.js";
import { CliError, type CliIO } from "./io.js";
import { safeText } from "./render/width.js";

// Commands load their modules when they run: `trackdown list` never compiles isomorphic-git,
// marked or minisearch unless it needs them, which keeps start-up short.
const CHECK_FORMATS: readonly CheckFormat[] = ["text", "json", "github", "sarif"];
const LIST_FORMATS: readonly ListFormat[] = ["table", "json", "csv", "md"];
const DIFF_FORMATS: readonly DiffFormat[] = ["text", "json", "md"];

const nonNegativeInt = (value: string): number => {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError("expected a whole number, 0 or more.");
  return Number(value);
};
const positiveInt = (value: string): number => {
  if (!/^[1-9]\d*$/.test(value))
    throw new InvalidArgumentError("expected a whole number, 1 or more.");
  return Number(value);
};
/** `-f, --format <format>` with its choices and default. */
const formatOption = (
  choices: readonly string[],
  fallback: string,
  description = "output format",
): Option => new Option("-f, --format <format>", description).choices(choices).default(fallback);
const TRACKER_OPTION = [
  "-t, --tracker <dir>",
  "the tracker folder (default: found from the working folder upwards)",
] as const;
const AT_OPTION = [
  "--at <rev|date>",
  "read the tracker as it was at a commit, branch, tag or date (YYYY-MM-DD)",
] as const;
const QUERY_HELP =
  "\nQueries: see docs/query.md, e.g. 'assignee:@me is:open sort:-priority,due'. Exit codes: 0 ok (also when nothing matches), 1 no such task or project, 2 bad query or usage.";

/**
 * Runs the CLI with arguments (without `node` and the script) and returns the exit code:
 * 0 success, 1 problems found, 2 usage or I/O failure.
 */
export async function run(argv: readonly string[], io: CliIO): Promise<number> {
  let exitCode = 0;
  const program = new Command()
    .name("trackdown")
    .description(
      "A Git-native project tracker: plans as Markdown and YAML files in your repository.",
    )
    .version(VERSION, "-V, --version")
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    });

  program
    .command("check")
    .description("Validate the tracker and report every problem with its file, line and column.")
    .argument("[path]", "the tracker folder, or a folder inside a repository that has one")
    .addOption(formatOption(CHECK_FORMATS, "text"))
    .option("--max-warnings <n>", "fail when there are more warnings than this", nonNegativeInt)
    .option("--no-cache", "ignore and do not update .trackdown/cache")
    .addHelpText(
      "after",
      "\nExit codes: 0 no errors, 1 errors (or more warnings than --max-warnings), 2 usage or I/O failure.",
    )
    .action(
      async (
        path: string | undefined,
        opts: { format: CheckFormat; maxWarnings?: number; cache: boolean },
      ) => {
        exitCode = await (await import("./commands/check.js")).runCheck(io, path, opts);
      },
    );

  program
    .command("init")
    .description(
      "Create a new tracker (default folder: tracker/) and editor settings for its schemas.",
    )
    .argument("[dir]", "folder to create the tracker in", "tracker")
    .option("--key <key>", "short lower-case id of the tracker")
    .option("--name <name>", "display name of the tracker")
    .option("--project <KEY>", "key of the first project", "MAIN")
    .option("--project-name <name>", "name of the first project")
    .option("--no-editor", "do not write .vscode settings")
    .action(
      async (
        dir: string,
        opts: {
          key?: string;
          name?: string;
          project: string;
          projectName?: string;
          editor: boolean;
        },
      ) => {
        exitCode = await (await import("./commands/init.js")).runInit(io, dir, opts);
      },
    );

  program
    .command("list")
    .alias("ls")
    .description(
      "List the tasks matching a query, as a table that fits the terminal, JSON, CSV or Markdown.",
    )
    .argument("[query...]", "the query (all arguments are joined with spaces)")
    .option(...TRACKER_OPTION)
    .option(...AT_OPTION)
    .addOption(formatOption(LIST_FORMATS, "table"))
    .option(
      "-c, --columns <list>",
      "columns to show, comma-separated (id,status,priority,assignees,due,title by default)",
    )
    .option("-n, --limit <n>", "show at most this many tasks", positiveInt)
    .addHelpText("after", QUERY_HELP)
    .action(
      async (
        words: string[],
        opts: { tracker?: string; format: ListFormat; columns?: string; limit?: number },
      ) => {
        exitCode = await (await import("./commands/list.js")).runList(io, words, opts);
      },
    );

  program
    .command("show")
    .description("Show a task: its fields, relations both ways, time logged and its description.")
    .argument("<id>", "the task id, e.g. WEB-12")
    .option(...TRACKER_OPTION)
    .option(...AT_OPTION)
    .addOption(formatOption(["text", "json"], "text"))
    .action(
      async (id: string, opts: { tracker?: string; at?: string; format: "text" | "json" }) => {
        exitCode = await (await import("./commands/show.js")).runShow(io, id, opts);
      },
    );

  program
    .command("board")
    .description(
      "Show a kanban board in the terminal: a column per status with WIP counts against the limits.",
    )
    .argument("[project]", "a project key or folder (default: every project)")
    .option(...TRACKER_OPTION)
    .option(...AT_OPTION)
    .addOption(new Option("--by <lanes>", "swimlanes").choices(["assignee", "priority"]))
    .option("-q, --query <query>", "show only the tasks matching a query")
    .option("-n, --limit <n>", "most cards per column", positiveInt, 10)
    .action(
      async (
        project: string | undefined,
        opts: {
          tracker?: string;
          at?: string;
          by?: "assignee" | "priority";
          query?: string;
          limit: number;
        },
      ) => {
        exitCode = await (await import("./commands/board.js")).runBoard(io, project, opts);
      },
    );

  program
    .command("search")
    .description(
      "Full-text search over task ids, titles, labels and descriptions (prefix and fuzzy).",
    )
    .argument("<text...>", "the words to find")
    .option(...TRACKER_OPTION)
    .addOption(formatOption(["table", "json"], "table"))
    .option("-n, --limit <n>", "most results", positiveInt, 20)
    .option("--any", "match tasks with any of the words (default: all of them)", false)
    .action(
      async (
        words: string[],
        opts: { tracker?: string; format: "table" | "json"; limit: number; any: boolean },
      ) => {
        exitCode = await (await import("./commands/search.js")).runSearch(io, words, opts);
      },
    );

  program
    .command("stats")
    .description("Count tasks by status, person, milestone and project (optionally for a query).")
    .argument("[query...]", "only count the tasks matching this query")
    .option(...TRACKER_OPTION)
    .option(...AT_OPTION)
    .addOption(formatOption(["table", "json"], "table"))
    .action(
      async (
        words: string[],
        opts: { tracker?: string; at?: string; format: "table" | "json" },
      ) => {
        exitCode = await (await import("./commands/stats.js")).runStats(io, words, opts);
      },
    );

  program
    .command("diff")
    .description(
      "Show the plan changes between two commits (A..B), a commit and the working tree (A), or HEAD and the working tree.",
    )
    .argument("[range]", "A..B, or A, e.g. main..HEAD")
    .option(...TRACKER_OPTION)
    .addOption(formatOption(DIFF_FORMATS, "text"))
    .action(async (range: string | undefined, opts: { tracker?: string; format: DiffFormat }) => {
      exitCode = await (await import("./commands/diff.js")).runDiff(io, range, opts);
    });

  program
    .command("history")
    .description(
      "Every change to a task, commit by commit (first-parent history of HEAD), with who and when.",
    )
    .argument("<id>", "the task id")
    .option(...TRACKER_OPTION)
    .addOption(formatOption(["text", "json"], "text"))
    .option("-n, --limit <n>", "walk back at most this many commits", positiveInt)
    .action(
      async (id: string, opts: { tracker?: string; format: "text" | "json"; limit?: number }) => {
        exitCode = await (await import("./commands/history.js")).runHistory(io, id, opts);
      },
    );

  program
    .command("activity")
    .description("The plan changes commit by commit, newest first.")
    .option(...TRACKER_OPTION)
    .option("--since <date>", "only commits on or after this day (YYYY-MM-DD)")
    .addOption(formatOption(["text", "json"], "text"))
    .option("-n, --limit <n>", "walk back at most this many commits", positiveInt)
    .action(
      async (opts: {
        tracker?: string;
        since?: string;
        format: "text" | "json";
        limit?: number;
      }) => {
        exitCode = await (await import("./commands/history.js")).runActivity(io, opts);
      },
    );

  program
    .command("report")
    .description(
      "Flow reports from the git history: cycle-time (with lead time and percentiles), throughput per week, cfd (cumulative flow), burndown, burnup.",
    )
    .argument(
      "<kind>",
      "cycle-time | throughput | cfd | burndown | burnup | age | timesheet | workload | velocity | forecast",
    )
    .option(...TRACKER_OPTION)
    .option("-m, --milestone <id>", "the milestone (burndown, burnup)")
    .option("-p, --project <key>", "only this project's tasks")
    .option("--from <date>", "only from this day (YYYY-MM-DD)")
    .option("--to <date>", "only up to this day (YYYY-MM-DD)")
    .addOption(
      new Option("--by <unit>", "what burn charts count")
        .choices(["estimate", "count"])
        .default("estimate"),
    )
    .addOption(formatOption(["table", "json", "csv", "md", "svg"], "table"))
    .action(
      async (
        kind: string,
        opts: {
          tracker?: string;
          milestone?: string;
          project?: string;
          from?: string;
          to?: string;
          by: "estimate" | "count";
          format: "table" | "json" | "csv" | "md" | "svg";
        },
      ) => {
        exitCode = await (await import("./commands/report.js")).runReport(io, kind, opts);
      },
    );

  const site = program
    .command("site")
    .description(
      "The dashboard site: build it (static files), preview the build, or develop with live reload.",
    );
  site
    .command("build")
    .description("Build the static site of a tracker with Astro.")
    .option(...TRACKER_OPTION)
    .option("-o, --out <dir>", "the output folder", "site-dist")
    .option(
      "--base <path>",
      "the URL path the site is served under, e.g. /my-repo/ on GitHub Pages",
      "/",
    )
    .option("--at <rev>", "the tracker as it was at a commit, branch, tag or date")
    .option(
      "--url <url>",
      "where it will be published, for absolute links in feeds (default: GitHub Pages of the origin remote)",
    )
    .option(
      "--full",
      "render every page, even when an earlier build in the output folder could be reused",
    )
    .action(
      async (opts: {
        tracker?: string;
        out: string;
        base: string;
        at?: string;
        url?: string;
        full?: boolean;
      }) => {
        exitCode = await (await import("./commands/site.js")).runSiteBuild(io, opts);
      },
    );
  site
    .command("preview")
    .description("Serve a built site on http://127.0.0.1 (the port given, 4321 by default).")
    .option("-o, --out <dir>", "the built site's folder", "site-dist")
    .option("--base <path>", "the base path it was built with", "/")
    .option("-p, --port <port>", "the port", "4321")
    .action(async (opts: { out: string; base: string; port: string }) => {
      exitCode = await (await import("./commands/site.js")).runSitePreview(io, opts);
    });
  site
    .command("dev")
    .description("Serve the site while you edit: it reloads when a tracker file changes.")
    .option(...TRACKER_OPTION)
    .option("--base <path>", "the base path", "/")
    .option("-p, --port <port>", "the port", "4321")
    .action(async (opts: { tracker?: string; base: string; port: string }) => {
      exitCode = await (await import("./commands/site.js")).runSiteDev(io, opts);
    });

  program
    .command("watch")
    .description(
      "Re-check the tracker on every save and print only what changed in its problems (Ctrl-C to stop).",
    )
    .option(...TRACKER_OPTION)
    .addOption(
      formatOption(["text", "json"], "text", "output format: text, or one JSON object per line"),
    )
    .action(async (opts: { tracker?: string; format: "text" | "json" }) => {
      exitCode = await (await import("./commands/watch.js")).runWatch(io, opts);
    });

  // ---- write commands: each takes --dry-run (print the patch) and --force (past the workflow)
  const writing = (command: Command): Command =>
    command
      .option(...TRACKER_OPTION)
      .option("-n, --dry-run", "print the change as a patch and write nothing")
      .option(
        "--force",
        "write even when the change breaks a workflow rule or adds an error to the tracker",
      )
      .addHelpText(
        "after",
        "\nExit codes: 0 written (or nothing to change), 1 refused (the change would add an error, or a rule forbids it; nothing written), 2 usage or I/O failure, or a file changed on disk meanwhile.",
      );
  type WriteFlags = { tracker?: string; dryRun?: boolean; force?: boolean };
  const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

  const create = writing(
    program
      .command("new")
      .description(
        "Create a task, milestone, project, person or team file (in a terminal, asks for required fields).",
      )
      .argument("<kind>", "task, milestone, project, person or team")
      .option("-p, --project <key>", "the project of a new task or milestone")
      .option(
        "--id <id>",
        "the id of a new milestone, person or team (default: from its title or name)",
      )
      .option(
        "--folder <name>",
        "the folder of a new project under projects/ (default: from its name)",
      )
      .option("--body-file <file>", "the Markdown body from a file (- for standard input)"),
  );
  const { newFieldOptions } = await import("./new-fields.js");
  const fieldOptions = newFieldOptions();
  for (const f of fieldOptions) {
    if (f.flag === "project") continue;
    create.option(`--${f.flag} <value>`, f.description);
  }
  create.action(
    async (kind: string, opts: WriteFlags & Record<string, string | boolean | undefined>) => {
      const fields: Record<string, string> = {};
      for (const f of fieldOptions) {
        const key = f.flag.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
        const value = opts[key];
        if (typeof value === "string" && f.flag !== "project") fields[f.field] = value;
      }
      const ask =
        process.stdin.isTTY === true && io.stdout.isTTY === true
          ? async (question: string) => {
              const { createInterface } = await import("node:readline/promises");
              const rl = createInterface({ input: process.stdin, output: process.stdout });
              try {
                return await rl.question(question);
              } finally {
                rl.close();
              }
            }
          : undefined;
      exitCode = await (await import("./commands/new.js")).runNew(io, kind, {
        ...opts,
        fields,
        ...(typeof opts.project === "string" ? { project: opts.project } : {}),
        ...(typeof opts.id === "string" ? { id: opts.id } : {}),
        ...(typeof opts.folder === "string" ? { folder: opts.folder } : {}),
        ...(typeof opts.bodyFile === "string" ? { bodyFile: opts.bodyFile } : {}),
        ...(ask !== undefined ? { ask } : {}),
      });
    },
  );

  writing(
    program
      .command("edit")
      .description("Change fields of a task (or a milestone, person, team or project) in place.")
      .argument("<id>", "a task id (WEB-12), or a milestone, person, team or project id")
      .option("--set <field=value>", "set a field (lists: comma-separated); repeatable", collect)
      .option("--unset <field>", "remove a field; repeatable", collect)
      .option(
        "--add <field=value>",
        "add to a list field (labels, assignees…); repeatable",
        collect,
      )
      .option("--remove <field=value>", "remove from a list field; repeatable", collect)
      .option(
        "--body-file <file>",
        "replace the Markdown body with a file's (- for standard input)",
      ),
  ).action(
    async (
      id: string,
      opts: WriteFlags & {
        set?: string[];
        unset?: string[];
        add?: string[];
        remove?: string[];
        bodyFile?: string;
      },
    ) => {
      exitCode = await (await import("./commands/edit.js")).runEdit(io, id, opts);
    },
  );

  writing(
    program
      .command("move")
      .description("Move a task to another status, as the workflow allows.")
      .argument("<id>", "the task")
      .argument("<status>", "the status (its id or name)"),
  ).action(async (id: string, status: string, opts: WriteFlags) => {
    exitCode = await (await import("./commands/move.js")).runMove(io, id, status, opts);
  });

  for (const unassign of [false, true]) {
    writing(
      program
        .command(unassign ? "unassign" : "assign")
        .description(
          unassign
            ? "Remove people from a task's assignees (everyone when no one is named)."
            : "Add people to a task's assignees.",
        )
        .argument("<id>", "the task")
        .argument(
          unassign ? "[people...]" : "<people...>",
          "person ids or GitHub logins (@ optional)",
        ),
    ).action(async (id: string, people: string[], opts: WriteFlags) => {
      exitCode = await (await import("./commands/assign.js")).runAssign(io, id, people, {
        ...opts,
        unassign,
      });
    });
  }

  writing(
    program
      .command("log")
      .description("Log time spent on a task (a new file under time/).")
      .argument("<id>", "the task")
      .argument("<duration>", "like 1h30m, 90m, 1.5h or 2d (days of hours_per_day)")
      .option("--date <YYYY-MM-DD>", "the day of the work (default: today)")
      .option("--note <text>", "what was done, one line")
      .option("--person <id>", "who did the work (default: you, as @me resolves)")
      .option("--billable", "the time can be billed")
      .option("--no-billable", "the time cannot be billed"),
  ).action(
    async (
      id: string,
      duration: string,
      opts: WriteFlags & { date?: string; note?: string; person?: string; billable?: boolean },
    ) => {
      exitCode = await (await import("./commands/log.js")).runLog(io, id, duration, opts);
    },
  );

  writing(
    program
      .command("timer")
      .description(
        "Time work as you do it: start ID, stop (logs the time), status, cancel. Kept in .trackdown/, outside git.",
      )
      .argument("<action>", "start, stop, status or cancel")
      .argument("[id]", "the task (for start)")
      .option("--person <id>", "whose timer (default: yours, as @me resolves)")
      .option("--note <text>", "stop: what was done")
      .option("--billable", "stop: the time can be billed"),
  ).action(
    async (
      action: string,
      id: string | undefined,
      opts: WriteFlags & { person?: string; note?: string; billable?: boolean },
    ) => {
      exitCode = await (await import("./commands/log.js")).runTimer(io, action, id, opts);
    },
  );

  for (const restore of [false, true]) {
    writing(
      program
        .command(restore ? "restore" : "archive")
        .description(
          restore
            ? "Move an archived task back from archive/ to tasks/."
            : "Move a task to its project's archive/ folder (off the boards; its id is never reused).",
        )
        .argument("<id>", "the task"),
    ).action(async (id: string, opts: WriteFlags) => {
      exitCode = await (await import("./commands/archive.js")).runArchive(io, id, {
        ...opts,
        restore,
      });
    });
  }

  writing(
    program
      .command("mv")
      .description(
        "Move a task to another project: it takes that project's next id, and every reference follows.",
      )
      .argument("<id>", "the task")
      .requiredOption("-p, --project <key>", "the project to move it to"),
  ).action(async (id: string, opts: WriteFlags & { project: string }) => {
    exitCode = await (await import("./commands/rename.js")).runMv(io, id, opts);
  });

  writing(
    program
      .command("rename-id")
      .description(
        "Give a task another id; its file, references, time entries and mentions follow.",
      )
      .argument("<old>", "the task's id")
      .argument("<new>", "the new id (another project's key moves it there)"),
  ).action(async (oldId: string, newId: string, opts: WriteFlags) => {
    exitCode = await (await import("./commands/rename.js")).runRenameId(io, oldId, newId, opts);
  });

  writing(
    program
      .command("fix-ids")
      .description(
        "Renumber this branch's new tasks whose ids the base branch gave to other tasks, and their references.",
      )
      .option("--base <branch>", "the branch to compare with", "main"),
  ).action(async (opts: WriteFlags & { base: string }) => {
    exitCode = await (await import("./commands/rename.js")).runFixIds(io, opts);
  });

  program
    .command("summary")
    .description("Print projects, tasks by status and open work per person.")
    .argument("[path]", "the tracker folder")
    .action(async (path: string | undefined) => {
      exitCode = await (await import("./commands/summary.js")).runSummary(io, path);
    });

  try {
    await program.parseAsync([...argv], { from: "user" });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // help and version exit 0; every usage mistake exits 2
      return error.exitCode === 0 ? 0 : 2;
    }
    if (error instanceof CliError) {
      // messages quote names from files: no escape sequence may reach the terminal
      io.stderr.write(`trackdown: ${safeText(error.message)}\n`);
      return error.exitCode;
    }
    io.stderr.write(
      `trackdown: unexpected failure: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    return 2;
  }
}
