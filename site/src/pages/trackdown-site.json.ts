import { siteData } from "../lib/data";
import { manifestOf } from "../lib/incremental";

/** The build's manifest, for the next build to render only what changed. */
export async function GET(): Promise<Response> {
  return new Response(JSON.stringify(manifestOf(await siteData())), {
    headers: { "content-type": "application/json" },
  });
}
