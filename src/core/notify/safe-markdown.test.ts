import { readFileSync } from "node:fs";
import fc from "fast-check";
import { marked } from "marked";
import { describe, expect, it } from "vitest";
import { codeSpan, inertCell, inertText, mention } from "./safe-markdown.js";

const WJ = "\u2060";

/** GitHub-flavoured Markdown rendered to HTML, as a stand-in for GitHub's renderer. */
function render(markdown: string): string {
  return marked.parse(markdown, { async: false, gfm: true });
}

/** The element names in rendered HTML, in order. */
function tags(html: string): string[] {
  return [...html.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9]*)/g)].map((m) => m[1]!.toLowerCase());
}

const NAMED: Readonly<Record<string, string>> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
};

/** HTML entities decoded, as a browser (and GitHub's text filters) see the text. */
function decode(html: string): string {
  return html.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (entity, name: string) => {
    if (name.startsWith("#x") || name.startsWith("#X")) {
      return String.fromCodePoint(Number.parseInt(name.slice(2), 16));
    }
    if (name.startsWith("#")) return String.fromCodePoint(Number.parseInt(name.slice(1), 10));
    return NAMED[name] ?? entity;
  });
}

/** The decoded text nodes of rendered HTML: what GitHub's mention and reference filters scan. */
function textNodes(html: string): string[] {
  return html
    .split(/<[^>]*>/)
    .map(decode)
    .filter((text) => text.trim() !== "");
}

/** What a person reads: the text without tags, entities decoded, word joiners invisible. */
function reading(html: string): string {
  return textNodes(html).join("").replaceAll(WJ, "").trim();
}

