import { normalisePath, type Source, type SourceEntry } from "../source.js";
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
      for (const file of await listTree(repo, tree)) {
        if (file.mode === "120000") {
          // links are never followed from history; one that points out of the tracker is reported
          const target = new TextDecoder().decode(await readBlobBytes(repo, file.oid));
          const inside =
            normalisePath(`${file.path.split("/").slice(0, -1).join("/")}/${target}`) !==
              undefined && !target.startsWith("/");
          entries.push({ path: file.path, type: inside ? "special" : "escaping-link" });
          continue;
        }
        byPath.set(file.path, file.oid);
        entries.push({ path: file.path, type: "file", stamp: file.oid });
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
