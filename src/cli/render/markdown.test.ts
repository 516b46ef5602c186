import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { renderMarkdown } from "./markdown.js";
import { displayWidth } from "./width.js";

const plain = (markdown: string, width = 30) => renderMarkdown(markdown, { width, colour: false });
const coloured = (markdown: string, width = 80) =>
  renderMarkdown(markdown, { width, colour: true });
const lines = (...text: string[]) => `${text.join("\n")}\n`;

describe("renderMarkdown without colour", () => {
  it("keeps heading marks and wraps paragraphs", () => {
    expect(
      plain("## Setting up\n\nInstall the *tools* and **run** the `setup` script before anything."),
    ).toBe(
      lines(
        "## Setting up",
        "",
        "Install the tools and run the",
        "`setup` script before",
        "anything.",
      ),
    );
    expect(plain("Setext\n======\n\ntext")).toBe(lines("# Setext", "", "text"));
  });

  it("shows links with their address unless it is the text, and images as text", () => {
    expect(
      plain(
        "See [the docs](https://example.com/docs), <https://a.b>, x@y.z, ![logo](logo.png).",
        40,
      ),
    ).toBe(
      lines(
        "See the docs (https://example.com/docs),",
        "https://a.b, x@y.z, [image:",
        "logo](logo.png).",
      ),
    );
    expect(plain("[ref]\n\n[ref]: http://x.y")).toBe(lines("ref (http://x.y)"));
  });

  it("indents nested lists and numbers ordered ones", () => {
    expect(plain("9. nine\n10. ten\n    - [ ] open\n    - [x] done\n      - deep")).toBe(
      lines(" 9. nine", "10. ten", "    ☐ open", "    ☑ done", "      ▪ deep"),
    );
    expect(plain("- a\n  - b\n    - c\n      - d")).toBe(
      lines("• a", "  ◦ b", "    ▪ c", "      • d"),
    );
    expect(plain("1. [ ] ordered task\n2. [x] done")).toBe(lines("1. ☐ ordered task", "2. ☑ done"));
  });

  it("keeps blank lines between the items of a loose list", () => {
    expect(plain("- one\n\n- two\n\n  more two")).toBe(
      lines("• one", "", "• two", "", "  more two"),
    );
  });

  it("wraps list items under their text", () => {
    expect(plain("- a list item long enough to wrap around", 20)).toBe(
      lines("• a list item long", "  enough to wrap", "  around"),
    );
  });

  it("puts block quotes behind a gutter", () => {
    expect(plain("> quoted *text* that is long enough to wrap\n>\n> > nested")).toBe(
      lines("│ quoted text that is long", "│ enough to wrap", "│", "│ │ nested"),
    );
  });

  it("indents code blocks, expanding tabs and breaking long lines", () => {
    expect(plain("```ts\nconst veryLongIdentifierName = 1;\n\n\tx\n```", 24)).toBe(
      lines("    const veryLongIdenti", "    fierName = 1;", "", "        x"),
    );
  });

  it("renders tables, rules and line breaks", () => {
    expect(plain("| Name | Hours |\n|---|---:|\n| Ana | 3 |\n| Bø | 12.5 |")).toBe(
      lines("Name  Hours", "----  -----", "Ana       3", "Bø     12.5"),
    );
    expect(plain("a\n\n---\n\nb", 10)).toBe(lines("a", "", "──────────", "", "b"));
    expect(plain("line one  \nline two\\\nthree\nfour")).toBe(
      lines("line one", "line two", "three four"),
    );
  });

  it("shows HTML as text and decodes entities", () => {
    expect(
      plain("<script>alert(1)</script>\n\nInline <b>bold</b> &lt;tag&gt; &amp; &#x1F600;", 40),
    ).toBe(lines("<script>alert(1)</script>", "", "Inline <b>bold</b> <tag> & 😀"));
  });

  it("removes escape sequences and control characters, written or as references", () => {
    expect(plain("Evil \u001b[31mred\u001b[0m \u0007bell &#27;[2J &#0;", 40)).toBe(
      lines("Evil red bell  \ufffd"),
    );
  });

  it("renders blank input as nothing", () => {
    expect(plain("")).toBe("");
    expect(plain("   \n\n\t\n")).toBe("");
  });

  it("shows strikethrough as ~~text~~", () => {
    expect(plain("~~gone~~ and `a` and `` b ` c ``")).toBe(lines("~~gone~~ and `a` and `b ` c`"));
  });

  it("has no escape sequences", () => {
    const text = plain(
      "# H\n\n*a* **b** `c` [d](e) ~~f~~\n\n> q\n\n```\nx\n```\n\n| t |\n|---|\n| u |",
    );
    expect(text).not.toContain("\u001b");
  });
});

describe("renderMarkdown with colour", () => {
  it("styles headings, emphasis, code and strikethrough", () => {
    expect(coloured("## Setting up\n\nThe *tools*, **run**, `setup`, ~~gone~~.")).toBe(
      lines(
        "\u001b[2m##\u001b[22m \u001b[1mSetting up\u001b[22m",
        "",
        "The \u001b[3mtools\u001b[23m, \u001b[1mrun\u001b[22m, \u001b[36msetup\u001b[39m, \u001b[9mgone\u001b[29m.",
      ),
    );
  });

  it("underlines links and dims their address, list markers and code", () => {
    expect(coloured("- [a](http://x)\n\n```\ncode\n```")).toBe(
      lines(
        "\u001b[2m•\u001b[22m \u001b[4ma\u001b[24m \u001b[2m(http://x)\u001b[22m",
        "",
        "    \u001b[2mcode\u001b[22m",
      ),
    );
  });

  it("closes styles at the end of every wrapped line", () => {
    expect(coloured("**bold text that wraps**", 10)).toBe(
      lines("\u001b[1mbold text\u001b[22m", "\u001b[1mthat wraps\u001b[22m"),
    );
  });
});

describe("renderMarkdown on any input", () => {
  const fragments = fc.constantFrom(
    ..."# ## > - * + 1. 2) [ ] [x] ` ``` ~~~ ** _ __ ~~ | --- === [a](b) ![c](d) <b> </b> <!-- --> &amp; &#1; \\ \n \n\n \t  a word 中文 👍🏽 http://x.y <x@y.z> \u001b[31m".split(
      " ",
    ),
    "\n",
    " ",
    "|a|b|\n|-|-|\n|c|d|\n",
    "    indented code\n",
  );
  const markdown = fc.oneof(
    fc.array(fragments, { maxLength: 60 }).map((parts) => parts.join("")),
    fc.string({ maxLength: 200 }),
    fc.string({ unit: "grapheme", maxLength: 80 }),
  );

  it("never throws and never goes past the width", () => {
    fc.assert(
      fc.property(markdown, fc.integer({ min: 1, max: 100 }), fc.boolean(), (md, width, colour) => {
        const text = renderMarkdown(md, { width, colour });
        for (const line of text.split("\n")) expect(displayWidth(line)).toBeLessThanOrEqual(width);
        if (!colour) expect(text).not.toContain("\u001b");
      }),
      { numRuns: 300 },
    );
  });

  it("survives deep nesting", () => {
    const nestedList = Array.from({ length: 100 }, (_, i) => `${"  ".repeat(i)}- x`).join("\n");
    for (const md of ["> ".repeat(300), "- ".repeat(300), `${nestedList}\n`]) {
      const text = renderMarkdown(`${md}deep`, { width: 40, colour: false });
      for (const line of text.split("\n")) expect(displayWidth(line)).toBeLessThanOrEqual(40);
    }
  });
});
