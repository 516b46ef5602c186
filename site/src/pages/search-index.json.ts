import MiniSearch from "minisearch";
import { siteData } from "../lib/data";
import { SEARCH_OPTIONS } from "../lib/search";

export async function GET(): Promise<Response> {
  const { tracker } = await siteData();
  const mini = new MiniSearch({
    ...SEARCH_OPTIONS,
    fields: [...SEARCH_OPTIONS.fields],
    storeFields: [...SEARCH_OPTIONS.storeFields],
  });
  mini.addAll(
    [...tracker.tasks, ...tracker.archivedTasks].map((t) => ({
      id: t.id,
      title: t.title,
      status: t.status,
      labels: t.labels.join(" "),
      people: t.assignees.map((a) => tracker.person(a)?.name ?? a).join(" "),
    })),
  );
  return new Response(JSON.stringify(mini), { headers: { "content-type": "application/json" } });
}
