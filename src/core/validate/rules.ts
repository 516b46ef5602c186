import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { suggestion } from "../did-you-mean.js";
import { groupInto } from "../group.js";
import type { Milestone, Project, Settings, Task } from "../model.js";
import type { Locations } from "./locations.js";

const FIELD_KEYS: Record<string, keyof Task> = {
  assignees: "assignees",
  priority: "priority",
  estimate: "estimate",
  labels: "labels",
  milestone: "milestone",
  start: "start",
  due: "due",
};

/** Checks trackdown.yml's internal references: transitions, initial, permissions, default role. */
export function checkConfig(settings: Settings, configFile: string, at: Locations): Diagnostic[] {
  const out: Diagnostic[] = [];
  const f = settings.fields;
  const workflow = (f.workflow ?? {}) as Record<string, unknown>;
  const statusIds = settings.statuses.map((s) => s.id);
  const known = new Set(statusIds);
  const unknownStatus = (value: string, path: (string | number)[], where: string) => {
    out.push(
      at.at(
        {
          code: "TD307",
          file: configFile,
          message: `${where} names the status "${value}", which workflow.statuses does not declare.`,
          hint: suggestion(value, statusIds, "statuses"),
        },
        path,
      ),
    );
  };
  if (Array.isArray(workflow.statuses)) {
    const seen = new Map<string, number>();
    workflow.statuses.forEach((s, i) => {
      const id = (s as { id?: unknown } | null)?.id;
      if (typeof id !== "string") return;
      if (seen.has(id)) {
        out.push(
          at.at(
            {
              code: "TD308",
              file: configFile,
              message: `The status id "${id}" is declared twice (statuses ${seen.get(id)! + 1} and ${i + 1}).`,
            },
            ["workflow", "statuses", i, "id"],
          ),
        );
      } else seen.set(id, i);
    });
  }
  if (typeof workflow.initial === "string" && !known.has(workflow.initial)) {
    unknownStatus(workflow.initial, ["workflow", "initial"], "workflow.initial");
  }
  if (settings.transitions !== undefined) {
    for (const [from, targets] of Object.entries(settings.transitions)) {
      if (from !== "*" && !known.has(from))
        unknownStatus(from, ["workflow", "transitions", from], "A transition");
      targets.forEach((to, i) => {
        if (to !== "*" && !known.has(to))
          unknownStatus(to, ["workflow", "transitions", from, i], `The transition from "${from}"`);
      });
    }
  }
  const roleIds = Object.keys(settings.roles);
  for (const [role, def] of Object.entries(settings.roles)) {
    def.permissions.forEach((p, i) => {
      const status = /^task:move:(.+)$/.exec(p)?.[1];
      if (status !== undefined && !known.has(status)) {
        unknownStatus(
          status,
          ["roles", role, "permissions", i],
          `The permission "${p}" of role "${role}"`,
        );
      }
    });
  }
  if (settings.defaultRole !== undefined && !(settings.defaultRole in settings.roles)) {
    out.push(
      at.at(
        {
          code: "TD307",
          file: configFile,
          message: `default_role names the role "${settings.defaultRole}", which roles does not declare.`,
          hint: suggestion(settings.defaultRole, roleIds, "roles"),
        },
        ["default_role"],
      ),
    );
  }
  return out;
}

/**
 * The tracker's own rules over tasks, milestones and projects: known status, priority and
 * labels, fields required per status, WIP limits, and due dates after start dates.
 */
export function checkRules(
  settings: Settings,
  configFile: string | undefined,
  tasks: readonly Task[],
  milestones: readonly Milestone[],
  projects: readonly Project[],
  at: Locations,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const statuses = new Map(settings.statuses.map((s) => [s.id, s]));
  const statusIds = [...statuses.keys()];
  const priorities = new Set(settings.priorities);
  const labels = settings.labels;
  const counts = new Map<string, Task[]>();
  for (const t of tasks) {
    const status = statuses.get(t.status);
    if (status === undefined) {
      if (typeof t.fields.status === "string") {
        out.push(
          at.at(
            {
              code: "TD301",
              file: t.file,
              message: `"${t.status}" is not a status of this tracker's workflow.`,
              hint: suggestion(t.status, statusIds, "statuses"),
            },
            ["status"],
          ),
        );
      }
    } else if (!t.archived) {
      groupInto(counts, t.status, t);
      for (const field of status.required) {
        const value = t[FIELD_KEYS[field] ?? "id"];
        const missing = value === undefined || (Array.isArray(value) && value.length === 0);
        if (missing) {
          out.push(
            at.at(
              {
                code: "TD304",
                file: t.file,
                message: `A task in "${status.id}" needs "${field}", which ${t.id} does not have.`,
                hint: `Set ${field}, or move the task to a status that does not require it.`,
              },
              ["status"],
            ),
          );
        }
      }
    }
    if (t.priority !== undefined && !priorities.has(t.priority)) {
      out.push(
        at.at(
          {
            code: "TD302",
            file: t.file,
            message: `"${t.priority}" is not one of this tracker's priorities.`,
            hint: suggestion(t.priority, settings.priorities, "priorities"),
          },
          ["priority"],
        ),
      );
    }
    if (labels !== undefined) {
      t.labels.forEach((label, i) => {
        if (label in labels) return;
        out.push(
          at.at(
            {
              code: "TD303",
              file: t.file,
              message: `The label "${label}" is not in the label catalogue of trackdown.yml.`,
              hint: suggestion(label, Object.keys(labels), "labels"),
            },
            ["labels", i],
          ),
        );
      });
    }
    checkDates(t.file, t.start, t.due, "due", at, out);
  }
  for (const m of milestones) checkDates(m.file, m.start, m.due, "due", at, out);
  for (const p of projects) checkDates(p.file, p.start, p.target, "target", at, out);
  settings.statuses.forEach((status, index) => {
    const inStatus = counts.get(status.id) ?? [];
    if (status.wipLimit === undefined || inStatus.length <= status.wipLimit) return;
    const file = configFile ?? "trackdown.yml";
    out.push(
      at.at(
        {
          code: "TD305",
          file,
          message: `${inStatus.length} tasks are in "${status.id}", over its WIP limit of ${status.wipLimit}: ${inStatus
            .slice(0, 10)
            .map((t) => t.id)
            .join(", ")}${inStatus.length > 10 ? ", …" : ""}.`,
          related: inStatus.slice(0, 20).map((t) => ({
            file: t.file,
            ...at.range(t.file, ["status"]),
            message: `${t.id} is in ${status.id}`,
          })),
        },
        ["workflow", "statuses", index, "wip_limit"],
      ),
    );
  });
  return out;
}

/** TD306 when an end date (due, target) comes before the start date. */
function checkDates(
  file: string,
  start: string | undefined,
  end: string | undefined,
  field: "due" | "target",
  at: Locations,
  out: Diagnostic[],
): void {
  if (start === undefined || end === undefined || end >= start) return;
  out.push(
    at.at(
      {
        code: "TD306",
        file,
        message: `The ${field} date ${end} comes before the start date ${start}.`,
      },
      [field],
    ),
  );
}
