import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, sep } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { SCHEMAS } from "../core/schemas.generated.js";
import { loadTracker } from "../node/load.js";
import { runCli } from "../test-support/cli.js";
import { tempDir } from "../test-support/temp.js";

// init asks git for the workspace root and the user; keep the machine's own git settings
// (a global user.name, a repository around the temp folder) out of these tests.
beforeEach(() => {
  const emptyConfig = join(tempDir("trackdown-gitconfig-"), "gitconfig");
  writeFileSync(emptyConfig, "");
  vi.stubEnv("GIT_CONFIG_GLOBAL", emptyConfig);
  vi.stubEnv("GIT_CONFIG_NOSYSTEM", "1");
  vi.stubEnv("GIT_CEILING_DIRECTORIES", tmpdir());
});
afterEach(() => {
  vi.unstubAllEnvs();
});

const git = (cwd: string, ...args: string[]) =>
  execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

/** A temporary git repository, optionally with a user configured in it. */
function gitRepo(user?: { name: string; email: string }): string {
  const dir = tempDir("trackdown-init-");
  git(dir, "init", "-q");
  if (user !== undefined) {
    git(dir, "config", "user.name", user.name);
    git(dir, "config", "user.email", user.email);
  }
  return dir;
}

/** Every file under a folder (forward-slash paths) with its bytes. */
function snapshot(dir: string): Record<string, Buffer> {
  const files: Record<string, Buffer> = {};
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const full = join(entry.parentPath, entry.name);
    const path = relative(dir, full).split(sep).join("/");
    if (entry.isFile() && !path.startsWith(".git/")) files[path] = readFileSync(full);
  }
  return files;
}

const readJson = (path: string) =>
  JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;

/** What init should put in `yaml.schemas` for a tracker in the workspace's tracker/ folder. */
const YAML_SCHEMAS = {
  "./tracker/schemas/config.schema.json": ["tracker/trackdown.yml"],
  "./tracker/schemas/person.schema.json": ["tracker/people/*.yml"],
  "./tracker/schemas/team.schema.json": ["tracker/teams/*.yml"],
  "./tracker/schemas/time-entry.schema.json": ["tracker/time/**/*.yml"],
};

/** Asserts the files of a new tracker in `<dir>/tracker`. */
function expectNewTracker(dir: string): void {
  const tracker = join(dir, "tracker");
  expect(readFileSync(join(tracker, "trackdown.yml"), "utf8")).toMatch(/^version: 1$/m);
  expect(readFileSync(join(tracker, ".gitignore"), "utf8").split("\n")).toContain(".trackdown/");
  const schemas = readdirSync(join(tracker, "schemas")).sort();
  expect(schemas).toEqual(
    Object.keys(SCHEMAS)
      .map((kind) => `${kind}.schema.json`)
      .sort(),
  );
  for (const [kind, schema] of Object.entries(SCHEMAS)) {
    expect(readJson(join(tracker, "schemas", `${kind}.schema.json`))).toEqual(schema);
  }
  expect(readFileSync(join(tracker, "projects", "main", "project.md"), "utf8")).toMatch(
    /^key: MAIN$/m,
  );
  expect(readFileSync(join(tracker, "templates", "task.md"), "utf8")).toMatch(/^---\nid: /);
}

/** Runs `trackdown check tracker` and asserts it is clean. */
async function expectChecksClean(cwd: string, path = "tracker"): Promise<void> {
  const result = await runCli(["check", path], { cwd });
  expect(result.stderr).toBe("");
  expect(result.stdout).toMatch(/no problems\.\n$/);
  expect(result.code).toBe(0);
}

