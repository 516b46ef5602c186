import { describe, expect, it } from "vitest";
import { compareCodePoints, isUnsafeEntryName, parseCommit } from "./objects.js";

// parseCommit and tree names as isomorphic-git reads them, on the odd inputs a real
// repository can hold (the common ones are proved against git in src/node/git-objects.test.ts).

const TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";
const P1 = "1".repeat(40);
const P2 = "2".repeat(40);
const commit = (text: string) => parseCommit("c".repeat(40), new TextEncoder().encode(text));

describe("parseCommit", () => {
  it("normalises the message: no carriage returns, no leading blank lines, one final newline", () => {
    const c = commit(
      `tree ${TREE}\nauthor A <a@x> 1 +0000\ncommitter A <a@x> 1 +0000\n\n\n\nSubject\r\n\nBody\n\n\n`,
    );
    expect(c.message).toBe("Subject\n\nBody\n");
    expect(commit(`tree ${TREE}\nauthor A <a@x> 1 +0000\n\n`).message).toBe("\n");
  });

  it("reads parents only right after the tree, and the first of any other header", () => {
    const c = commit(
      `tree ${TREE}\nparent ${P1}\nauthor First <f@x> 10 +0200\nparent ${P2}\nauthor Second <s@x> 20 +0000\ncommitter C <c@x> 30 -0130\n\nm\n`,
    );
    expect(c.parents).toEqual([P1]);
    expect(c.author).toEqual({ name: "First", email: "f@x", timestamp: 10, timezoneOffset: -120 });
    expect(c.committer.timezoneOffset).toBe(90);
    expect(
      Object.is(commit(`tree ${TREE}\nauthor A <a@x> 1 -0000\n\nm\n`).author.timezoneOffset, -0),
    ).toBe(true);
  });

  it("keeps a signature's continuation lines out of the other headers", () => {
    const c = commit(
      `tree ${TREE}\nparent ${P1}\nauthor A <a@x> 1 +0000\ncommitter A <a@x> 1 +0000\ngpgsig -----BEGIN PGP SIGNATURE-----\n parent ${P2}\n -----END PGP SIGNATURE-----\n\nSigned\n`,
    );
    expect(c.parents).toEqual([P1]);
    expect(c.message).toBe("Signed\n");
  });

  it("refuses a commit that does not start with its tree", () => {
    expect(() => commit(`parent ${P1}\ntree ${TREE}\n\nm\n`)).toThrow(
      /does not start with its tree/,
    );
  });
});

describe("tree entry names", () => {
  it.each([
    ".git",
    ".GIT",
    ".git.",
    ".git ",
    "git~1",
    ".git::$INDEX_ALLOCATION",
    ".g\u200Cit",
    "..",
    "...",
    ". .",
    "a/b",
    "a\\b",
    "",
  ])("refuses %j", (name) => expect(isUnsafeEntryName(name)).toBe(true));
  it.each([".gitignore", "git", "a.md", "...md", "WEB-1.md", "git~10"])("accepts %j", (name) =>
    expect(isUnsafeEntryName(name)).toBe(false),
  );
  it("sorts by code point, as git and isomorphic-git do", () => {
    expect(["😀", "ａ", "～"].sort(compareCodePoints)).toEqual(["ａ", "～", "😀"]);
    expect(["b", "a", "ab", "A"].sort(compareCodePoints)).toEqual(["A", "a", "ab", "b"]);
  });
});
