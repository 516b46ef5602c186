import type { Source, SourceEntry } from "../source.js";
import {
  GitProblem,
  type GitRepository,
  listTree,
  readBlobBytes,
  readCommitInfo,
  subtreeOid,
} from "./repository.js";

/** Where in a repository a tracker sits, at which commit. */
export interface GitTrackerLocation {
  /** The commit to read. */
  readonly commit: string;
  /** The tracker folder relative to the repository's root ("" for the root, "tracker"…). */
  readonly prefix: string;
}

/**
 * A tracker as it was at a commit. Entry stamps are blob ids, so a parse cache keyed by
 * stamp never parses the same content twice across commits. Symbolic links are never
 * followed. Listing rejects with a {@link GitProblem} when the commit or folder is missing.
 */
export function gitSource(repo: GitRepository, location: GitTrackerLocation): Source {
  const byPath = new Map<string, string>();
  const missing = new Map<string, string>();
  const prefix = location.prefix.replace(/^\/+|\/+$/g, "");
  return {
    description: `${prefix === "" ? "." : prefix} at ${location.commit.slice(0, 12)}`,
    async list() {
      const commit = await readCommitInfo(repo, location.commit);
      const tree = await subtreeOid(repo, commit.tree, prefix);
      if (tree === undefined) {
        throw new GitProblem(
          `The commit ${location.commit.slice(0, 12)} has no folder "${prefix}".`,
        );
      }
      const entries: SourceEntry[] = [];
      const links: { path: string; oid: string }[] = [];
      for (const file of await listTree(repo, tree)) {
        if (file.mode === "120000") {
          links.push(file);
          continue;
        }
        byPath.set(file.path, file.oid);
        entries.push({ path: file.path, type: "file", stamp: file.oid });
      }
      // a link is read as the file it points to in the same commit, as a checkout would;
      // one that leaves the tracker is reported, never followed
      for (const link of links) {
        const target = new TextDecoder().decode(await readBlobBytes(repo, link.oid));
        const resolved = target.startsWith("/") ? undefined : resolveInside(link.path, target);
        if (resolved === undefined) {
          entries.push({ path: link.path, type: "escaping-link" });
          continue;
        }
        const oid = byPath.get(resolved);
        if (oid !== undefined) byPath.set(link.path, oid);
        else missing.set(link.path, resolved);
        entries.push({
          path: link.path,
          type: "file",
          ...(oid !== undefined ? { stamp: oid } : {}),
        });
      }
      return entries;
    },
    async read(path) {
      const oid = byPath.get(path);
      if (oid === undefined)
        throw new Error(`"${path}" is not a listed file of ${location.commit.slice(0, 12)}`);
      return readBlobBytes(repo, oid);
    },
  };
}

/** A link's target as a tracker-relative path, or `undefined` when it climbs out of the tracker. */
function resolveInside(linkPath: string, target: string): string | undefined {
  const parts = linkPath.split("/").slice(0, -1);
  for (const part of target.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else parts.push(part);
  }
  return parts.length === 0 ? undefined : parts.join("/");
}
