// The live filter of boards and tables: the query language, parsed by the library's own
// parser, evaluated on what each card or row carries in data- attributes. Pages work
// without it (everything is shown); with it, typing filters as you type.
import { parseQuery, type QueryTerm } from "../../../dist/core/query/parse.js";

interface Item {
  readonly element: HTMLElement;
  readonly values: Readonly<Record<string, readonly string[]>>;
  readonly text: string;
}

/** What a data-* attribute of an item is called in the query language. */
const FIELDS: Readonly<Record<string, string>> = {
  id: "id",
  status: "status",
  assignee: "assignee",
  label: "label",
  priority: "priority",
  milestone: "milestone",
  project: "project",
  is: "is",
  due: "due",
};

function itemsOf(root: ParentNode): Item[] {
  return [...root.querySelectorAll<HTMLElement>("[data-id]")].map((element) => {
    const values: Record<string, string[]> = {};
    for (const [field, attribute] of Object.entries(FIELDS)) {
      const raw = element.dataset[attribute];
      values[field] = raw === undefined || raw === "" ? [] : raw.toLowerCase().split(" ");
    }
    // a card's project is its id's prefix when the card does not say
    const id = values.id?.[0];
    if (values.project?.length === 0 && id !== undefined)
      values.project = [id.slice(0, id.lastIndexOf("-"))];
    return { element, values, text: (element.textContent ?? "").toLowerCase() };
  });
}

function compare(a: string, op: string | undefined, b: string): boolean {
  switch (op) {
    case ">":
      return a > b;
    case ">=":
      return a >= b;
    case "<":
      return a < b;
    case "<=":
      return a <= b;
    default:
      return a === b;
  }
}

function matches(item: Item, term: QueryTerm): boolean {
  let hit: boolean;
  if (term.kind === "text") {
    hit = item.text.includes(term.text.toLowerCase());
  } else {
    const field =
      term.field === "assignees" ? "assignee" : term.field === "labels" ? "label" : term.field;
    const have = item.values[field];
    if (have === undefined) return true; // a field cards do not carry: not filtered here
    hit = term.values.some((v) => {
      const wanted = v.text.toLowerCase();
      if (wanted === "none") return have.length === 0;
      return have.some((h) => compare(h, term.comparison, wanted));
    });
  }
  return term.negated ? !hit : hit;
}

/** Wires a filter input to the items below a container; the URL keeps the query (?q=). */
export function wireFilter(
  input: HTMLInputElement,
  container: HTMLElement,
  status: HTMLElement,
): void {
  const items = itemsOf(container);
  const apply = () => {
    const { terms, problems } = parseQuery(input.value);
    let shown = 0;
    for (const item of items) {
      const visible = terms.every((t) => matches(item, t));
      item.element.hidden = !visible;
      if (visible) shown += 1;
    }
    for (const count of container.querySelectorAll<HTMLElement>("[data-count]")) {
      const column = count.closest("[data-column]");
      if (column !== null) {
        count.textContent = String(column.querySelectorAll("[data-id]:not([hidden])").length);
      }
    }
    const error = problems.find((p) => p.severity === "error");
    status.textContent =
      error !== undefined
        ? `${error.message} (column ${error.column})`
        : `${shown} of ${items.length} shown`;
    const url = new URL(location.href);
    if (input.value.trim() === "") url.searchParams.delete("q");
    else url.searchParams.set("q", input.value);
    history.replaceState(null, "", url);
  };
  const initial = new URL(location.href).searchParams.get("q");
  if (initial !== null) input.value = initial;
  input.addEventListener("input", apply);
  if (input.value !== "") apply();
}

for (const form of document.querySelectorAll<HTMLElement>("[data-filter]")) {
  const input = form.querySelector<HTMLInputElement>("input");
  const target = document.getElementById(form.dataset.filter ?? "");
  const status = form.querySelector<HTMLElement>("[role=status]");
  if (input !== null && target !== null && status !== null) {
    form.style.visibility = "visible"; // its space was kept, so nothing moves
    form.addEventListener("submit", (event) => event.preventDefault());
    wireFilter(input, target, status);
  }
}
