// The search index the search page loads on the first keystroke: ids, titles, labels and
// assignees' names (bodies are left out: they would make the index several times larger,
// and the first result must arrive within a second on a 10,000-task tracker).
export const SEARCH_OPTIONS = {
  idField: "id",
  fields: ["id", "title", "labels", "people"],
  storeFields: ["id", "title", "status"],
  searchOptions: { boost: { id: 4, title: 3, labels: 2, people: 1 }, prefix: true, fuzzy: 0.2 },
} as const;
