import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ACTION_BUNDLE } from "../../src/test-support/action.js";
import { REPO_ROOT } from "../../src/test-support/temp.js";

describe("the committed Action bundle", () => {
  it("is what action/src builds today (run `npm run build:action` and commit it)", () => {
    const check = spawnSync(
      process.execPath,
      [join(REPO_ROOT, "scripts", "build-action.js"), "--check"],
      {
        encoding: "utf8",
      },
    );
    expect(check.stderr).toBe("");
    expect(check.status).toBe(0);
  });

  it("runs on the runner's node24 as an ES module, with nothing to install", () => {
    const action = readFileSync(ACTION_BUNDLE.replace(/dist[/\\]index\.js$/, "action.yml"), "utf8");
    expect(action).toMatch(/runs:\s*\n\s*using: node24\s*\n\s*main: dist\/index\.js/);
    const bundle = readFileSync(ACTION_BUNDLE, "utf8");
    // only node's own modules are imported or required; everything else is inside
    const loaded = [
      ...bundle.matchAll(/^import .* from "([^"]+)";$/gm),
      ...bundle.matchAll(/__require\("([^"]+)"\)/g),
    ].map((m) => m[1]!.replace(/^node:/, ""));
    expect(loaded.length).toBeGreaterThan(0);
    expect(loaded.filter((m) => !builtinModules.includes(m))).toEqual([]);
  });
});