describe("trackdown init", () => {
  it("creates a tracker in a git repository that checks clean", async () => {
    const repo = gitRepo();
    const result = await runCli(["init"], { cwd: repo });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Created a tracker in tracker:");
    expect(result.stdout).toContain("trackdown check tracker");
    expectNewTracker(repo);
    expect(existsSync(join(repo, "tracker", "people", ".gitkeep"))).toBe(true);
    await expectChecksClean(repo);
  });

  it("creates a tracker in a plain folder that checks clean", async () => {
    const dir = tempDir();
    const result = await runCli(["init"], { cwd: dir });
    expect(result.code).toBe(0);
    expectNewTracker(dir);
    expect(readJson(join(dir, ".vscode", "settings.json"))).toEqual({
      "yaml.schemas": YAML_SCHEMAS,
    });
    await expectChecksClean(dir);
  });

  it("creates the tracker in the folder given", async () => {
    const dir = tempDir();
    const result = await runCli(["init", "plans", "--key", "acme", "--name", "Acme"], { cwd: dir });
    expect(result.code).toBe(0);
    const config = readFileSync(join(dir, "plans", "trackdown.yml"), "utf8");
    expect(config).toMatch(/^key: acme$/m);
    expect(config).toMatch(/^name: "Acme"$/m);
    await expectChecksClean(dir, "plans");
  });

  it("names the first project after --project and --project-name", async () => {
    const dir = tempDir();
    const result = await runCli(["init", "--project", "WEB", "--project-name", "Website"], {
      cwd: dir,
    });
    expect(result.code).toBe(0);
    const project = readFileSync(join(dir, "tracker", "projects", "web", "project.md"), "utf8");
    expect(project).toMatch(/^key: WEB$/m);
    expect(project).toMatch(/^name: "Website"$/m);
    expect(existsSync(join(dir, "tracker", "projects", "main"))).toBe(false);
    await expectChecksClean(dir);
    const tracker = await loadTracker(join(dir, "tracker"), { cache: false });
    expect(tracker.projects.map((p) => [p.folder, p.key, p.name])).toEqual([
      ["web", "WEB", "Website"],
    ]);
  });

  it.each(["web", "W", "1WEB", "WEB-1", "ABCDEFGHIJK"])(
    "refuses the project key %s with exit 2 and writes nothing",
    async (key) => {
      const dir = tempDir();
      const result = await runCli(["init", "--project", key], { cwd: dir });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`--project "${key}" is not a project key`);
      expect(result.stdout).toBe("");
      expect(readdirSync(dir)).toEqual([]);
    },
  );

  it("refuses to run twice and leaves every file byte-identical", async () => {
    const repo = gitRepo({ name: "Ana Souza", email: "ana@example.com" });
    expect((await runCli(["init"], { cwd: repo })).code).toBe(0);
    const before = snapshot(repo);
    expect(Object.keys(before)).toContain("tracker/trackdown.yml");
    expect(Object.keys(before)).toContain(".vscode/settings.json");

    const again = await runCli(["init", "--project", "OTHER"], { cwd: repo });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain("tracker/trackdown.yml already exists");
    expect(snapshot(repo)).toEqual(before);
  });
});

