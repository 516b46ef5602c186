import { run } from "../cli/main.js";

/** The result of running the CLI in-process. */
export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `trackdown …args` in-process with captured output, as a user in `cwd` would. */
export async function runCli(
  args: readonly string[],
  options: { cwd: string; env?: Record<string, string>; tty?: boolean } = { cwd: process.cwd() },
): Promise<CliResult> {
  let stdout = "";
  let stderr = "";
  const code = await run(args, {
    cwd: options.cwd,
    env: options.env ?? {},
    stdout: {
      write: (s: string) => {
        stdout += s;
      },
      isTTY: options.tty ?? false,
      columns: 100,
    },
    stderr: {
      write: (s: string) => {
        stderr += s;
      },
      isTTY: options.tty ?? false,
    },
  });
  return { code, stdout, stderr };
}
