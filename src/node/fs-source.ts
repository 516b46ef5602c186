import {
  type Dirent,
  lstatSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  statSync,
} from "node:fs";
import { dirname, resolve, sep } from "node:path";
import type { Source, SourceEntry } from "../core/source.js";

/** Options of {@link fsSource}. */
export interface FsSourceOptions {
  /**
   * Give each file a stamp (size, modification time and inode) so that a parse cache can
   * tell unchanged files. Costs one `stat` per file.
   */
  readonly stamps?: boolean;
}

/**
 * A tracker in a folder of the working tree. Symbolic links are followed only when they
 * lead to a file inside the folder; a link out of it is listed as `escaping-link` and
 * never read. Folders whose names start with a dot (.git, .trackdown) are skipped.
 */
export function fsSource(root: string, options: FsSourceOptions = {}): Source {
  const base = resolve(root);
  let realBase: string;
  try {
    realBase = realpathSync(base);
  } catch {
    realBase = base;
  }
  const inside = (real: string) => real === realBase || real.startsWith(realBase + sep);
  const allowed = new Set<string>();
  return {
    description: base,
    async list() {
      const entries: SourceEntry[] = [];
      // `rel` is the folder's tracker-relative path ("" at the root, else ending in "/")
      const walk = (dir: string, rel: string) => {
        let items: Dirent[];
        try {
          items = readdirSync(dir, { withFileTypes: true });
        } catch (error) {
          if (rel === "") throw error;
          return;
        }
        for (const item of items) {
          if (item.name.startsWith(".") || item.name === "node_modules") continue;
          const full = `${dir}${sep}${item.name}`;
          const path = `${rel}${item.name}`;
          if (item.isDirectory()) {
            walk(full, `${path}/`);
          } else if (item.isFile()) {
            allowed.add(path);
            entries.push(
              options.stamps === true
                ? { path, type: "file", stamp: stampOf(full) }
                : { path, type: "file" },
            );
          } else if (item.isSymbolicLink()) {
            let real: string | undefined;
            try {
              real = realpathSync(full);
            } catch {
              real = undefined;
            }
            if (real === undefined) {
              // a dangling link: out of the tracker if its target is, else a file that cannot be read
              const target = resolve(dirname(full), readlinkSync(full));
              if (inside(target)) {
                allowed.add(path);
                entries.push({ path, type: "file" });
              } else {
                entries.push({ path, type: "escaping-link" });
              }
            } else if (!inside(real)) {
              entries.push({ path, type: "escaping-link" });
            } else if (statSync(real).isFile()) {
              allowed.add(path);
              entries.push(
                options.stamps === true
                  ? { path, type: "file", stamp: stampOf(real) }
                  : { path, type: "file" },
              );
            }
          } else {
            entries.push({ path, type: "special" });
          }
        }
      };
      walk(base, "");
      return entries;
    },
    async read(path) {
      // Only what list() vetted is read, so a crafted path can never reach outside the folder.
      if (!allowed.has(path)) throw new Error(`"${path}" is not a listed file of the tracker`);
      return readFileSync(`${base}${sep}${sep === "/" ? path : path.split("/").join(sep)}`);
    },
  };
}

function stampOf(full: string): string | undefined {
  try {
    const s = lstatSync(full, { bigint: false });
    return `${s.size}:${s.mtimeMs}:${s.ino}`;
  } catch {
    return undefined;
  }
}