/** Patterns GitHub turns into mentions, references, links or emoji, found in a text node. */
const LIVE: ReadonlyArray<readonly [string, RegExp]> = [
  ["mention", /(^|[^\w`])@[A-Za-z0-9]/],
  ["e-mail or user@sha", /@[A-Za-z0-9]/],
  ["#reference", /#\d/],
  ["GH-reference", /GH-\d/i],
  ["scheme://", /:\/\//],
  ["www.", /www\./i],
  ["scheme:", /\b(?:mailto|xmpp|javascript|data|vbscript):[^\s\u2060]/i],
  ["emoji shortcode", /:[\w+-]+:/],
  ["commit SHA", /(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{7,}/i],
];

function liveSyntax(html: string): string[] {
  return textNodes(html).flatMap((text) =>
    LIVE.filter(([, pattern]) => pattern.test(text)).map(([name]) => `${name} in ${text}`),
  );
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * What a person should read after {@link inertText}, defined independently of it: line
 * breaks and tabs as spaces, controls, BOMs, word joiners and bidi controls gone, lone surrogates as
 * U+FFFD, whitespace runs as one space, trimmed.
 */
function expectedReading(text: string): string {
  return text
    .replace(/\r\n/g, "\n")
    .replace(/[\n\r\t\v\f\u0085\u2028\u2029]/g, " ")
    .replace(/\p{Cc}|[\u202a-\u202e\u2066-\u2069\u2060\ufeff]/gu, "")
    .replace(LONE_SURROGATE, "\ufffd")
    .replace(/\s+/g, " ")
    .trim();
}

/** Rendered alone, the inert text is one paragraph of plain text reading as the original. */
function expectInert(markdown: string, original: string): void {
  const html = render(markdown);
  expect(
    tags(html).filter((tag) => tag !== "p"),
    html,
  ).toEqual([]);
  expect(liveSyntax(html), html).toEqual([]);
  expect(reading(html), html).toBe(original);
}

/** The grapheme clusters of a text. */
function graphemes(text: string): string[] {
  return [...new Intl.Segmenter(undefined, { granularity: "grapheme" }).segment(text)].map(
    (s) => s.segment,
  );
}

describe("inertText", () => {
  const unchanged = [
    "@alice",
    "@acme/platform",
    "cc @alice, @bob!",
    // GFM autolinks a bare e-mail address (marked and GitHub alike), so it is a link to
    // break like any other; the word joiner after "@" does it with the rule mentions use.
    "email me a@b.co",
    "#12",
    "GH-12",
    "gh-12",
    "acme/web#3",
    "[click](javascript:alert(1))",
    "![x](http://evil/x.png)",
    "<img src=x onerror=alert(1)>",
    "<script>alert(1)</script>",
    "<!-- hidden --> shown",
    "<details><summary>x</summary>y</details>",
    "&#64;alice",
    "&commat;alice",
    "&#x40;alice",
    "&lt;script&gt;",
    "https://evil.example/a?b=c",
    "www.evil.example",
    "WWW.evil.example",
    "<https://evil>",
    "mailto:a@b.co",
    "javascript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD4=",
    "xmpp:evil@example.com",
    "ftp://evil.example",
    "**bold** _it_ ~~s~~ ~t~ `code`",
    "``double``",
    "# heading",
    "###### six",
    "- list",
    "+ list",
    "* list",
    "1. ordered",
    "1) ordered",
    "> quote",
    "> [!WARNING] alert",
    "| a | b |",
    "|---|---|",
    "---",
    "===",
    "***",
    "```js",
    "~~~",
    "[^1] footnote",
    "[ ] task [x] done",
    "[ref]: https://evil",
    "$x^2$ and $$y$$ math",
    ":shipit: :+1: emoji",
    "fix a5c3785ed8d6a35868bc169f07e40e889087fd2e and 3f2a9c1",
    "trailing backslash \\",
    "\\*escaped\\* \\@alice",
    "C# and F# and 10:30",
    "🎉 👩‍👩‍👧 漢字テスト 한국어 مرحبا",
  ];

  it.each(unchanged)("renders %j as itself, inert", (text) => {
    expectInert(inertText(text), text);
  });

  it("puts a word joiner inside @, # and ://, and escapes rather than deletes", () => {
    expect(inertText("@alice")).toBe(`@${WJ}alice`);
    expect(inertText("acme/web#3")).toBe(`acme/web#${WJ}3`);
    expect(inertText("GH-12")).toBe(`GH-${WJ}12`);
    expect(inertText("https://x")).toBe(`https:${WJ}//x`);
    expect(inertText("www.x")).toBe(`www${WJ}.x`);
    expect(inertText("&#64;a")).toBe(`&amp;#${WJ}64;a`);
    expect(inertText("<b>*x*</b>")).toBe("&lt;b&gt;\\*x\\*&lt;/b&gt;");
    expect(inertText("- a | b")).toBe("\\- a \\| b");
    expect(inertText("12. x")).toBe("12\\. x");
    expect(inertText("$5")).toBe("&#36;5");
  });

  it("keeps plain words plain", () => {
    expect(inertText("Ship the new pricing page")).toBe("Ship the new pricing page");
    expect(inertText("Année 2024, ünïcödé")).toBe("Année 2024, ünïcödé");
    // A number or a hexadecimal-looking word is not a commit SHA; only letters with digits are.
    expect(inertText("1234567 deadbeef")).toBe("1234567 deadbeef");
  });

  it("puts everything on one line", () => {
    expectInert(inertText("line1\nline2\r\nline3"), "line1 line2 line3");
    expectInert(inertText("a\r\rb\u2028c\u2029d\u0085e\tf\vg\fh"), "a b c d e f g h");
    expectInert(inertText("  \n    indented code\n\n"), "indented code");
    expectInert(inertText("hard  \nbreak\\\nhere"), "hard break\\ here");
    expect(inertText("a\n\n\nb")).toBe("a b");
  });

  it("removes control and bidi override characters", () => {
    const trojan = "access\u202E\u2066// admin\u2069\u2066 level\u202C";
    expectInert(inertText(trojan), "access// admin level");
    expect(inertText("a\u202Ab\u202Bc\u202Dd\u2067e\u2068f")).toBe("abcdef");
    expect(inertText("a\u0000b\u0007c\u001bd\u007fe\u009bf\ufeffg")).toBe("abcdefg");
    // Bidi marks reorder nothing and Arabic or Hebrew text may need them.
    expect(inertText("a\u200Fb")).toBe("a\u200Fb");
  });

  it("replaces lone surrogates", () => {
    expect(inertText("a\ud800b\udc00c")).toBe("a\ufffdb\ufffdc");
  });

  it("caps a long text at 200 characters with an ellipsis", () => {
    const read = reading(render(inertText("word ".repeat(100))));
    expect(graphemes(read)).toHaveLength(200);
    expect(read).toBe(`${"word ".repeat(39)}word…`);
    const x500 = "x".repeat(500);
    expect(inertText(x500)).toBe(`${"x".repeat(199)}…`);
    expect(inertText(x500, 10)).toBe(`${"x".repeat(9)}…`);
    expect(inertText("x".repeat(200))).toBe("x".repeat(200));
  });

  it("counts what a person sees, never cuts an emoji or an escape, and never exceeds the cap", () => {
    const family = "👩‍👩‍👧";
    expect(inertText(family.repeat(5), 3)).toBe(`${family}${family}…`);
    expect(inertText("漢字".repeat(100), 5)).toBe("漢字漢字…");
    expect(inertText("@".repeat(50), 4)).toBe(`@${WJ}@${WJ}@${WJ}…`);
    expect(inertText("<".repeat(50), 3)).toBe("&lt;&lt;…");
    expect(inertText("ab cdef", 4)).toBe("ab…");
    expect(inertText("abc", 0)).toBe("…");
    expect(inertText("abc", Number.NaN)).toBe("abc");
    expect(inertText("x".repeat(300), Number.POSITIVE_INFINITY)).toBe("x".repeat(300));
  });

  it("is safe at the start of a line, a list item or a quote, one text per line", () => {
    const lines = [
      "# heading",
      "- item",
      "1. one",
      "title",
      "===",
      "---",
      "| a | b |",
      "|---|---|",
    ];
    const html = render(lines.map((line) => inertText(line)).join("\n"));
    expect(tags(html), html).toEqual(["p", "p"]);
    const inList = render(lines.map((line) => `- ${inertText(line)}`).join("\n"));
    expect(new Set(tags(inList)), inList).toEqual(new Set(["ul", "li"]));
    const quoted = render(lines.map((line) => `> ${inertText(line)}`).join("\n"));
    expect(new Set(tags(quoted)), quoted).toEqual(new Set(["blockquote", "p"]));
  });

  it("stays inert inside emphasis and link text the caller writes around it", () => {
    const hostile = "x** [a](https://evil) `y` ]";
    const bold = render(`**${inertText(hostile)}**`);
    expect(tags(bold)).toEqual(["p", "strong", "strong", "p"]);
    expect(reading(bold)).toBe(hostile);
    const link = render(`[${inertText(hostile)}](https://github.com/acme/web)`);
    expect([...link.matchAll(/href="([^"]*)"/g)].map((m) => m[1])).toEqual([
      "https://github.com/acme/web",
    ]);
    expect(reading(link)).toBe(hostile);
  });
});

