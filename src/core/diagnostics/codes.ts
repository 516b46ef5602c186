/**
 * The catalogue of diagnostic codes. Codes never change meaning and are never reused;
 * `docs/diagnostics.md` is generated from this list (`npm run gen:docs`) and a test
 * checks that the two agree.
 *
 * Ranges: TD0xx files and YAML, TD1xx schema, TD2xx references, TD3xx workflow rules,
 * TD4xx pull-request rules (what a change may do, judged by the base branch's rules).
 */

/** How bad a problem is. `error` fails `trackdown check`; `warning` fails it only over `--max-warnings`. */
export type Severity = "error" | "warning" | "info";

/** One entry of the catalogue. */
export interface DiagnosticDefinition {
  /** Stable code such as `TD013`. */
  readonly code: string;
  /** Short kebab-case name, stable as the code. */
  readonly name: string;
  readonly severity: Severity;
  /** One-line title for the documentation. */
  readonly title: string;
  /** What to do about it. */
  readonly hint: string;
  /** A file that shows the problem, for the documentation. */
  readonly example: { readonly file: string; readonly text: string };
  /** How to fix the example. */
  readonly fix: string;
}

const define = <const T extends Record<string, Omit<DiagnosticDefinition, "code">>>(
  entries: T,
): { readonly [K in keyof T]: DiagnosticDefinition & { readonly code: K } } => {
  const out: Record<string, DiagnosticDefinition> = {};
  for (const [code, entry] of Object.entries(entries)) out[code] = { code, ...entry };
  return out as { readonly [K in keyof T]: DiagnosticDefinition & { readonly code: K } };
};

