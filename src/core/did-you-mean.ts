/**
 * Edit distance counting insertions, deletions, substitutions and swaps of two
 * neighbouring letters (optimal string alignment), so "hihg" is one edit from "high".
 * Returns `max + 1` as soon as the distance is sure to exceed `max`.
 */
export function editDistance(a: string, b: string, max = Number.POSITIVE_INFINITY): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let before: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, before[j - 2]! + 1);
      }
      cur.push(value);
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > max) return max + 1;
    before = prev;
    prev = cur;
  }
  return prev[b.length]!;
}

/**
 * The closest candidate to a misspelt word, if one is close enough to be a likely typo:
 * within a third of the word's length (at least 1, at most 3 edits), ignoring case.
 */
export function didYouMean(word: string, candidateList: Iterable<string>): string | undefined {
  const candidates = Array.isArray(candidateList)
    ? (candidateList as readonly string[])
    : [...candidateList];
  const lower = word.toLowerCase();
  const max = Math.min(3, Math.max(1, Math.floor(word.length / 3)));
  let best: string | undefined;
  let bestDistance = max + 1;
  // an abbreviation ("prio" for "priority") is a likely meaning too
  if (word.length >= 3) {
    for (const candidate of candidates) {
      if (candidate.toLowerCase().startsWith(lower) && candidate.toLowerCase() !== lower)
        return candidate;
    }
  }
  for (const candidate of candidates) {
    const d = editDistance(lower, candidate.toLowerCase(), bestDistance);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/** A hint sentence for an unknown name: "Did you mean "x"?" or the list of known names. */
export function suggestion(word: string, candidates: readonly string[], noun: string): string {
  const guess = didYouMean(word, candidates);
  if (guess !== undefined) return `Did you mean "${guess}"?`;
  if (candidates.length === 0) return `There are no ${noun} yet.`;
  const shown = candidates.slice(0, 12).join(", ");
  return `Known ${noun}: ${shown}${candidates.length > 12 ? ", …" : ""}.`;
}
