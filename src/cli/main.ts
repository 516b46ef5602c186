import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { VERSION } from "../node/version.js";
import { CHECK_FORMATS, type CheckFormat, runCheck } from "./commands/check.js";
import { runInit } from "./commands/init.js";
import { runSummary } from "./commands/summary.js";
import { CliError, type CliIO } from "./io.js";

const nonNegativeInt = (value: string): number => {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError("expected a whole number, 0 or more.");
  return Number(value);
};

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
        exitCode = await runCheck(io, path, opts);
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
        exitCode = await runInit(io, dir, opts);
      },
    );

  program
    .command("summary")
    .description("Print projects, tasks by status and open work per person.")
    .argument("[path]", "the tracker folder")
    .action(async (path: string | undefined) => {
      exitCode = await runSummary(io, path);
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
