import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  displayWidth,
  hardWrap,
  padEnd,
  padStart,
  safeText,
  singleLine,
  stripAnsi,
  terminalStyles,
  truncate,
  wrap,
} from "./width.js";

const RED = "\u001b[31m";
const NO_RED = "\u001b[39m";
const BOLD = "\u001b[1m";
const NO_BOLD = "\u001b[22m";

/** Random terminal text: words, spaces, CJK, emoji, combining marks and styles. */
const terminalText = fc
  .array(
    fc.constantFrom(
      "a",
      "word",
      "supercalifragilistic",
      " ",
      "  ",
      "中",
      "文字",
      "👍🏽",
      "👨‍👩‍👧",
      "é",
      "e\u0301",
      RED,
      NO_RED,
      BOLD,
      NO_BOLD,
      "\u001b[38;5;208m",
      "\u001b[0m",
      "…",
    ),
    { maxLength: 40 },
  )
  .map((parts) => parts.join(""));

describe("displayWidth", () => {
  it("counts terminal columns", () => {
    expect(displayWidth("abc")).toBe(3);
    expect(displayWidth("中文")).toBe(4);
    expect(displayWidth("👍🏽")).toBe(2);
    expect(displayWidth("e\u0301")).toBe(1);
    expect(displayWidth(`${RED}abc${NO_RED}`)).toBe(3);
    expect(displayWidth("")).toBe(0);
  });
});

describe("truncate", () => {
  it("leaves text that fits alone", () => {
    expect(truncate("hello", 5)).toBe("hello");
    expect(truncate("中文", 4)).toBe("中文");
  });

  it("cuts with an ellipsis, dropping spaces before it", () => {
    expect(truncate("hello world", 8)).toBe("hello w…");
    expect(truncate("hello world", 7)).toBe("hello…");
    expect(truncate("hello", 1)).toBe("…");
    expect(truncate("hello", 0)).toBe("");
  });

  it("never splits a wide character", () => {
    expect(truncate("中文字", 4)).toBe("中…");
    expect(truncate("中文字", 5)).toBe("中文…");
  });

  it("keeps every escape sequence so styles stay balanced", () => {
    expect(truncate(`${RED}hello world${NO_RED}!`, 6)).toBe(`${RED}hello…${NO_RED}`);
  });

  it("fits any text in the width", () => {
    fc.assert(
      fc.property(terminalText, fc.integer({ min: 0, max: 30 }), (text, width) => {
        expect(displayWidth(truncate(text, width))).toBeLessThanOrEqual(width);
      }),
    );
  });
});

describe("padEnd and padStart", () => {
  it("pad by display width", () => {
    expect(padEnd("中", 4)).toBe("中  ");
    expect(padStart("中", 4)).toBe("  中");
    expect(padEnd(`${RED}a${NO_RED}`, 3)).toBe(`${RED}a${NO_RED}  `);
    expect(padEnd("abcdef", 3)).toBe("abcdef");
  });
});

describe("wrap", () => {
  it("wraps words and drops the spaces at a break", () => {
    expect(wrap("the quick brown fox jumps", 10)).toEqual(["the quick", "brown fox", "jumps"]);
    expect(wrap("a  b", 10)).toEqual(["a  b"]);
    expect(wrap("", 10)).toEqual([""]);
  });

  it("keeps newlines and leading indentation", () => {
    expect(wrap("one\n\n  two", 10)).toEqual(["one", "", "  two"]);
  });

  it("breaks words longer than a line, starting where there is room", () => {
    expect(wrap("abcdefghij", 4)).toEqual(["abcd", "efgh", "ij"]);
    expect(wrap("see abcdefghij", 6)).toEqual(["see ab", "cdefgh", "ij"]);
    expect(wrap("中文字符", 5)).toEqual(["中文", "字符"]);
  });

  it("closes styles at the end of a line and reopens them on the next", () => {
    expect(wrap(`${RED}${BOLD}aaa bbb${NO_BOLD} ccc${NO_RED}`, 4)).toEqual([
      `${RED}${BOLD}aaa${NO_RED}${NO_BOLD}`,
      `${RED}${BOLD}bbb${NO_BOLD}${NO_RED}`,
      `${RED}ccc${NO_RED}`,
    ]);
  });

  it("reopens extended colours, and only the latest colour", () => {
    const orange = "\u001b[38;5;208m";
    expect(wrap(`${orange}abc def${NO_RED}`, 3)).toEqual([
      `${orange}abc${NO_RED}`,
      `${orange}def${NO_RED}`,
    ]);
    expect(wrap(`${RED}${orange}\u001b[32;1mab cd`, 2)).toEqual([
      `${RED}${orange}\u001b[32;1mab${NO_RED}${NO_BOLD}`,
      `\u001b[32m${BOLD}cd${NO_RED}${NO_BOLD}`,
    ]);
    expect(wrap(`${RED}ab\u001b[0m cd`, 2)).toEqual([`${RED}ab\u001b[0m`, "cd"]);
  });

  it("keeps every visible character and fits any text in the width", () => {
    fc.assert(
      fc.property(terminalText, fc.integer({ min: 2, max: 30 }), (text, width) => {
        const lines = wrap(text, width);
        for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(width);
        const visible = (s: string) => stripAnsi(s).replace(/\s/g, "");
        expect(lines.map(visible).join("")).toBe(visible(text));
      }),
    );
  });

  it("leaves no style open at the end of a line", () => {
    fc.assert(
      fc.property(terminalText, fc.integer({ min: 1, max: 12 }), (text, width) => {
        for (const line of wrap(`${RED}${text}`, width)) expect(stylesOpenAfter(line)).toEqual([]);
      }),
    );
  });
});

/** Colour and bold still on after a line (enough for the styles of `terminalText`). */
function stylesOpenAfter(line: string): string[] {
  const open = new Set<string>();
  for (const sequence of line.split("\u001b[").slice(1)) {
    const params = sequence.slice(0, sequence.indexOf("m"));
    const code = params === "" ? "0" : params.split(";")[0]!;
    if (code === "0") open.clear();
    else if (code === "31" || code === "38") open.add("colour");
    else if (code === "39") open.delete("colour");
    else if (code === "1") open.add("bold");
    else if (code === "22") open.delete("bold");
  }
  return [...open];
}

describe("hardWrap", () => {
  it("breaks lines wherever they reach the width", () => {
    expect(hardWrap("const x = 1;\nshort", 5)).toEqual(["const", " x = ", "1;", "short"]);
  });
});

describe("cleaning text", () => {
  it("safeText removes escapes and control characters, keeping newlines and tabs", () => {
    expect(safeText(`a${RED}b\u0007c\r\nd\te\u009b`)).toBe("abc\nd\te");
  });

  it("singleLine keeps styles and makes line breaks spaces", () => {
    expect(singleLine(`${RED}a\nb${NO_RED}\tc\u0000`)).toBe(`${RED}a b${NO_RED} c`);
  });

  it("terminalStyles are identities without colour", () => {
    const plain = terminalStyles(false);
    expect(plain.italic("x") + plain.underline("y") + plain.cyan("z")).toBe("xyz");
    expect(terminalStyles(true).italic("x")).toBe("\u001b[3mx\u001b[23m");
  });
});
