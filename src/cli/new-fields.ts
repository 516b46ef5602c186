// The options of `trackdown new`, from the schemas: a flag for every field of every kind it
// creates. Apart from commands/new.ts so that setting up the CLI loads only the schemas.
import { SCHEMAS } from "../core/schemas.generated.js";

/** What `trackdown new` creates. */
export const NEW_KINDS = ["task", "milestone", "project", "person", "team"] as const;
export type NewKind = (typeof NEW_KINDS)[number];

/** Every field of every kind `new` creates, for its options: name → the schema's field. */
export function newFieldOptions(): { flag: string; field: string; description: string }[] {
  const seen = new Map<string, { flag: string; field: string; description: string }>();
  for (const kind of NEW_KINDS) {
    const properties = (SCHEMAS[kind] as { properties?: Record<string, { description?: string }> })
      .properties;
    for (const [field, schema] of Object.entries(properties ?? {})) {
      if (field === "id" || field === "attachments" || seen.has(field)) continue;
      const flag = field.replace(/_/g, "-");
      const first = (schema.description ?? "").split(/(?<=\.)\s/)[0] ?? "";
      seen.set(field, { flag, field, description: first });
    }
  }
  return [...seen.values()];
}
