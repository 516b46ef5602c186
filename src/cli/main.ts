import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { VERSION } from "../node/version.js";
import type { CheckFormat } from "./commands/check.js";
import type { DiffFormat } from "./commands/diff.js";
import type { ListFormat } from "./commands/list.js";
import { CliError, type CliIO } from "./io.js";

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
    .addOption(
      new Option("-f, --format <format>", "output format").choices(CHECK_FORMATS).default("text"),
    )
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
    .addOption(
      new Option("-f, --format <format>", "output format").choices(LIST_FORMATS).default("table"),
    )
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
    .addOption(
      new Option("-f, --format <format>", "output format")
        .choices(["text", "json"])
        .default("text"),
    )
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
    .addOption(
      new Option("-f, --format <format>", "output format")
        .choices(["table", "json"])
        .default("table"),
    )
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
    .addOption(
      new Option("-f, --format <format>", "output format")
        .choices(["table", "json"])
        .default("table"),
    )
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
    .addOption(
      new Option("-f, --format <format>", "output format").choices(DIFF_FORMATS).default("text"),
    )
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
    .addOption(
      new Option("-f, --format <format>", "output format")
        .choices(["text", "json"])
        .default("text"),
    )
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
    .addOption(
      new Option("-f, --format <format>", "output format")
        .choices(["text", "json"])
        .default("text"),
    )
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
    .addOption(
      new Option("-f, --format <format>", "output format")
        .choices(["table", "json", "csv", "md", "svg"])
        .default("table"),
    )
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
      io.stderr.write(`trackdown: ${error.message}\n`);
      return error.exitCode;
    }
    io.stderr.write(
      `trackdown: unexpected failure: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    return 2;
  }
}
