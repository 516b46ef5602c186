import { describe, expect, it } from "vitest";
import { fileLink, MAX_MENTIONS, mentionsLine } from "./render.js";

describe("Markdown the Action writes", () => {
  it("pings at most ten people in one comment and names the rest without a ping", () => {
    const people = new Map(
      Array.from({ length: 12 }, (_, i) => [`person-${i}`, [`WEB-${i}`]] as const),
    );
    const line = mentionsLine(people);
    expect(line.match(/(^|[\s,(])@person-\d+/g)).toHaveLength(MAX_MENTIONS);
    expect(line).toContain("@person-9 (WEB-9)");
    expect(line).not.toContain("@person-10");
    expect(line).toContain("person-11");
  });

  it("links a file at a commit with every path segment encoded", () => {
    expect(
      fileLink("https://github.com", "acme", "plan", "a".repeat(40), "tracker/x (1).md", 3),
    ).toBe(
      `[\`tracker/x (1).md:3\`](https://github.com/acme/plan/blob/${"a".repeat(40)}/tracker/x%20%281%29.md#L3)`,
    );
  });
});