/** Every diagnostic Trackdown reports, by code: its name, severity, title, hint, example and fix. */
export const DIAGNOSTICS = define({
  TD001: {
    name: "file-unreadable",
    severity: "error",
    title: "A file could not be read",
    hint: "Check the file's permissions, or whether it was deleted while Trackdown was reading.",
    example: { file: "people/ana.yml", text: "(a file without read permission)" },
    fix: "Make the file readable (`chmod u+r people/ana.yml`).",
  },
  TD002: {
    name: "not-utf8",
    severity: "error",
    title: "A file is not valid UTF-8",
    hint: "Save the file as UTF-8 in your editor (most editors offer 'Save with encoding').",
    example: { file: "people/jose.yml", text: "name: Jos\\xE9 (saved as Latin-1)" },
    fix: "Re-save the file as UTF-8.",
  },
  TD003: {
    name: "binary-file",
    severity: "error",
    title: "A binary file sits where a text file is expected",
    hint: "Move binary files (images, PDFs…) to files/ and reference them from a task's attachments.",
    example: { file: "projects/web/tasks/WEB-3.md", text: "(a PNG image renamed to .md)" },
    fix: "Move the file to files/ and list it under the task's `attachments`.",
  },
  TD004: {
    name: "file-too-large",
    severity: "error",
    title: "A tracker file is larger than 1 MiB",
    hint: "Keep task and record files small; put large content in files/ as an attachment.",
    example: { file: "projects/web/tasks/WEB-9.md", text: "(a 10 MB log pasted into a task)" },
    fix: "Move the large content to files/ and attach it.",
  },
  TD005: {
    name: "empty-file",
    severity: "error",
    title: "A tracker file is empty",
    hint: "Fill in the required fields, or delete the file.",
    example: { file: "people/ana.yml", text: "" },
    fix: "Write at least `name: Ana Souza`.",
  },
  TD006: {
    name: "unexpected-file",
    severity: "warning",
    title: "A file is not part of the tracker format",
    hint: "Trackdown ignores this file. Check its folder and extension (.md for tasks, projects and milestones; .yml for people, teams and time).",
    example: { file: "projects/web/tasks/WEB-3.txt", text: "title: Login" },
    fix: "Rename it to `WEB-3.md` with front matter, or move it out of the tracker.",
  },
  TD007: {
    name: "link-escape",
    severity: "error",
    title: "A symbolic link points outside the tracker",
    hint: "Trackdown never reads files outside the tracker folder. Replace the link with a copy of the file.",
    example: { file: "files/passwd", text: "(a symlink to /etc/passwd)" },
    fix: "Remove the link, or replace it with the file itself.",
  },
  TD010: {
    name: "no-front-matter",
    severity: "error",
    title: "A Markdown file has no front matter",
    hint: "Start the file with a line `---`, the YAML fields, then another line `---`.",
    example: { file: "projects/web/tasks/WEB-3.md", text: "# Login page\n\nSome text" },
    fix: "Add `---\\nid: WEB-3\\ntitle: Login page\\nstatus: todo\\n---` at the top.",
  },
  TD011: {
    name: "unterminated-front-matter",
    severity: "error",
    title: "The front matter is never closed",
    hint: "Close the front matter with a line that holds only `---`.",
    example: {
      file: "projects/web/tasks/WEB-3.md",
      text: "---\nid: WEB-3\ntitle: Login\n\nBody text",
    },
    fix: "Add a line `---` after the last field.",
  },
  TD012: {
    name: "front-matter-language",
    severity: "error",
    title: "Front matter in a language other than YAML",
    hint: "Only YAML front matter is read; front matter such as `---js` is never executed.",
    example: { file: "projects/web/tasks/WEB-3.md", text: "---js\n{ title: require('fs') }\n---" },
    fix: "Use `---` and YAML fields.",
  },
  TD013: {
    name: "yaml-syntax",
    severity: "error",
    title: "The YAML cannot be parsed",
    hint: "Check indentation, colons and quotes at the position shown.",
    example: { file: "people/ana.yml", text: 'name: "Ana\nemail: ana@acme.example' },
    fix: 'Close the quote: `name: "Ana"`.',
  },
  TD014: {
    name: "duplicate-key",
    severity: "error",
    title: "A key appears twice in the same mapping",
    hint: "Keep one of the two; YAML does not allow the same key twice.",
    example: { file: "people/ana.yml", text: "name: Ana\nname: Ana Souza" },
    fix: "Delete one of the `name` lines.",
  },
  TD015: {
    name: "tab-indentation",
    severity: "error",
    title: "Tabs are used for indentation",
    hint: "YAML indentation must use spaces. Set your editor to insert spaces in YAML files.",
    example: { file: "teams/platform.yml", text: "members:\n\t- ana" },
    fix: "Replace the tab with two spaces.",
  },
  TD016: {
    name: "custom-tag",
    severity: "error",
    title: "A YAML tag that Trackdown does not allow",
    hint: "Only plain YAML values are allowed; tags such as `!!js/function` are refused and never executed.",
    example: { file: "people/ana.yml", text: "name: !!js/function 'function () {}'" },
    fix: "Remove the tag: `name: Ana`.",
  },
  TD017: {
    name: "alias-limit",
    severity: "error",
    title: "Too many YAML aliases",
    hint: "Aliases (`*name`) are limited to stop 'billion laughs' documents; write the values out instead.",
    example: { file: "people/ana.yml", text: "a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b, *b, …]" },
    fix: "Remove the anchors and aliases.",
  },
  TD018: {
    name: "reserved-key",
    severity: "error",
    title: "A key that could change how programs read the data",
    hint: "Keys named `__proto__`, `constructor` or `prototype` are refused; the value is ignored.",
    example: { file: "people/ana.yml", text: "name: Ana\n__proto__:\n  admin: true" },
    fix: "Delete the key.",
  },
  TD019: {
    name: "not-a-mapping",
    severity: "error",
    title: "The fields are not a YAML mapping",
    hint: "A record is a set of `field: value` lines.",
    example: { file: "people/ana.yml", text: "- Ana\n- Souza" },
    fix: "Write `name: Ana Souza`.",
  },
  TD020: {
    name: "missing-config",
    severity: "error",
    title: "The tracker has no trackdown.yml",
    hint: "Run `trackdown init` to create one, or point Trackdown at the folder that holds trackdown.yml.",
    example: { file: "trackdown.yml", text: "(missing)" },
    fix: "Run `trackdown init`.",
  },
  TD101: {
    name: "missing-field",
    severity: "error",
    title: "A required field is missing",
    hint: "Add the field; the schema in schemas/ lists what each kind of file needs.",
    example: { file: "projects/web/tasks/WEB-3.md", text: "---\nid: WEB-3\nstatus: todo\n---" },
    fix: "Add `title: Login page`.",
  },
  TD102: {
    name: "wrong-type",
    severity: "error",
    title: "A field has the wrong type",
    hint: "Lists are written `[a, b]` or as `- a` lines; numbers without quotes; dates as YYYY-MM-DD.",
    example: { file: "projects/web/tasks/WEB-3.md", text: "---\nassignees: ana\n---" },
    fix: "Write `assignees: [ana]`.",
  },
  TD103: {
    name: "invalid-value",
    severity: "error",
    title: "A field's value is not allowed",
    hint: "Check the expected format in the message.",
    example: { file: "projects/web/tasks/WEB-3.md", text: "---\ndue: 2026-13-01\n---" },
    fix: "Use a real date: `due: 2026-12-01`.",
  },
  TD104: {
    name: "unknown-field",
    severity: "warning",
    title: "A field that the format does not know",
    hint: "Unknown fields are kept but ignored; check the spelling.",
    example: { file: "projects/web/tasks/WEB-3.md", text: "---\nasignees: [ana]\n---" },
    fix: "Rename `asignees` to `assignees`.",
  },
  TD105: {
    name: "duplicate-item",
    severity: "error",
    title: "A list holds the same item twice",
    hint: "Remove the repeated item.",
    example: { file: "projects/web/tasks/WEB-3.md", text: "---\nlabels: [bug, bug]\n---" },
    fix: "Write `labels: [bug]`.",
  },
  TD106: {
    name: "invalid-duration",
    severity: "error",
    title: "A duration is out of range",
    hint: "A time entry lasts from 1 minute to 24 hours; write it like 1h30m, 90m or 1.5h.",
    example: { file: "time/2026-11/2026-11-27-ana-WEB-3-k2x9.yml", text: "duration: 0m" },
    fix: "Write the time actually spent, e.g. `duration: 45m`.",
  },
  TD201: {
    name: "unknown-person",
    severity: "error",
    title: "A person that is not in people/",
    hint: "Use the person's id (the file name in people/ without .yml), or add the person.",
    example: { file: "projects/web/tasks/WEB-3.md", text: "---\nassignees: [anna]\n---" },
    fix: "Write `assignees: [ana]`.",
  },
  TD202: {
    name: "unknown-team",
    severity: "error",
    title: "A team that is not in teams/",
    hint: "Use the team's id (the file name in teams/ without .yml).",
    example: { file: "projects/web/project.md", text: "---\nteam: platfrom\n---" },
    fix: "Write `team: platform`.",
  },
  TD203: {
    name: "unknown-milestone",
    severity: "error",
    title: "A milestone that does not exist",
    hint: "Use the milestone's id: its file name in projects/*/milestones/ without .md.",
    example: { file: "projects/web/tasks/WEB-3.md", text: "---\nmilestone: beat\n---" },
    fix: "Write `milestone: beta`.",
  },
  TD204: {
    name: "unknown-task",
    severity: "error",
    title: "A task id that does not exist",
    hint: "Check the id; archived tasks still count, deleted ones do not.",
    example: { file: "projects/web/tasks/WEB-3.md", text: "---\ndepends_on: [WEB-99]\n---" },
    fix: "Refer to an existing task, or remove the reference.",
  },
  TD205: {
    name: "unknown-role",
    severity: "error",
    title: "A role that trackdown.yml does not declare",
    hint: "Declare the role under `roles` in trackdown.yml, or use one that exists.",
    example: { file: "people/ana.yml", text: "roles: [admn]" },
    fix: "Write `roles: [admin]`.",
  },
  TD207: {
    name: "missing-attachment",
    severity: "error",
    title: "An attachment file does not exist",
    hint: "Paths are relative to the tracker's root folder, e.g. files/WEB-3/mockup.png.",
    example: {
      file: "projects/web/tasks/WEB-3.md",
      text: "---\nattachments: [files/mockup.png]\n---",
    },
    fix: "Add the file, or correct the path.",
  },
  TD208: {
    name: "path-escape",
    severity: "error",
    title: "A path leaves the tracker folder",
    hint: "Attachment paths must stay inside the tracker: no `..`, no absolute paths, no links out.",
    example: {
      file: "projects/web/tasks/WEB-3.md",
      text: "---\nattachments: [../../etc/passwd]\n---",
    },
    fix: "Copy the file into files/ and attach that.",
  },
  TD209: {
    name: "dependency-cycle",
    severity: "error",
    title: "Tasks depend on each other in a circle",
    hint: "A task cannot (indirectly) depend on itself; remove one of the dependencies in the cycle.",
    example: {
      file: "projects/web/tasks/WEB-3.md",
      text: "---\nid: WEB-3\ndepends_on: [WEB-4]\n---  (and WEB-4 depends on WEB-3)",
    },
    fix: "Remove `WEB-4` from WEB-3's `depends_on`, or the reverse.",
  },
  TD210: {
    name: "parent-cycle",
    severity: "error",
    title: "Tasks are each other's parents",
    hint: "Sub-tasks form a tree; a task cannot be its own ancestor.",
    example: {
      file: "projects/web/tasks/WEB-3.md",
      text: "---\nid: WEB-3\nparent: WEB-4\n---  (and WEB-4's parent is WEB-3)",
    },
    fix: "Remove one of the `parent` fields.",
  },
  TD211: {
    name: "duplicate-id",
    severity: "error",
    title: "Two files use the same id",
    hint: "Usually two branches each created the next id. Give one of them a new id with `trackdown fix-ids`, or rename it by hand (file name and `id`).",
    example: {
      file: "projects/web/tasks/WEB-13-login.md",
      text: "---\nid: WEB-13\n---  (and WEB-13-signup.md also has id WEB-13)",
    },
    fix: "Rename one to the next free id, e.g. WEB-14, in its file name and `id` field.",
  },
  TD212: {
    name: "id-file-mismatch",
    severity: "error",
    title: "A task's id does not match its file name",
    hint: "The file name starts with the id: WEB-12.md or WEB-12-some-words.md.",
    example: { file: "projects/web/tasks/WEB-12.md", text: "---\nid: WEB-21\n---" },
    fix: "Make the file name and the `id` field agree.",
  },
  TD213: {
    name: "wrong-project-key",
    severity: "error",
    title: "A task's id does not start with its project's key",
    hint: "Tasks in projects/web/ (key WEB) have ids WEB-n. Moving a task to another project gives it a new id.",
    example: { file: "projects/web/tasks/API-3.md", text: "---\nid: API-3\n---" },
    fix: "Move the file to the API project's tasks/ folder, or give it a WEB id.",
  },
  TD214: {
    name: "duplicate-project-key",
    severity: "error",
    title: "Two projects use the same key",
    hint: "Each project's key prefixes its task ids, so keys must be unique.",
    example: {
      file: "projects/shop/project.md",
      text: "---\nkey: WEB\n---  (and projects/web/project.md has key WEB)",
    },
    fix: "Give one project another key.",
  },
  TD215: {
    name: "duplicate-milestone",
    severity: "error",
    title: "Two milestones have the same id",
    hint: "Milestone ids (file names) are unique across the tracker, since tasks refer to them by id alone.",
    example: {
      file: "projects/api/milestones/beta.md",
      text: "(and projects/web/milestones/beta.md exists)",
    },
    fix: "Rename one, e.g. api-beta.md, and update the tasks that refer to it.",
  },
  TD216: {
    name: "project-missing",
    severity: "error",
    title: "A project folder has no project.md",
    hint: "Every folder in projects/ needs a project.md that gives the project's key and name.",
    example: {
      file: "projects/web/tasks/WEB-1.md",
      text: "(projects/web/project.md does not exist)",
    },
    fix: "Create projects/web/project.md with `key: WEB` and `name: …`.",
  },
  TD217: {
    name: "inactive-person",
    severity: "warning",
    title: "Open work is assigned to someone who has left",
    hint: "The person is marked `active: false`; reassign their open tasks.",
    example: {
      file: "projects/web/tasks/WEB-3.md",
      text: "---\nstatus: doing\nassignees: [old-hand]\n---",
    },
    fix: "Assign the task to someone active.",
  },
  TD218: {
    name: "lead-not-member",
    severity: "warning",
    title: "A team's lead is not one of its members",
    hint: "Add the lead to `members`, or choose another lead.",
    example: { file: "teams/platform.yml", text: "lead: ana\nmembers: [ben]" },
    fix: "Write `members: [ana, ben]`.",
  },
  TD219: {
    name: "time-file-name",
    severity: "warning",
    title: "A time entry's file name does not match its content",
    hint: "Time entries are named <date>-<person>-<task>-<suffix>.yml under time/<YYYY-MM>/ so that people can find them; the fields are what counts.",
    example: {
      file: "time/2026-11/2026-11-27-ana-WEB-3-k2x9.yml",
      text: "person: ben\ntask: WEB-3\ndate: 2026-11-27",
    },
    fix: "Rename the file to match its person, task and date.",
  },
  TD301: {
    name: "unknown-status",
    severity: "error",
    title: "A status that the workflow does not declare",
    hint: "Use one of the status ids under workflow.statuses in trackdown.yml.",
    example: { file: "projects/web/tasks/WEB-3.md", text: "---\nstatus: in-progress\n---" },
    fix: "Write `status: doing`.",
  },
  TD302: {
    name: "unknown-priority",
    severity: "error",
    title: "A priority that trackdown.yml does not declare",
    hint: "Use one of the tracker's priorities (by default urgent, high, medium, low).",
    example: { file: "projects/web/tasks/WEB-3.md", text: "---\npriority: critical\n---" },
    fix: "Write `priority: urgent`.",
  },
  TD303: {
    name: "unknown-label",
    severity: "warning",
    title: "A label that the tracker's label catalogue does not list",
    hint: "Add the label under `labels` in trackdown.yml, or use an existing one.",
    example: { file: "projects/web/tasks/WEB-3.md", text: "---\nlabels: [frontent]\n---" },
    fix: "Write `labels: [frontend]`.",
  },
  TD304: {
    name: "required-for-status",
    severity: "error",
    title: "A field that the task's status requires is missing",
    hint: "The workflow in trackdown.yml lists fields required per status.",
    example: {
      file: "projects/web/tasks/WEB-3.md",
      text: "---\nstatus: doing\n---  (doing requires assignees)",
    },
    fix: "Add `assignees: [ana]`, or move the task back.",
  },
  TD305: {
    name: "wip-limit",
    severity: "warning",
    title: "More tasks in a status than its WIP limit",
    hint: "Finish work before starting more, or raise the status's wip_limit in trackdown.yml.",
    example: {
      file: "trackdown.yml",
      text: "- id: doing\n  wip_limit: 3   (and 4 tasks are in doing)",
    },
    fix: "Move a task out of the status.",
  },
  TD306: {
    name: "due-before-start",
    severity: "error",
    title: "A due date before the start date",
    hint: "The due date is the last day of the work; it cannot come before the first.",
    example: {
      file: "projects/web/tasks/WEB-3.md",
      text: "---\nstart: 2026-11-10\ndue: 2026-11-01\n---",
    },
    fix: "Correct one of the dates.",
  },
  TD307: {
    name: "config-reference",
    severity: "error",
    title: "trackdown.yml refers to a status or role it does not declare",
    hint: "Transitions, `initial`, `task:move:<status>` permissions and `default_role` must name declared statuses and roles.",
    example: { file: "trackdown.yml", text: "workflow:\n  initial: backlg" },
    fix: "Write `initial: backlog`.",
  },
  TD308: {
    name: "duplicate-status",
    severity: "error",
    title: "Two workflow statuses have the same id",
    hint: "Status ids are unique.",
    example: {
      file: "trackdown.yml",
      text: "statuses:\n  - { id: todo, category: todo }\n  - { id: todo, category: done }",
    },
    fix: "Rename or remove one of them.",
  },
  TD401: {
    name: "not-permitted",
    severity: "error",
    title: "A change the pull request's author may not make",
    hint: "Roles come from the base branch: the author's person file (matched by `github` login), their teams' roles, or `default_role` for people not in people/. Ask someone whose role allows it, or have an admin grant the permission in a separate pull request.",
    example: {
      file: "projects/web/tasks/WEB-3.md",
      text: "---\nstatus: done   (moved by a member whose role has task:move:review but not task:move:done)\n---",
    },
    fix: "Leave the task in review for a lead to close.",
  },
  TD402: {
    name: "transition-not-allowed",
    severity: "error",
    title: "A status move that the workflow does not allow",
    hint: "workflow.transitions in trackdown.yml (on the base branch) lists the moves allowed from each status.",
    example: {
      file: "projects/web/tasks/WEB-3.md",
      text: "---\nstatus: done   (was todo; todo may only go to doing, backlog or cancelled)\n---",
    },
    fix: "Move the task through the statuses in between, e.g. todo → doing → review → done.",
  },
  TD403: {
    name: "wip-limit-exceeded",
    severity: "error",
    title: "The change puts more tasks in a status than its WIP limit",
    hint: "The pull request moves or creates tasks into a status that is then over its wip_limit.",
    example: {
      file: "projects/web/tasks/WEB-3.md",
      text: "---\nstatus: doing   (doing has wip_limit: 3 and now holds 4)\n---",
    },
    fix: "Finish or move another task out of the status first.",
  },
  TD404: {
    name: "id-taken-on-base",
    severity: "error",
    title: "A task id the pull request creates is already used on the base branch",
    hint: "Two branches created tasks with the same id. Run `trackdown fix-ids --base <base branch>` on this branch: it gives this branch's task the next free id and updates what refers to it.",
    example: {
      file: "projects/web/tasks/WEB-32-cookie-banner.md",
      text: "---\nid: WEB-32   (main has WEB-32-dark-mode.md since this branch started)\n---",
    },
    fix: "`trackdown fix-ids --base main`, commit and push again (by hand: rename WEB-32-cookie-banner.md to WEB-33-cookie-banner.md, write `id: WEB-33`, update references).",
  },
});

/** A diagnostic code such as `"TD013"`. */
export type DiagnosticCode = keyof typeof DIAGNOSTICS;