describe("inertCell", () => {
  function table(cell: string): string {
    return render(`| title | id |\n| --- | --- |\n| ${cell} | x |`);
  }

  it.each([
    "| a | b |",
    "a|b",
    "a\\|b",
    "a\\\\|b",
    "`a|b`",
    "<img src=x>|[x](https://evil)|",
    "@alice | #12",
    "line\nbreak | cell",
  ])("keeps %j in one cell", (text) => {
    const html = table(inertCell(text));
    expect(html.match(/<td>/g), html).toHaveLength(2);
    expect(new Set(tags(html))).toEqual(new Set(["table", "thead", "tbody", "tr", "th", "td"]));
    expect(liveSyntax(html)).toEqual([]);
    const cell = /<td>(.*?)<\/td>/s.exec(html)![1]!;
    expect(reading(cell)).toBe(expectedReading(text));
  });
});

describe("mention", () => {
  it.each(["alice", "a", "Bob-Smith", "a1-b2-c3", "0", "x".repeat(39)])(
    "mentions the valid login %j",
    (login) => {
      expect(mention(login)).toBe(`@${login}`);
      const text = textNodes(render(mention(login))).join("");
      expect(text).toBe(`@${login}`);
      expect(text).toMatch(/(^|[^\w`])@[A-Za-z0-9]/);
    },
  );

  it.each(["dependabot[bot]", "github-actions[bot]"])(
    "mentions the bot %j, its brackets escaped",
    (login) => {
      const out = mention(login);
      expect(out).toBe(`@${login.replace("[bot]", "\\[bot\\]")}`);
      const html = render(`${out}\n\n[bot]: https://evil.example`);
      expect(tags(html)).toEqual(["p", "p"]);
      expect(reading(html)).toBe(`@${login}`);
    },
  );

  it.each([
    "",
    "-alice",
    "alice-",
    "al--ice",
    "x".repeat(40),
    "alice bob",
    "evil @alice",
    "evil@alice",
    "@alice",
    "alice/team",
    "al_ice",
    "al.ice",
    "[bot]",
    "-x[bot]",
    "x[bot][bot]",
    `${"x".repeat(40)}[bot]`,
    "alice\n@bob",
    "<img src=x>",
    "[x](https://evil)",
    "alice\u202E",
  ])("leaves the invalid login %j inert", (login) => {
    const html = render(mention(login));
    expect(tags(html).filter((tag) => tag !== "p")).toEqual([]);
    expect(liveSyntax(html)).toEqual([]);
    expect(reading(html)).toBe(expectedReading(login));
  });
});

describe("codeSpan", () => {
  it.each([
    ["TASK-12", "`TASK-12`"],
    ["projects/web/tasks/WEB-3-a b.md", "`projects/web/tasks/WEB-3-a b.md`"],
    ["a`b", "``a`b``"],
    ["`a", "`` `a ``"],
    ["a``b```c", "````a``b```c````"],
    [" a ", "`  a  `"],
    [" a", "` a`"],
    ["  ", "`  `"],
    ["a|b", "`a`\\|`b`"],
    ["|", "\\|"],
    ["a||b", "`a`\\|\\|`b`"],
    ["a\nb\r\nc", "`a b c`"],
    ["a\u202Eb", "`ab`"],
    ["", ""],
  ])("holds %j as %j", (text, markdown) => {
    expect(codeSpan(text)).toBe(markdown);
  });

  it.each([
    "<script>alert(1)</script>",
    "@alice #12 https://evil www.evil [x](y) **b**",
    "&#64;alice",
    "a`b``c",
    "`",
    " `` ",
    "\\",
    "a\\",
    "a|b\\|c",
    "x\n# heading\n- item\n```",
  ])("renders %j as code, in a paragraph and in a table cell", (text) => {
    const expected = expectedCode(text);
    const html = render(codeSpan(text));
    expect(new Set(tags(html))).toEqual(new Set(["p", "code"]));
    expect(codeReading(html)).toBe(expected);
    const cell = render(`| id | x |\n| --- | --- |\n| ${codeSpan(text)} | y |`);
    expect(cell.match(/<td>/g), cell).toHaveLength(2);
    expect(codeReading(/<td>(.*?)<\/td>/s.exec(cell)![1]!)).toBe(expected);
  });
});

/** What a code span shows: line breaks as spaces, controls and bidi controls gone. */
function expectedCode(text: string): string {
  return text
    .replace(/\r\n/g, "\n")
    .replace(/[\n\r\t\v\f\u0085\u2028\u2029]/g, " ")
    .replace(/\p{Cc}|[\u202a-\u202e\u2066-\u2069\u2060\ufeff]/gu, "")
    .replace(LONE_SURROGATE, "\ufffd");
}

/** The text of rendered HTML without tags, entities decoded, spaces kept. */
function codeReading(html: string): string {
  return decode(html.replace(/<[^>]*>/g, "")).replace(/\n$/, "");
}

/** Pieces that mean something to Markdown or to GitHub, to build hostile strings from. */
const FRAGMENTS = [
  "@",
  "alice",
  "@acme/platform",
  "a@b.co",
  "#",
  "12",
  "GH-",
  "gh-",
  "acme/web#3",
  "[",
  "]",
  "(",
  ")",
  "![x](",
  "](javascript:alert(1))",
  "<",
  ">",
  "<img src=x onerror=alert(1)>",
  "<script>",
  "</script>",
  "<!--",
  "-->",
  "<a href=x>",
  "&",
  "&#64;",
  "&#x40;",
  "&commat;",
  "&lt;",
  ";",
  "http",
  "https://",
  "://",
  "www.",
  "WWW.",
  ".",
  "mailto:",
  "javascript:",
  "data:",
  ":",
  "shipit",
  "*",
  "**",
  "_",
  "~~",
  "`",
  "```",
  "\\",
  "|",
  "-",
  "---",
  "+",
  "=",
  "1.",
  "1)",
  "$",
  "a5c3785",
  "deadbeef1",
  " ",
  "    ",
  "\n",
  "\r\n",
  "\t",
  "\u00a0",
  "\u202E",
  "\u2066",
  "\u2060",
  "\u0000",
  "\ufeff",
  "🎉",
  "👩‍👩‍👧",
  "漢字",
];

const hostile: fc.Arbitrary<string> = fc.oneof(
  fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 30 }).map((parts) => parts.join("")),
  fc.string({ unit: "binary", maxLength: 60 }),
  fc.string({ unit: fc.nat(0xffff).map((code) => String.fromCharCode(code)), maxLength: 40 }),
);

describe("inertness, for any text", () => {
  it("inertText renders as one plain paragraph reading as the original", () => {
    fc.assert(
      fc.property(hostile, (text) => {
        const html = render(inertText(text, Number.POSITIVE_INFINITY));
        expect(tags(html).filter((tag) => tag !== "p")).toEqual([]);
        expect(html).not.toMatch(/<(a|img|script)\b/i);
        expect(liveSyntax(html)).toEqual([]);
        expect(reading(html)).toBe(expectedReading(text));
      }),
      { numRuns: 1000 },
    );
  });

  it("inertText keeps to the cap and reads as the start of the original", () => {
    fc.assert(
      fc.property(hostile, fc.integer({ min: 1, max: 40 }), (text, max) => {
        const read = reading(render(inertText(text, max)));
        const whole = expectedReading(text);
        if (graphemes(whole).length <= max) {
          expect(read).toBe(whole);
        } else {
          expect(graphemes(read).length).toBeLessThanOrEqual(max);
          expect(read.endsWith("…")).toBe(true);
          expect(whole.startsWith(read.slice(0, -1))).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });

  it("lines of inert texts never make a block other than paragraphs", () => {
    fc.assert(
      fc.property(fc.array(hostile, { maxLength: 6 }), (texts) => {
        const html = render(texts.map((text) => inertText(text)).join("\n"));
        expect(tags(html).filter((tag) => tag !== "p")).toEqual([]);
        expect(liveSyntax(html)).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it("inertCell has no unescaped pipe and stays in its cell", () => {
    fc.assert(
      fc.property(hostile, (text) => {
        const cell = inertCell(text);
        // Every "|" is preceded by an odd number of backslashes.
        for (const m of cell.matchAll(/(\\*)\|/g)) expect(m[1]!.length % 2).toBe(1);
        const html = render(`| a | b |\n| --- | --- |\n| ${cell} | x |`);
        expect(html.match(/<td>/g), html).toHaveLength(2);
        expect(html).not.toMatch(/<(a|img|script)\b/i);
        expect(liveSyntax(html)).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });

  it("codeSpan shows exactly the text as code, in a paragraph or a cell", () => {
    fc.assert(
      fc.property(hostile, (text) => {
        const span = codeSpan(text);
        const expected = expectedCode(text);
        const html = render(span);
        expect(tags(html).filter((tag) => tag !== "p" && tag !== "code")).toEqual([]);
        expect(codeReading(html)).toBe(expected);
        const cell = render(`| a | b |\n| --- | --- |\n| ${span} | x |`);
        expect(cell.match(/<td>/g), cell).toHaveLength(2);
      }),
      { numRuns: 500 },
    );
  });

  it("mention is live only for a valid login", () => {
    fc.assert(
      fc.property(hostile, (login) => {
        const html = render(mention(login));
        expect(html).not.toMatch(/<(a|img|script)\b/i);
        const live = textNodes(html).some((text) => /(^|[^\w`])@[A-Za-z0-9]/.test(text));
        const name = login.replace(/\[bot\]$/, "");
        expect(live).toBe(name.length <= 39 && /^[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*$/.test(name));
      }),
      { numRuns: 500 },
    );
  });
});

describe("the module", () => {
  it("imports nothing, so it runs in a browser", () => {
    const source = readFileSync(new URL("./safe-markdown.ts", import.meta.url), "utf8");
    expect(source).not.toMatch(/^\s*import\s/m);
    expect(source).not.toMatch(/\brequire\(|\bimport\(/);
  });
});
