import type { CliIO } from "../cli/io.js";
import { run } from "../cli/main.js";

/** The result of running the CLI in-process. */
export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A CliIO that keeps what a command prints (not a terminal, 100 columns unless `tty`). */
export function capturedIO(
  cwd: string,
  env: Record<string, string> = {},
  tty = false,
): { io: CliIO; stdout(): string; stderr(): string; result(code: number): CliResult } {
  let stdout = "";
  let stderr = "";
  const io: CliIO = {
    cwd,
    env,
    stdout: {
      write: (s: string) => {
        stdout += s;
      },
      isTTY: tty,
      columns: 100,
    },
    stderr: {
      write: (s: string) => {
        stderr += s;
      },
      isTTY: tty,
    },
  };
  return {
    io,
    stdout: () => stdout,
    stderr: () => stderr,
    result: (code) => ({ code, stdout, stderr }),
  };
}

/** Runs `trackdown …args` in-process with captured output, as a user in `cwd` would. */
export async function runCli(
  args: readonly string[],
  options: { cwd: string; env?: Record<string, string>; tty?: boolean } = { cwd: process.cwd() },
): Promise<CliResult> {
  const captured = capturedIO(options.cwd, options.env ?? {}, options.tty ?? false);
  return captured.result(await run(args, captured.io));
}
