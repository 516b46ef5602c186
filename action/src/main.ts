import * as core from "@actions/core";
import { runCheck } from "./check.js";
import { readContext, SetupError } from "./context.js";
import { runDigest } from "./digest.js";
import { type GitHub, gitHubClient } from "./github.js";
import { runNotify } from "./notify.js";

/**
 * The Action's entry point (bundled to action/dist/index.js, run by the runner with
 * node24). It reads only data from the repository, never runs anything from it, and turns
 * every failure into a message on the step.
 */
export async function run(): Promise<number> {
  try {
    const ctx = readContext();
    let client: GitHub | undefined;
    const github = (): GitHub => {
      if (ctx.inputs.token === "") {
        throw new SetupError(
          "The input token is empty; the default (github.token) is needed to comment and to open digest issues.",
        );
      }
      client ??= gitHubClient({ token: ctx.inputs.token, log: (m) => core.info(m) });
      return client;
    };
    switch (ctx.inputs.mode) {
      case "check":
        return await runCheck(ctx, github);
      case "notify":
        return await runNotify(ctx, github);
      case "digest":
        return await runDigest(ctx, github);
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    core.setFailed(
      error instanceof SetupError || (error as Error | null)?.name === "GitProblem"
        ? message
        : `Trackdown failed: ${message}`,
    );
    return 1;
  }
}

process.exitCode = await run();
