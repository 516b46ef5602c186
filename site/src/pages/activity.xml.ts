import { activityFeed } from "../../../dist/node/index.js";
import { siteData } from "../lib/data";

/** The plan's activity as an Atom feed (commits that changed it, newest first). */
export async function GET(context: { site?: URL; url: URL }): Promise<Response> {
  const { tracker, history, base } = await siteData();
  const siteUrl = new URL(base, context.site ?? context.url.origin).href;
  const feed = activityFeed(history ?? { head: "", commits: [], complete: true }, {
    title: `${tracker.settings.name}: activity`,
    siteUrl,
    feedUrl: `${siteUrl}activity.xml`,
    taskUrl: (id) => (tracker.task(id) !== undefined ? `${siteUrl}tasks/${id}/` : undefined),
  });
  return new Response(feed, { headers: { "content-type": "application/atom+xml; charset=utf-8" } });
}
