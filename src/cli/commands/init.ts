import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { slugify } from "../../core/ids.js";
import { SCHEMAS, type SchemaKind } from "../../core/schemas.generated.js";
import { CliError, type CliIO } from "../io.js";

export interface InitOptions {
  readonly key?: string;
  readonly name?: string;
  /** Key of the first project (upper case). */
  readonly project: string;
  readonly projectName?: string;
  /** Write .vscode settings (default true). */
  readonly editor: boolean;
}

const SCHEMA_GLOBS: Record<SchemaKind, string[]> = {
  config: ["trackdown.yml"],
  person: ["people/*.yml"],
  team: ["teams/*.yml"],
  "time-entry": ["time/**/*.yml"],
  project: [],
  milestone: [],
  task: [],
};

/** `trackdown init [dir]`: writes a new tracker and the editor settings for its files. */
export async function runInit(
  io: CliIO,
  dirArg: string | undefined,
  options: InitOptions,
): Promise<number> {
  const dir = resolve(io.cwd, dirArg ?? "tracker");
  if (existsSync(join(dir, "trackdown.yml"))) {
    throw new CliError(
      `${dirArg ?? "tracker"}/trackdown.yml already exists; init never overwrites a tracker.`,
    );
  }
  if (!/^[A-Z][A-Z0-9]{1,9}$/.test(options.project)) {
    throw new CliError(
      `--project "${options.project}" is not a project key: 2–10 upper-case letters or digits, starting with a letter (e.g. WEB).`,
    );
  }
  const folderName = dir.split(sep).pop() ?? "tracker";
  const key =
    options.key ??
    (slugify(folderName === "tracker" ? (dirname(dir).split(sep).pop() ?? "team") : folderName) ||
      "team");
  if (!/^[a-z0-9][a-z0-9-]{0,39}$/.test(key))
    throw new CliError(`--key "${key}" must be lower case letters, digits and dashes.`);
  const name = options.name ?? key;
  const written: string[] = [];
  const write = (path: string, text: string) => {
    const full = join(dir, path);
    if (existsSync(full)) return;
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, text);
    written.push(path);
  };

  const me = gitUser(io.cwd);
  write("trackdown.yml", configText(key, name, me === undefined ? undefined : "admin"));
  write(".gitignore", "# local cache of parsed files; safe to delete\n.trackdown/\n");
  for (const [kind, schema] of Object.entries(SCHEMAS)) {
    write(`schemas/${kind}.schema.json`, `${JSON.stringify(schema, null, 2)}\n`);
  }
  const folder = options.project.toLowerCase();
  write(
    `projects/${folder}/project.md`,
    `---\n# yaml-language-server: $schema=../../schemas/project.schema.json\nkey: ${options.project}\nname: ${JSON.stringify(options.projectName ?? options.project)}\nstatus: active\n${me !== undefined ? `lead: ${me.id}\n` : ""}---\nWhat this project is for, who it serves and what done looks like.\n`,
  );
  write(`projects/${folder}/tasks/.gitkeep`, "");
  write(`projects/${folder}/milestones/.gitkeep`, "");
  write("time/.gitkeep", "");
  write("files/.gitkeep", "");
  write("teams/.gitkeep", "");
  if (me !== undefined) {
    write(
      `people/${me.id}.yml`,
      `# yaml-language-server: $schema=../schemas/person.schema.json\nname: ${JSON.stringify(me.name)}\n${me.email !== undefined ? `email: ${me.email}\n` : ""}roles: [admin]\n`,
    );
  } else {
    write("people/.gitkeep", "");
  }
  write(
    "templates/task.md",
    "---\nid: {{id}}\ntitle: {{title}}\nstatus: {{status}}\nassignees: []\npriority: medium\nlabels: []\n---\n## What\n\n## Why\n\n## Done when\n- [ ] \n",
  );

  io.stdout.write(
    `Created a tracker in ${relative(io.cwd, dir) || "."}:\n${written.map((w) => `  ${w}`).join("\n")}\n`,
  );
  if (options.editor) io.stdout.write(editorSettings(io, dir));
  io.stdout.write(
    `\nNext: add people in people/, then run \`trackdown check ${relative(io.cwd, dir) || "."}\`.\n`,
  );
  return 0;
}

