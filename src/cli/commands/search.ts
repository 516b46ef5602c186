import { searchIndexFor } from "../../core/search/search-index.js";
import { openForCommand, type TrackerOption } from "../context.js";
import { CliError, type CliIO, styles } from "../io.js";
import { renderTable } from "../render/table.js";
import { safeText, singleLine } from "../render/width.js";

export interface SearchCommandOptions extends TrackerOption {
  readonly format: "table" | "json";
  readonly limit: number;
  readonly any: boolean;
}

/** `trackdown search TEXT`: full-text search over ids, titles, labels and bodies. */
export async function runSearch(
  io: CliIO,
  words: readonly string[],
  options: SearchCommandOptions,
): Promise<number> {
  const text = words.join(" ").trim();
  if (text === "")
    throw new CliError("Search for what? Give some words, e.g. `trackdown search login page`.");
  const ctx = await openForCommand(io, options);
  const hits = searchIndexFor(ctx.tracker).search(text, {
    limit: options.limit,
    combine: options.any ? "or" : "and",
  });
  if (options.format === "json") {
    io.stdout.write(
      `${JSON.stringify(
        {
          query: text,
          count: hits.length,
          hits: hits.map((h) => ({
            id: h.task.id,
            title: h.task.title,
            status: h.task.status,
            score: Math.round(h.score * 1000) / 1000,
            fields: h.fields,
            terms: h.terms,
          })),
        },
        null,
        2,
      )}\n`,
    );
    return 0;
  }
  const s = styles(ctx.colour);
  if (hits.length === 0) {
    io.stdout.write(
      `Nothing matches "${text}".${options.any ? "" : " Try --any to match any of the words."}\n`,
    );
    return 0;
  }
  const rows = hits.map((h) => ({
    id: h.task.id,
    status: safeText(h.task.status),
    title: safeText(h.task.title),
    in: h.fields.join(","),
    context: safeText(snippet(h.task.body, h.terms)),
  }));
  io.stdout.write(
    renderTable(
      rows,
      [
        { key: "id", header: "ID" },
        { key: "status", header: "STATUS" },
        { key: "title", header: "TITLE", flex: true, min: 16, max: 60 },
        { key: "in", header: "MATCHED IN" },
        { key: "context", header: "CONTEXT", flex: true, min: 10 },
      ],
      { width: ctx.width, colour: ctx.colour },
    ),
  );
  io.stdout.write(s.dim(`${hits.length} result${hits.length === 1 ? "" : "s"}\n`));
  return 0;
}

/** A few words of the body around the first matched term (found by plain text search). */
function snippet(body: string, terms: readonly string[]): string {
  const lower = body.toLowerCase();
  let at = -1;
  for (const term of terms) {
    at = lower.indexOf(term.toLowerCase());
    if (at !== -1) break;
  }
  if (at === -1) return "";
  const from = Math.max(0, lower.lastIndexOf(" ", Math.max(0, at - 8)));
  return `${from > 0 ? "…" : ""}${singleLine(body.slice(from, at + 60)).trim()}…`;
}
