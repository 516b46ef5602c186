/** The kinds of file a tracker holds. */
export type RecordKind = "config" | "person" | "team" | "project" | "milestone" | "task" | "time";

/** Where a path sits in the tracker layout (see docs/format.md). */
export type FileRole =
  | {
      readonly role: "record";
      readonly kind: RecordKind;
      readonly stem: string;
      readonly project?: string;
      readonly archived?: boolean;
    }
  | { readonly role: "attachment" }
  | { readonly role: "template" }
  | { readonly role: "ignored" }
  | { readonly role: "unexpected"; readonly reason: string };

const YAML_EXT = /\.ya?ml$/;

/** Classifies a tracker-relative path (forward slashes). Pure: looks only at the name. */
export function classifyPath(path: string): FileRole {
  // time entries are half of most trackers: recognised without splitting the path
  if (path.startsWith("time/") && !path.includes("/.") && YAML_EXT.test(path)) {
    const name = path.slice(path.lastIndexOf("/") + 1);
    return { role: "record", kind: "time", stem: name.replace(YAML_EXT, "") };
  }
  const parts = path.split("/");
  const name = parts[parts.length - 1] ?? "";
  if (parts.some((p) => p.startsWith(".")) || name === "README.md") return { role: "ignored" };
  const top = parts[0];
  if (parts.length === 1) {
    if (name === "trackdown.yml" || name === "trackdown.yaml") {
      return { role: "record", kind: "config", stem: "trackdown" };
    }
    return { role: "ignored" };
  }
  switch (top) {
    case "files":
      return { role: "attachment" };
    case "templates":
      return { role: "template" };
    case "people":
    case "teams": {
      const kind = top === "people" ? "person" : "team";
      if (parts.length === 2 && YAML_EXT.test(name)) {
        return { role: "record", kind, stem: name.replace(YAML_EXT, "") };
      }
      return { role: "unexpected", reason: `${top}/ holds one <id>.yml file per ${kind}` };
    }
    case "time":
      if (YAML_EXT.test(name))
        return { role: "record", kind: "time", stem: name.replace(YAML_EXT, "") };
      return { role: "unexpected", reason: "time/ holds one .yml file per time entry" };
    case "projects": {
      const project = parts[1] ?? "";
      if (parts.length === 3 && name === "project.md") {
        return { role: "record", kind: "project", stem: project, project };
      }
      if (parts.length === 4 && name.endsWith(".md")) {
        const stem = name.slice(0, -3);
        if (parts[2] === "tasks") return { role: "record", kind: "task", stem, project };
        if (parts[2] === "archive")
          return { role: "record", kind: "task", stem, project, archived: true };
        if (parts[2] === "milestones") return { role: "record", kind: "milestone", stem, project };
      }
      return {
        role: "unexpected",
        reason: "a project folder holds project.md, tasks/*.md, archive/*.md and milestones/*.md",
      };
    }
    default:
      return { role: "ignored" };
  }
}

/** True for kinds written as Markdown with front matter, false for plain YAML files. */
export function hasFrontMatter(kind: RecordKind): boolean {
  return kind === "project" || kind === "milestone" || kind === "task";
}
