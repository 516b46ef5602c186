import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { didYouMean, editDistance } from "./did-you-mean.js";

/** The textbook optimal-string-alignment distance, a full table, no shortcuts. */
function reference(a: string, b: string): number {
  const d: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    d.push([]);
    for (let j = 0; j <= b.length; j++) {
      if (i === 0 || j === 0) {
        d[i]![j] = i + j;
        continue;
      }
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        v = Math.min(v, d[i - 2]![j - 2]! + 1);
      }
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

describe("editDistance", () => {
  it("equals the full-table distance, and says only 'more than max' past max", () => {
    const word = fc.string({ unit: fc.constantFrom("a", "b", "c", "-", "1"), maxLength: 12 });
    fc.assert(
      fc.property(word, word, fc.nat(5), (a, b, max) => {
        const full = reference(a, b);
        expect(editDistance(a, b)).toBe(full);
        // past max the exact figure is not computed: only that it is more than max
        if (full > max) expect(editDistance(a, b, max)).toBeGreaterThan(max);
        else expect(editDistance(a, b, max)).toBe(full);
      }),
      { seed: 7, numRuns: 2000 },
    );
  });
});

describe("didYouMean", () => {
  it("finds typos, swaps and abbreviations, and nothing far off", () => {
    expect(didYouMean("hihg", ["urgent", "high", "medium"])).toBe("high");
    expect(didYouMean("prio", ["priority", "status"])).toBe("priority");
    expect(didYouMean("WEB-201", ["WEB-12", "API-21", "WEB-210"])).toBe("WEB-210");
    expect(didYouMean("banana", ["high", "low"])).toBeUndefined();
  });

  it("picks the closest of 10,000 task ids", () => {
    const ids = Array.from({ length: 10_000 }, (_, i) => `AAA-${i + 1}`);
    expect(didYouMean("AAA-100001", ids)).toBe("AAA-10000");
    expect(didYouMean("AAB-77", ids)).toBe("AAA-77");
  });
});
