import { classifyPath } from "./parse/layout.js";
import type { ParsedFile } from "./parse/read-file.js";
import type { ParseCache } from "./source.js";

/**
 * A parse cache in memory, keyed by content stamp (for git, the blob id) and file kind, so
 * reading a tracker at many commits parses each distinct file content once. Unbounded: keep
 * one per run.
 */
export function memoryParseCache(): ParseCache & { readonly size: number } {
  const files = new Map<string, ParsedFile>();
  const keyOf = (path: string, stamp: string) => {
    const role = classifyPath(path);
    return `${role.role === "record" ? role.kind : role.role}\u0000${stamp}`;
  };
  return {
    get size() {
      return files.size;
    },
    async load() {},
    get: (path, stamp) => files.get(keyOf(path, stamp)),
    set(path, stamp, file) {
      files.set(keyOf(path, stamp), file);
      return true;
    },
    getDiagnostics: () => undefined,
    setDiagnostics: () => {},
    async save() {},
  };
}