describe("trackdown init: editor settings", () => {
  it("maps the schemas to the tracker's files in .vscode/settings.json", async () => {
    const repo = gitRepo();
    const result = await runCli(["init"], { cwd: repo });
    expect(result.code).toBe(0);
    const settings = readJson(join(repo, ".vscode", "settings.json"));
    expect(settings).toEqual({ "yaml.schemas": YAML_SCHEMAS });
    for (const schema of Object.keys(YAML_SCHEMAS)) {
      expect(existsSync(join(repo, schema)), schema).toBe(true);
    }
    expect(readJson(join(repo, ".vscode", "extensions.json"))).toEqual({
      recommendations: ["redhat.vscode-yaml"],
    });
    expect(result.stdout).toContain("Updated .vscode/settings.json");
  });

  it("writes the settings at the repository root when run from a subfolder", async () => {
    const repo = gitRepo();
    const sub = join(repo, "planning");
    mkdirSync(sub);
    const result = await runCli(["init"], { cwd: sub });
    expect(result.code).toBe(0);
    expect(existsSync(join(sub, ".vscode"))).toBe(false);
    const settings = readJson(join(repo, ".vscode", "settings.json"));
    expect(settings["yaml.schemas"]).toMatchObject({
      "./planning/tracker/schemas/person.schema.json": ["planning/tracker/people/*.yml"],
    });
  });

  it("merges into an existing settings.json and keeps its other keys", async () => {
    const repo = gitRepo();
    mkdirSync(join(repo, ".vscode"));
    writeFileSync(
      join(repo, ".vscode", "settings.json"),
      JSON.stringify({
        "editor.tabSize": 4,
        "yaml.schemas": { "./other.schema.json": ["other/*.yml"] },
      }),
    );
    writeFileSync(
      join(repo, ".vscode", "extensions.json"),
      JSON.stringify({ recommendations: ["biomejs.biome"] }),
    );
    const result = await runCli(["init"], { cwd: repo });
    expect(result.code).toBe(0);
    expect(readJson(join(repo, ".vscode", "settings.json"))).toEqual({
      "editor.tabSize": 4,
      "yaml.schemas": { "./other.schema.json": ["other/*.yml"], ...YAML_SCHEMAS },
    });
    expect(readJson(join(repo, ".vscode", "extensions.json"))).toEqual({
      recommendations: ["biomejs.biome", "redhat.vscode-yaml"],
    });
  });

  it("leaves a settings.json with comments byte-identical and says what to add", async () => {
    const repo = gitRepo();
    mkdirSync(join(repo, ".vscode"));
    const jsonc = '{\n  // two spaces\n  "editor.tabSize": 2,\n}\n';
    writeFileSync(join(repo, ".vscode", "settings.json"), jsonc);
    const result = await runCli(["init"], { cwd: repo });
    expect(result.code).toBe(0);
    expect(readFileSync(join(repo, ".vscode", "settings.json"), "utf8")).toBe(jsonc);
    expect(result.stdout).toContain(".vscode/settings.json could not be read as plain JSON");
    expect(result.stdout).toContain('"yaml.schemas"');
    expect(result.stdout).toContain('"./tracker/schemas/person.schema.json": [\n');
    expect(result.stdout).toContain('"tracker/people/*.yml"');
    expectNewTracker(repo);
  });

  it.each(["null", "[]", '"text"', "42"])(
    "leaves a settings.json that is JSON but not an object (%s) alone and says what to add",
    async (text) => {
      const repo = gitRepo();
      mkdirSync(join(repo, ".vscode"));
      writeFileSync(join(repo, ".vscode", "settings.json"), text);
      const result = await runCli(["init"], { cwd: repo });
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      expect(readFileSync(join(repo, ".vscode", "settings.json"), "utf8")).toBe(text);
      expect(result.stdout).toContain('"./tracker/schemas/person.schema.json": [\n');
      expect(result.stdout).not.toContain("Updated .vscode/settings.json");
      expectNewTracker(repo);
    },
  );

  it("writes no .vscode folder with --no-editor", async () => {
    const repo = gitRepo();
    const result = await runCli(["init", "--no-editor"], { cwd: repo });
    expect(result.code).toBe(0);
    expect(existsSync(join(repo, ".vscode"))).toBe(false);
    expect(result.stdout).not.toContain(".vscode");
    expectNewTracker(repo);
  });
});

describe("trackdown init: the git user", () => {
  it("adds the git user as an admin person who leads the first project", async () => {
    const repo = gitRepo({ name: "Ana Souza", email: "ana@example.com" });
    const result = await runCli(["init"], { cwd: repo });
    expect(result.code).toBe(0);
    const personFile = join(repo, "tracker", "people", "ana.yml");
    const person = readFileSync(personFile, "utf8");
    expect(person).toMatch(/^name: "Ana Souza"$/m);
    expect(person).toMatch(/^email: ana@example.com$/m);
    expect(person).toMatch(/^roles: \[admin\]$/m);
    expect(existsSync(join(repo, "tracker", "people", ".gitkeep"))).toBe(false);
    await expectChecksClean(repo);

    const tracker = await loadTracker(join(repo, "tracker"), { cache: false });
    expect(tracker.people).toEqual([
      expect.objectContaining({
        id: "ana",
        name: "Ana Souza",
        email: "ana@example.com",
        roles: ["admin"],
      }),
    ]);
    expect(Object.keys(tracker.settings.roles)).toContain("admin");
    expect(tracker.projects[0]?.lead).toBe("ana");
  });
});
