// The dashboard site. `trackdown site build` passes the tracker (TRACKDOWN_SITE_TRACKER),
// the output folder and the base path; nothing here is specific to one tracker.
import { defineConfig } from "astro/config";

export default defineConfig({
  output: "static",
  trailingSlash: "ignore",
  build: { format: "directory", inlineStylesheets: "always" },
  devToolbar: { enabled: false },
});
