import type { Checklist } from "./model.js";

const ITEM = /^\s{0,3}(?:[-*+]|\d+[.)])\s+\[([ xX])\](?:\s|$)/;
const FENCE = /^\s{0,3}(`{3,}|~{3,})/;

/** Counts `- [ ]` and `- [x]` items in Markdown, outside fenced code blocks. */
export function countChecklist(markdown: string): Checklist {
  let done = 0;
  let total = 0;
  let fence: string | undefined;
  for (const line of markdown.split("\n")) {
    const f = FENCE.exec(line);
    if (f !== null) {
      const marker = f[1]!;
      if (fence === undefined) fence = marker[0]!.repeat(marker.length);
      else if (marker.startsWith(fence)) fence = undefined;
      continue;
    }
    if (fence !== undefined) continue;
    const item = ITEM.exec(line);
    if (item !== null) {
      total++;
      if (item[1] !== " ") done++;
    }
  }
  return { done, total };
}
