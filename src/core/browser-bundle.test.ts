import { builtinModules } from "node:module";
import { fileURLToPath } from "node:url";
import vm from "node:vm";
import { gzipSync } from "node:zlib";
import { type BuildOptions, build, type Metafile } from "esbuild";
import { beforeAll, describe, expect, it } from "vitest";
import type * as Core from "./index.js";

/** The browser-safe entry point of the package ("trackdown"). */
const ENTRY = fileURLToPath(new URL("./index.ts", import.meta.url));

/** Module names that only exist in Node (with or without the `node:` prefix). */
const NODE_ONLY = new Set([
  ...builtinModules,
  "fs",
  "path",
  "os",
  "crypto",
  "child_process",
  "url",
  "util",
  "stream",
  "buffer",
  "events",
]);

/** Whether a metafile path or import names Node's own modules, or Trackdown's Node-only code. */
function isNodeOnly(path: string): boolean {
  // "(disabled):fs" is a built-in a package's "browser" field stubbed out: still flagged.
  const name = path.replace(/^\(disabled\):/, "");
  const bare = name.replace(/^node:/, "").split("/")[0]!;
  return (
    name.startsWith("node:") ||
    NODE_ONLY.has(bare) ||
    /(^|\/)src\/(node|cli)\//.test(name) ||
    /(^|\/)node_modules\/(fs-extra|graceful-fs|chokidar)\//.test(name)
  );
}

const COMMON: BuildOptions = {
  entryPoints: [ENTRY],
  bundle: true,
  write: false,
  metafile: true,
  minify: true,
  platform: "browser",
  logLevel: "silent",
};

/** A tiny but complete tracker: two people, a project, three tasks with a dependency. */
const FILES: Record<string, string> = {
  "trackdown.yml": `version: 1
key: demo
name: Demo
timezone: UTC
workflow:
  statuses:
    - { id: todo, category: todo }
    - { id: doing, category: in-progress, required: [assignees] }
    - { id: done, category: done }
priorities: [high, medium, low]
`,
  "people/ana.yml": "name: Ana\n",
  "people/ben.yml": "name: Ben\n",
  "projects/web/project.md": "---\nkey: WEB\nname: Web\n---\nThe web shop.\n",
  "projects/web/tasks/WEB-1-payment-provider.md":
    "---\nid: WEB-1\ntitle: Payment provider\nstatus: doing\nassignees: [ana]\npriority: high\n" +
    "due: 2026-11-20\n---\nConnect the payment provider.\n",
  "projects/web/tasks/WEB-2-checkout-page.md":
    "---\nid: WEB-2\ntitle: Checkout page\nstatus: todo\nassignees: [ben]\npriority: medium\n" +
    "depends_on: [WEB-1]\n---\nThe checkout page with a coupon field.\n\n- [ ] design\n- [x] copy\n",
  "projects/web/tasks/WEB-3-landing-page.md":
    "---\nid: WEB-3\ntitle: Landing page\nstatus: done\nassignees: [ana]\n---\nShipped.\n",
};

let esm: { code: Uint8Array; metafile: Metafile };
let iife: string;

beforeAll(async () => {
  const result = await build({ ...COMMON, format: "esm" });
  expect(result.errors).toEqual([]);
  esm = { code: result.outputFiles![0]!.contents, metafile: result.metafile! };
  const script = await build({ ...COMMON, format: "iife", globalName: "Trackdown" });
  expect(script.errors).toEqual([]);
  iife = script.outputFiles![0]!.text;
});

describe("the browser bundle of trackdown's core", () => {
  it("bundles for the browser with no Node built-in or Node-only module", () => {
    const inputs = Object.keys(esm.metafile.inputs);
    expect(inputs.some((p) => p.endsWith("src/core/index.ts"))).toBe(true);
    expect(inputs.filter(isNodeOnly)).toEqual([]);
    // Nothing left as an import to resolve at run time (Node built-ins would be).
    const imports = Object.values(esm.metafile.inputs).flatMap((i) => i.imports);
    expect(imports.filter((i) => i.external || isNodeOnly(i.path))).toEqual([]);
    for (const output of Object.values(esm.metafile.outputs)) expect(output.imports).toEqual([]);
    const gzipped = gzipSync(esm.code).length;
    console.log(
      `browser bundle of src/core/index.ts: ${(esm.code.length / 1024).toFixed(0)} KB minified, ` +
        `${(gzipped / 1024).toFixed(0)} KB gzipped, ${inputs.length} inputs`,
    );
    expect(esm.code.length).toBeGreaterThan(0);
  });

  it("runs with only what a browser has: opens, queries and searches a tracker", async () => {
    // A fresh realm: no require, process, Buffer, module or global; only web APIs.
    const sandbox: Record<string, unknown> = { TextDecoder, TextEncoder, Intl, console, URL };
    vm.runInNewContext(iife, sandbox, { filename: "trackdown.iife.js" });
    expect(vm.runInNewContext("typeof process + typeof require + typeof Buffer", sandbox)).toBe(
      "undefinedundefinedundefined",
    );
    const Trackdown = sandbox.Trackdown as typeof Core;
    expect(typeof Trackdown.openTracker).toBe("function");

    const tracker = await Trackdown.openTracker(Trackdown.memorySource(FILES));
    expect([...tracker.diagnostics]).toEqual([]);
    expect(tracker.tasks.map((t) => t.id)).toEqual(["WEB-1", "WEB-2", "WEB-3"]);

    const today = "2026-11-27";
    const mine = Trackdown.query(tracker, "assignee:ana is:open", { today });
    expect(mine.ok).toBe(true);
    expect(mine.tasks.map((t) => t.id)).toEqual(["WEB-1"]);
    const blocked = Trackdown.query(tracker, "is:blocked", { today });
    expect(blocked.tasks.map((t) => t.id)).toEqual(["WEB-2"]);
    const overdue = Trackdown.query(tracker, "is:overdue sort:-priority", { today });
    expect(overdue.tasks.map((t) => t.id)).toEqual(["WEB-1"]);
    const bad = Trackdown.query(tracker, "asignee:ana", { today });
    expect(bad.ok).toBe(false);
    expect(bad.problems[0]?.hint).toBe('Did you mean "assignee:"?');

    const hits = Trackdown.search(tracker, "coupon");
    expect(hits.map((h) => h.task.id)).toEqual(["WEB-2"]);
    expect([...hits[0]!.fields]).toEqual(["body"]);
    const json = Trackdown.searchIndexFor(tracker).toJSON();
    const loaded = Trackdown.loadSearchIndex(json, tracker);
    expect(loaded.search("payment").map((h) => h.task.id)).toEqual(["WEB-1"]);

    const index = Trackdown.indexTracker(tracker, { today });
    expect(index.facts(tracker.task("WEB-2")!).blockers).toEqual(["WEB-1"]);
  });
});
