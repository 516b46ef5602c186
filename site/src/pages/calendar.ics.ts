import { calendarFeed } from "../../../dist/node/index.js";
import { siteData } from "../lib/data";

/** Milestones and open tasks' due dates as an iCalendar feed to subscribe to. */
export async function GET(context: { site?: URL; url: URL }): Promise<Response> {
  const { tracker, base, today } = await siteData();
  const siteUrl = new URL(base, context.site ?? context.url.origin).href;
  const calendar = calendarFeed(tracker, {
    name: tracker.settings.name,
    siteUrl,
    taskUrl: (id) => `${siteUrl}tasks/${id}/`,
    milestoneUrl: (id) => `${siteUrl}milestones/${id}/`,
    now: new Date(`${today}T00:00:00Z`),
  });
  return new Response(calendar, { headers: { "content-type": "text/calendar; charset=utf-8" } });
}
