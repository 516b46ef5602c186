// The dashboard site. `trackdown site build` passes the tracker (TRACKDOWN_SITE_TRACKER),
// the output folder and the base path; nothing here is specific to one tracker.
import { defineConfig } from "astro/config";

export default defineConfig({
  output: "static",
  trailingSlash: "ignore",
  // one stylesheet file for all pages, cached by the browser (not 5 KB inlined in each)
  build: { format: "directory", inlineStylesheets: "never" },
  devToolbar: { enabled: false },
});
