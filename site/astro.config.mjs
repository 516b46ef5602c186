// The dashboard site. `trackdown site build` passes the tracker (TRACKDOWN_SITE_TRACKER),
// the output folder and the base path; nothing here is specific to one tracker.
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { defineConfig } from "astro/config";

const DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "dist");

/**
 * The library is already compiled (dist/): pages rendered at build time import it as it
 * is instead of Vite bundling it again for every build. Browser scripts (the filter's
 * query parser) are still bundled.
 */
function libraryAsIs() {
  return {
    name: "trackdown-library-as-is",
    enforce: "pre",
    // `site dev` keeps Vite's own loading, which reloads the data when a file is saved
    apply: "build",
    async resolveId(source, importer, options) {
      if (!options?.ssr || importer === undefined || !source.includes("/dist/")) return null;
      const resolved = path.resolve(path.dirname(importer), source);
      // a file URL, so the bundler keeps it as it is rather than relative to its output
      return resolved.startsWith(DIST)
        ? { id: pathToFileURL(resolved).href, external: true }
        : null;
    },
  };
}

export default defineConfig({
  output: "static",
  trailingSlash: "ignore",
  // one stylesheet file for all pages, cached by the browser (not 5 KB inlined in each);
  // pages rendered four at a time, so writing 10,000 folders overlaps with rendering
  build: { format: "directory", inlineStylesheets: "never", concurrency: 4 },
  devToolbar: { enabled: false },
  vite: { plugins: [libraryAsIs()] },
});
