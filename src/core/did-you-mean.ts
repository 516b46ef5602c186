/**
 * Edit distance counting insertions, deletions, substitutions and swaps of two
 * neighbouring letters (optimal string alignment), so "hihg" is one edit from "high".
 * Returns `max + 1` as soon as the distance is sure to exceed `max`.
 */
export function editDistance(a: string, b: string, max = Number.POSITIVE_INFINITY): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > max) return max + 1;
  // three rows of the table, reused between calls: hints compare one word with thousands
  const width = b.length + 1;
  if (rows.length < width * 3) rows = new Int32Array(width * 6);
  let before = 0;
  let prev = width;
  let cur = width * 2;
  for (let j = 0; j < width; j++) rows[prev + j] = j;
  for (let i = 1; i <= a.length; i++) {
    rows[cur] = i;
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(rows[prev + j]! + 1, rows[cur + j - 1]! + 1, rows[prev + j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, rows[before + j - 2]! + 1);
      }
      rows[cur + j] = value;
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > max) return max + 1;
    const oldest = before;
    before = prev;
    prev = cur;
    cur = oldest;
  }
  return rows[prev + b.length]!;
}

let rows = new Int32Array(64);

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
    // a candidate whose length alone puts it as far as the best so far cannot beat it
    if (Math.abs(candidate.length - lower.length) >= bestDistance) continue;
    const d = editDistance(lower, candidate.toLowerCase(), bestDistance - 1);
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