function configText(key: string, name: string, adminRole: string | undefined): string {
  void adminRole;
  return `# yaml-language-server: $schema=./schemas/config.schema.json
# Trackdown settings. Every field is described in docs/format.md and in schemas/.
version: 1
key: ${key}
name: ${JSON.stringify(name)}
timezone: UTC
hours_per_day: 8
estimate_unit: points

workflow:
  # Board columns, left to right. category: todo | in-progress | done
  statuses:
    - { id: backlog, name: Backlog, category: todo }
    - { id: todo, name: To do, category: todo }
    - { id: doing, name: Doing, category: in-progress, wip_limit: 5, required: [assignees] }
    - { id: review, name: Review, category: in-progress, wip_limit: 3, required: [assignees] }
    - { id: done, name: Done, category: done }
    - { id: cancelled, name: Cancelled, category: done }
  initial: backlog
  # Allowed moves; "*" applies to statuses not listed. Remove this block to allow any move.
  transitions:
    backlog: [todo, cancelled]
    todo: [doing, backlog, cancelled]
    doing: [review, todo, cancelled]
    review: [done, doing]
    done: [doing]
    cancelled: [backlog]

priorities: [urgent, high, medium, low]

roles:
  admin:
    description: Can change anything, including these settings.
    permissions: ["*"]
  lead:
    description: Plans the work.
    permissions: [task:create, task:edit, task:delete, task:assign, task:move, milestone:edit, project:edit, time:log-any, teams:edit]
  member:
    description: Does the work.
    permissions: [task:create, task:edit, task:assign, task:move:todo, task:move:doing, task:move:review, time:log-own]
  guest:
    description: May propose tasks.
    permissions: [task:create]
default_role: guest
`;
}

function gitUser(cwd: string): { id: string; name: string; email?: string } | undefined {
  const read = (key: string) => {
    try {
      return execFileSync("git", ["config", "--get", key], {
        cwd,
        encoding: "utf8",
        stdio: ["ignore", "pipe", "ignore"],
      }).trim();
    } catch {
      return "";
    }
  };
  const name = read("user.name");
  if (name === "") return undefined;
  const email = read("user.email");
  const id = slugify(email !== "" ? email.split("@")[0]! : name, 4) || "me";
  return { id, name, ...(email !== "" ? { email } : {}) };
}

/** Adds the tracker's schemas to `.vscode/settings.json` of the workspace (git root or cwd). */
function editorSettings(io: CliIO, dir: string): string {
  let workspace = io.cwd;
  try {
    workspace =
      execFileSync("git", ["rev-parse", "--show-toplevel"], {
        cwd: io.cwd,
        encoding: "utf8",
        stdio: ["ignore", "pipe", "ignore"],
      }).trim() || io.cwd;
  } catch {
    workspace = io.cwd;
  }
  const rel = relative(workspace, dir).split(sep).join("/");
  const prefix = rel === "" ? "" : `${rel}/`;
  const schemas: Record<string, string[]> = {};
  for (const [kind, globs] of Object.entries(SCHEMA_GLOBS)) {
    if (globs.length > 0)
      schemas[`./${prefix}schemas/${kind}.schema.json`] = globs.map((g) => `${prefix}${g}`);
  }
  const settingsPath = join(workspace, ".vscode", "settings.json");
  const extensionsPath = join(workspace, ".vscode", "extensions.json");
  const notes: string[] = [];
  const merge = (
    path: string,
    update: (json: Record<string, unknown>) => void,
    snippet: unknown,
  ) => {
    let json: Record<string, unknown> = {};
    if (existsSync(path)) {
      try {
        const parsed: unknown = JSON.parse(readFileSync(path, "utf8"));
        if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
          throw new Error("not an object");
        json = parsed as Record<string, unknown>;
      } catch {
        notes.push(
          `${relative(io.cwd, path)} could not be read as plain JSON (comments?), so it was left as it is. Add:\n${JSON.stringify(snippet, null, 2)}`,
        );
        return;
      }
    }
    update(json);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, `${JSON.stringify(json, null, 2)}\n`);
    notes.push(`Updated ${relative(io.cwd, path)}`);
  };
  merge(
    settingsPath,
    (json) => {
      json["yaml.schemas"] = {
        ...((json["yaml.schemas"] as object | undefined) ?? {}),
        ...schemas,
      };
    },
    { "yaml.schemas": schemas },
  );
  merge(
    extensionsPath,
    (json) => {
      const list = Array.isArray(json.recommendations) ? (json.recommendations as string[]) : [];
      if (!list.includes("redhat.vscode-yaml")) list.push("redhat.vscode-yaml");
      json.recommendations = list;
    },
    { recommendations: ["redhat.vscode-yaml"] },
  );
  return `\n${notes.join("\n")} so VS Code's YAML extension completes and checks trackdown.yml, people, teams and time entries.\nTask, project and milestone front matter is checked by \`trackdown check\`.\n`;
}
