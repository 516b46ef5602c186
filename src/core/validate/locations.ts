import {
  type Diagnostic,
  type DiagnosticInput,
  diagnostic,
  type Range,
} from "../diagnostics/diagnostic.js";
/** What locating needs of a file: its YAML and where it starts. */
export interface LocatableFile {
  readonly yaml: string;
  readonly yamlLine: number;
}

import { quickLocate, scanTopLevel, type TopLevelKeys, YamlLocator } from "../parse/yaml.js";

/**
 * Turns "field X of file F" into file, line and column. The YAML of a file is re-read with
 * positions only when one of its problems needs locating, so clean files cost nothing.
 */
export class Locations {
  readonly #files: ReadonlyMap<string, LocatableFile>;
  readonly #locators = new Map<string, YamlLocator>();
  readonly #simple = new Map<string, TopLevelKeys | null>();

  /** @param files each file's YAML, by tracker-relative path */
  constructor(files: ReadonlyMap<string, LocatableFile>) {
    this.#files = files;
  }

  /** The range of the value (or key) at `path` in a file's fields. */
  range(
    file: string,
    path: readonly (string | number)[],
    target: "key" | "value" = "value",
  ): Range {
    const parsed = this.#files.get(file);
    if (parsed === undefined || parsed.yaml === "") {
      return { line: 1, column: 1, endLine: 1, endColumn: 1 };
    }
    // top-level fields of plainly written files (most changes in a history walk) are found
    // by reading lines; everything else by parsing with positions
    if (path.length === 1) {
      let keys = this.#simple.get(file);
      if (keys === undefined) {
        keys = scanTopLevel(parsed.yaml);
        this.#simple.set(file, keys);
      }
      const quick = keys === null ? undefined : quickLocate(keys, path, target, parsed.yamlLine);
      if (quick !== undefined) return quick;
    }
    let locator = this.#locators.get(file);
    if (locator === undefined) {
      locator = new YamlLocator(parsed.yaml, parsed.yamlLine);
      this.#locators.set(file, locator);
    }
    return locator.locate(path, target);
  }

  /** A diagnostic located at a field of a file. */
  at(
    input: Omit<DiagnosticInput, "range" | "path">,
    path: readonly (string | number)[],
    target: "key" | "value" = "value",
  ): Diagnostic {
    return diagnostic({
      ...input,
      range: this.range(input.file, path, target),
      path: toPointer(path),
    });
  }
}

/** A JSON Pointer (`/assignees/1`) for a path. */
export function toPointer(path: readonly (string | number)[]): string {
  return path.map((p) => `/${String(p).replace(/~/g, "~0").replace(/\//g, "~1")}`).join("");
}
