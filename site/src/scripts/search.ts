// Search as you type: the index is fetched on the first keystroke (not with the page),
// then every keystroke searches it in memory. Results are links to task pages.
import MiniSearch from "minisearch";
import { SEARCH_OPTIONS } from "../lib/search";

const form = document.querySelector<HTMLFormElement>("form[data-search]");
const input = form?.querySelector<HTMLInputElement>("input");
const list = document.getElementById("results");
const status = document.getElementById("search-status");
if (form && input && list && status) {
  const base = form.dataset.search ?? "/";
  let index: Promise<MiniSearch> | undefined;
  const load = () => {
    index ??= fetch(`${base}search-index.json`)
      .then((r) => r.text())
      .then((text) =>
        MiniSearch.loadJSON(text, {
          ...SEARCH_OPTIONS,
          fields: [...SEARCH_OPTIONS.fields],
          storeFields: [...SEARCH_OPTIONS.storeFields],
        }),
      );
    return index;
  };
  const show = async () => {
    const text = input.value.trim();
    const url = new URL(location.href);
    if (text === "") url.searchParams.delete("q");
    else url.searchParams.set("q", text);
    history.replaceState(null, "", url);
    if (text === "") {
      list.replaceChildren();
      status.textContent = "";
      return;
    }
    const mini = await load();
    if (input.value.trim() !== text) return; // a newer keystroke wins
    const hits = mini.search(text, { prefix: true, fuzzy: 0.2, combineWith: "AND" }).slice(0, 50);
    list.replaceChildren(
      ...hits.map((hit) => {
        const item = document.createElement("li");
        const link = document.createElement("a");
        link.href = `${base}tasks/${encodeURIComponent(String(hit.id))}/`;
        link.textContent = `${String(hit.id)} ${String(hit.title ?? "")}`;
        const state = document.createElement("span");
        state.className = "muted";
        state.textContent = ` ${String(hit.status ?? "")}`;
        item.append(link, state);
        return item;
      }),
    );
    status.textContent = `${hits.length === 50 ? "50+" : hits.length} result${hits.length === 1 ? "" : "s"}`;
  };
  form.addEventListener("submit", (event) => event.preventDefault());
  input.addEventListener("focus", () => void load(), { once: true });
  input.addEventListener("input", () => void show());
  const initial = new URL(location.href).searchParams.get("q");
  if (initial !== null) {
    input.value = initial;
    void show();
  }
}
