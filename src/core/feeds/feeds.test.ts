import { beforeAll, describe, expect, it } from "vitest";
import { type Change, diffTrackers } from "../diff/diff.js";
import type { HistoryCommit, TrackerHistory } from "../git/history.js";
import type { Tracker } from "../model.js";
import { openTracker } from "../open-tracker.js";
import { memorySource } from "../source.js";
import { activityFeed, EMAIL_HIDDEN } from "./atom.js";
import { calendarFeed } from "./ical.js";

// The Atom activity feed over hand-built histories and the iCalendar feed over trackers
// held in memory: exact output for small cases, then hostile text (markup, CDATA ends,
// control characters, long multi-byte titles) checked with a small XML reader and by
// unfolding the calendar.

type Files = Readonly<Record<string, string>>;

const CONFIG = `version: 1
key: acme
name: Acme
timezone: Europe/Berlin
workflow:
  statuses:
    - id: todo
      name: To do
      category: todo
    - id: doing
      name: Doing
      category: in-progress
    - id: done
      name: Done
      category: done
`;

const BASE: Files = {
  "trackdown.yml": CONFIG,
  "people/ana.yml": "name: Ana Souza\nemail: ana@example.com\n",
  "projects/web/project.md": "---\nkey: WEB\nname: Website\nstatus: active\n---\n\nThe site.\n",
  "projects/web/milestones/beta.md":
    "---\ntitle: Public beta\nstatus: active\nstart: 2026-11-02\ndue: 2026-12-04\n---\n",
  "projects/web/milestones/gamma.md":
    "---\ntitle: Gamma\nstatus: cancelled\ndue: 2027-01-15\n---\n",
  "projects/web/tasks/WEB-1-checkout.md":
    "---\nid: WEB-1\ntitle: Checkout page\nstatus: doing\nassignees: [ana]\npriority: high\nmilestone: beta\ndue: 2026-11-20\n---\n",
  "projects/web/tasks/WEB-2-payments.md":
    "---\nid: WEB-2\ntitle: Payment provider\nstatus: done\ndue: 2026-11-10\n---\n",
  "projects/web/tasks/WEB-3-emails.md": "---\nid: WEB-3\ntitle: Order emails\nstatus: todo\n---\n",
  "projects/web/archive/WEB-4-old.md":
    "---\nid: WEB-4\ntitle: Old idea\nstatus: todo\ndue: 2026-11-11\n---\n",
};

const open = (files: Files): Promise<Tracker> => openTracker(memorySource(files));

/** Whether text holds a character XML 1.0 forbids, even as a character reference. */
function hasForbidden(text: string): boolean {
  for (const char of text) {
    const c = char.codePointAt(0)!;
    if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return true;
    if ((c >= 0xd800 && c <= 0xdfff) || c === 0xfffe || c === 0xffff || c > 0x10ffff) return true;
  }
  return false;
}
/** Hostile text: markup, a CDATA end, every XML special, controls, a lone surrogate. */
const HOSTILE = `<script>alert("x")</script> ]]> & 'quotes' \u0000\u0007\u001b\uFFFF\uD800 end`;
/** HOSTILE as it may appear once the characters XML and iCalendar cannot hold are gone. */
const HOSTILE_CLEAN = `<script>alert("x")</script> ]]> & 'quotes'  end`;

// ---------------------------------------------------------------------------------------
// A small, strict XML reader: enough to tell that a feed is well-formed and to read back
// the text it holds. It rejects what a conforming parser rejects for these documents
// (unbalanced or crossed tags, a raw "<" or bare "&" in text or attributes, unknown
// entities, forbidden characters, text or a second element outside the root), and also a
// raw ">" in text, which XML allows but the feed never writes.

interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: (XmlElement | string)[];
}

const ENTITIES: Readonly<Record<string, string>> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
};

function decodeXml(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[A-Za-z]+);|&/g, (all, ref: string | undefined) => {
    if (ref === undefined) throw new Error(`a bare "&" in ${JSON.stringify(text)}`);
    if (ref.startsWith("#")) {
      const code = ref[1] === "x" ? Number.parseInt(ref.slice(2), 16) : Number(ref.slice(1));
      if (code > 0x10ffff || hasForbidden(String.fromCodePoint(code)))
        throw new Error(`forbidden ${all}`);
      return String.fromCodePoint(code);
    }
    const named = ENTITIES[ref];
    if (named === undefined) throw new Error(`unknown entity ${all}`);
    return named;
  });
}

function parseXml(xml: string): XmlElement {
  if (hasForbidden(xml)) throw new Error("a character XML 1.0 forbids");
  const NAME = "[A-Za-z_][\\w.:-]*";
  const token = new RegExp(
    `<(${NAME})((?:\\s+${NAME}\\s*=\\s*"[^"<]*")*)\\s*(/?)>|</(${NAME})\\s*>|([^<]+)`,
    "y",
  );
  const prolog = /^<\?xml version="1\.0" encoding="utf-8"\?>/.exec(xml);
  token.lastIndex = prolog?.[0].length ?? 0;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  while (token.lastIndex < xml.length) {
    const at = token.lastIndex;
    const m = token.exec(xml);
    if (m === null) throw new Error(`not well-formed at ${JSON.stringify(xml.slice(at, at + 40))}`);
    const [, open, attributeText, selfClosing, close, text] = m;
    if (open !== undefined) {
      const attributes: Record<string, string> = {};
      for (const [, name, value] of attributeText!.matchAll(
        new RegExp(`(${NAME})\\s*=\\s*"([^"]*)"`, "g"),
      )) {
        if (name! in attributes) throw new Error(`attribute ${name} twice`);
        attributes[name!] = decodeXml(value!);
      }
      const element: XmlElement = { name: open, attributes, children: [] };
      const parent = stack.at(-1);
      if (parent !== undefined) parent.children.push(element);
      else if (root !== undefined) throw new Error(`a second root <${open}>`);
      else root = element;
      if (selfClosing === "") stack.push(element);
    } else if (close !== undefined) {
      const element = stack.pop();
      if (element?.name !== close) throw new Error(`</${close}> closes <${element?.name}>`);
    } else {
      const parent = stack.at(-1);
      if (parent === undefined) {
        if (text!.trim() !== "") throw new Error(`text outside the root: ${text}`);
      } else {
        if (text!.includes(">")) throw new Error(`a raw ">" in ${JSON.stringify(text)}`);
        parent.children.push(decodeXml(text!));
      }
    }
  }
  if (stack.length > 0) throw new Error(`<${stack.at(-1)!.name}> is not closed`);
  if (root === undefined) throw new Error("no root element");
  return root;
}

const elements = (parent: XmlElement, name: string): XmlElement[] =>
  parent.children.filter((c): c is XmlElement => typeof c !== "string" && c.name === name);
const child = (parent: XmlElement, name: string): XmlElement => {
  const found = elements(parent, name)[0];
  if (found === undefined) throw new Error(`no <${name}> in <${parent.name}>`);
  return found;
};
const textOf = (element: XmlElement): string =>
  element.children.map((c) => (typeof c === "string" ? c : textOf(c))).join("");

describe("the XML reader used by these tests", () => {
  it.each([
    ["<a><b></a></b>", "closes"],
    ["<a>1 < 2</a>", "not well-formed"],
    ["<a>fish & chips</a>", "bare"],
    ["<a>&nbsp;</a>", "unknown entity"],
    ['<a href="x"y"/>', "not well-formed"],
    ["<a>\u0001</a>", "forbids"],
    ["<a/><b/>", "second root"],
    ["<a>", "not closed"],
    ["<a>]]></a>", "raw"],
    ["<a>&#0;</a>", "forbidden"],
    ["<a>&#x110000;</a>", "forbidden"],
  ])("rejects %j", (xml, message) => {
    expect(() => parseXml(xml)).toThrow(message);
  });

  it("reads text and attributes back", () => {
    const root = parseXml(
      '<?xml version="1.0" encoding="utf-8"?>\n<a x="&quot;1&quot;">&lt;&#233;&#x1F600;</a>\n',
    );
    expect(root.attributes).toEqual({ x: '"1"' });
    expect(textOf(root)).toBe("<é😀");
  });
});

// ---------------------------------------------------------------------------------------
// Atom

const NOVEMBER_2 = Date.UTC(2026, 10, 2, 9, 30) / 1000;

function commit(
  oid: string,
  message: string,
  timestamp: number,
  changes: readonly Change[],
  author = "Ana Souza",
): HistoryCommit {
  const signature = (at: number) => ({
    name: author,
    email: "ana.souza@example.com",
    timestamp: at,
    timezoneOffset: -60,
  });
  return {
    oid,
    info: {
      oid,
      tree: "f".repeat(40),
      parents: ["e".repeat(40)],
      message,
      author: signature(timestamp - 3600),
      committer: signature(timestamp),
    },
    merge: false,
    changes,
  };
}

function change(
  kind: Change["kind"],
  id: string,
  summary: string,
  extra: Partial<Change> = {},
): Change {
  return {
    kind,
    id,
    file: "projects/web/tasks/WEB-1-checkout.md",
    line: 2,
    column: 1,
    summary,
    ...extra,
  };
}

const history = (commits: readonly HistoryCommit[]): TrackerHistory => ({
  head: commits.at(-1)?.oid ?? "0".repeat(40),
  commits,
  complete: true,
});

const FEED = {
  title: "Acme: activity",
  siteUrl: "https://acme.example/tracker/",
  feedUrl: "https://acme.example/tracker/activity.xml",
  taskUrl: (id: string) => `tasks/${id}/`,
};

const OID_1 = "1".repeat(40);
const OID_2 = "2".repeat(40);

describe("activityFeed", () => {
  it("writes one entry per commit, newest first (exact output)", () => {
    const feed = activityFeed(
      history([
        commit(OID_1, "Plan the checkout\n\nLonger text.", NOVEMBER_2, [
          change("task.created", "WEB-1", "WEB-1 created in todo: Checkout page"),
          change("milestone.created", "beta", "Milestone beta created: Public beta"),
        ]),
        commit(OID_2, "", NOVEMBER_2 + 86_400, [
          change("task.status", "WEB-1", "WEB-1 moved from todo to doing"),
        ]),
      ]),
      FEED,
    );
    expect(feed).toBe(`<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Acme: activity</title>
  <link rel="alternate" type="text/html" href="https://acme.example/tracker/"/>
  <link rel="self" type="application/atom+xml" href="https://acme.example/tracker/activity.xml"/>
  <id>https://acme.example/tracker/activity.xml</id>
  <updated>2026-11-03T09:30:00Z</updated>
  <generator>Trackdown</generator>
  <entry>
    <id>tag:acme.example,2026-11-03:commit/${OID_2}</id>
    <title>WEB-1 moved from todo to doing</title>
    <updated>2026-11-03T09:30:00Z</updated>
    <author><name>Ana Souza</name></author>
    <link rel="alternate" type="text/html" href="https://acme.example/tracker/tasks/WEB-1/"/>
    <content type="html">&lt;ul&gt;&lt;li&gt;&lt;a href=&quot;https://acme.example/tracker/tasks/WEB-1/&quot;&gt;WEB-1&lt;/a&gt; moved from todo to doing&lt;/li&gt;&lt;/ul&gt;</content>
  </entry>
  <entry>
    <id>tag:acme.example,2026-11-02:commit/${OID_1}</id>
    <title>Plan the checkout</title>
    <updated>2026-11-02T09:30:00Z</updated>
    <author><name>Ana Souza</name></author>
    <link rel="alternate" type="text/html" href="https://acme.example/tracker/tasks/WEB-1/"/>
    <content type="html">&lt;ul&gt;&lt;li&gt;&lt;a href=&quot;https://acme.example/tracker/tasks/WEB-1/&quot;&gt;WEB-1&lt;/a&gt; created in todo: Checkout page&lt;/li&gt;&lt;li&gt;Milestone beta created: Public beta&lt;/li&gt;&lt;/ul&gt;</content>
  </entry>
</feed>
`);
    const root = parseXml(feed);
    expect(root.attributes).toEqual({ xmlns: "http://www.w3.org/2005/Atom" });
    expect(elements(root, "entry")).toHaveLength(2);
  });

  it("is well-formed and keeps hostile text as text", () => {
    const feed = activityFeed(
      history([
        commit(
          OID_1,
          `${HOSTILE}\nsecond line`,
          NOVEMBER_2,
          [
            change("task.title", "WEB-1", `WEB-1 retitled: ${HOSTILE}`),
            change("task.labels", "WEB-2", `WEB-2 labels: +<img src=x onerror=alert(1)>`),
            change(
              "time.logged",
              "2026-11-02-ana-WEB-3-k3x9",
              `ana logged 1h on WEB-3 (2026-11-02)`,
              {
                task: "WEB-3",
              },
            ),
          ],
          `<b>Mallory</b> & "co" \u0001`,
        ),
      ]),
      {
        ...FEED,
        title: `Acme ${HOSTILE}`,
        taskUrl: (id) =>
          id === "WEB-2"
            ? "javascript:alert(1)"
            : id === "WEB-3"
              ? `"><script>x</script>`
              : `tasks/${id}/`,
      },
    );
    const root = parseXml(feed);
    expect(textOf(child(root, "title"))).toBe(`Acme ${HOSTILE_CLEAN}`);
    const entry = child(root, "entry");
    expect(textOf(child(entry, "title"))).toBe(HOSTILE_CLEAN);
    expect(textOf(child(child(entry, "author"), "name"))).toBe(`<b>Mallory</b> & "co"`);
    const content = child(entry, "content");
    expect(content.attributes.type).toBe("html");
    const html = textOf(content);
    // the only markup in the HTML is the feed's own list and links, to http(s) URLs
    for (const [tag] of html.matchAll(/<[^>]*>/g))
      expect(tag).toMatch(/^<(\/?(ul|li|a)|a href="https:\/\/acme\.example\/[^"<>]*")>$/);
    expect(html).not.toMatch(/javascript:/);
    expect(html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; ]]&gt; &amp; &#39;");
    expect(html).toContain("WEB-2 labels: +&lt;img src=x onerror=alert(1)&gt;");
    // a URL that cannot be made an http(s) link is dropped, the text stays
    expect(html).toContain(`<li>WEB-2 labels`);
    // a relative URL with quotes and markup is resolved and percent-encoded
    expect(html).toContain(
      `<a href="https://acme.example/tracker/%22%3E%3Cscript%3Ex%3C/script%3E">WEB-3</a>`,
    );
  });

  it("never writes e-mail addresses", async () => {
    const before = await open(BASE);
    const after = await open({
      ...BASE,
      "people/ana.yml": "name: Ana Souza\nemail: ana.souza@new.example.org\n",
    });
    const changes = diffTrackers(before, after);
    expect(changes.map((c) => c.summary).join()).toContain("ana.souza@new.example.org");
    const feed = activityFeed(
      history([
        commit(
          OID_1,
          "Ana moves to ana.souza@new.example.org",
          NOVEMBER_2,
          changes,
          "ana@example.com",
        ),
        commit(OID_2, "Fix", NOVEMBER_2 + 60, changes, "Ana Souza <ana@example.com>"),
      ]),
      FEED,
    );
    expect(feed).not.toMatch(/@[a-z]/);
    expect(feed).toContain(`Ana moves to ${EMAIL_HIDDEN}`);
    const names = elements(parseXml(feed), "entry").map((e) =>
      textOf(child(child(e, "author"), "name")),
    );
    expect(names).toEqual(["Ana Souza", "unknown"]);
  });

  it("keeps the newest `limit` commits that changed something (50 by default)", () => {
    const commits = Array.from({ length: 60 }, (_, i) =>
      commit(i.toString(16).padStart(40, "0"), `Commit ${i}`, NOVEMBER_2 + i * 60, [
        change("task.status", "WEB-1", "WEB-1 moved"),
      ]),
    );
    const titles = (xml: string) =>
      elements(parseXml(xml), "entry").map((e) => textOf(child(e, "title")));
    const all = titles(activityFeed(history(commits), FEED));
    expect(all).toHaveLength(50);
    expect(all[0]).toBe("Commit 59");
    expect(all.at(-1)).toBe("Commit 10");
    const empty = commit("a".repeat(40), "Nothing", NOVEMBER_2 + 9999, []);
    expect(titles(activityFeed(history([...commits, empty]), { ...FEED, limit: 2 }))).toEqual([
      "Commit 59",
      "Commit 58",
    ]);
    expect(
      titles(activityFeed(history(commits), { ...FEED, limit: Number.POSITIVE_INFINITY })),
    ).toHaveLength(60);
  });

  it("summarises a commit without a message, and links the task's own id, not a longer one", () => {
    const feed = activityFeed(
      history([
        commit(OID_1, "  \n", NOVEMBER_2, [
          change("task.dependencies", "WEB-1", "WEB-1 dependencies: +WEB-12, +WEB-1x"),
          change("task.dependencies", "WEB-1", "dependencies of WEB-12 and WEB-1 changed"),
          change("task.body", "WEB-1", "WEB-1 description edited"),
        ]),
      ]),
      FEED,
    );
    const entry = child(parseXml(feed), "entry");
    expect(textOf(child(entry, "title"))).toBe(
      "WEB-1 dependencies: +WEB-12, +WEB-1x (and 2 more changes)",
    );
    expect(textOf(child(entry, "content"))).toContain(
      `<li>dependencies of WEB-12 and <a href="https://acme.example/tracker/tasks/WEB-1/">WEB-1</a> changed</li>`,
    );
  });

  it("gives stable entry ids, and the feed an author and a date when it is empty", () => {
    const h = history([
      commit(OID_1, "One", NOVEMBER_2, [change("task.body", "WEB-1", "WEB-1 edited")]),
    ]);
    expect(activityFeed(h, FEED)).toBe(activityFeed(h, FEED));
    const ipv6 = activityFeed(h, { ...FEED, siteUrl: "http://[::1]:4321/" });
    expect(textOf(child(child(parseXml(ipv6), "entry"), "id"))).toBe(
      `http://[::1]:4321/#commit-${OID_1}`,
    );

    const empty = parseXml(activityFeed(history([]), FEED));
    expect(elements(empty, "entry")).toEqual([]);
    expect(textOf(child(empty, "updated"))).toBe("1970-01-01T00:00:00Z");
    expect(textOf(child(child(empty, "author"), "name"))).toBe("Acme: activity");
  });
});

// ---------------------------------------------------------------------------------------
// iCalendar

const CALENDAR = {
  name: "Acme dates",
  siteUrl: "https://acme.example/tracker/",
  taskUrl: (id: string) => `tasks/${id}/`,
  milestoneUrl: (id: string) => `milestones/${id}/`,
  now: new Date(Date.UTC(2026, 10, 2, 9, 30, 5, 123)),
};

/** The calendar's logical lines: folds undone, line ends checked. */
function unfold(ics: string): string[] {
  expect(ics.endsWith("\r\n")).toBe(true);
  expect(ics.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
  return ics
    .replace(/\r\n[ \t]/g, "")
    .split("\r\n")
    .slice(0, -1);
}

/** A TEXT value as written before escaping. */
const unescapeText = (value: string): string =>
  value.replace(/\\([\\;,nN])/g, (_, c: string) => (c === "n" || c === "N" ? "\n" : c));

/** Each event's properties by name (values as written). */
function events(ics: string): Record<string, string>[] {
  const out: Record<string, string>[] = [];
  let current: Record<string, string> | undefined;
  for (const line of unfold(ics)) {
    if (line === "BEGIN:VEVENT") current = {};
    else if (line === "END:VEVENT") {
      out.push(current!);
      current = undefined;
    } else if (current !== undefined) {
      const colon = line.indexOf(":");
      current[line.slice(0, colon)] = line.slice(colon + 1);
    }
  }
  return out;
}

describe("calendarFeed", () => {
  let tracker: Tracker;
  beforeAll(async () => {
    tracker = await open(BASE);
  });

  it("writes milestone and open-task dates as all-day events (exact output)", () => {
    const ics = calendarFeed(tracker, CALENDAR);
    const stamp = "DTSTAMP:20261102T093005Z";
    expect(ics.split("\r\n")).toEqual([
      "BEGIN:VCALENDAR",
      "VERSION:2.0",
      "PRODID:-//Trackdown//Trackdown calendar feed//EN",
      "CALSCALE:GREGORIAN",
      "METHOD:PUBLISH",
      "X-WR-CALNAME:Acme dates",
      "X-WR-TIMEZONE:Europe/Berlin",
      "BEGIN:VEVENT",
      "UID:milestone-beta-start@acme",
      stamp,
      "DTSTART;VALUE=DATE:20261102",
      "DTEND;VALUE=DATE:20261103",
      "SUMMARY:Milestone starts: Public beta",
      "DESCRIPTION:Milestone beta: Public beta\\nProject: Website\\nStatus: active\\n",
      " Starts: 2026-11-02\\nDue: 2026-12-04\\nhttps://acme.example/tracker/mileston",
      " es/beta/",
      "URL:https://acme.example/tracker/milestones/beta/",
      "TRANSP:TRANSPARENT",
      "END:VEVENT",
      "BEGIN:VEVENT",
      "UID:task-WEB-1-due@acme",
      stamp,
      "DTSTART;VALUE=DATE:20261120",
      "DTEND;VALUE=DATE:20261121",
      "SUMMARY:Due: WEB-1 Checkout page",
      "DESCRIPTION:WEB-1: Checkout page\\nProject: Website\\nStatus: Doing\\nAssignee",
      " s: Ana Souza\\nPriority: high\\nMilestone: Public beta\\nhttps://acme.example",
      " /tracker/tasks/WEB-1/",
      "URL:https://acme.example/tracker/tasks/WEB-1/",
      "TRANSP:TRANSPARENT",
      "END:VEVENT",
      "BEGIN:VEVENT",
      "UID:milestone-beta-due@acme",
      stamp,
      "DTSTART;VALUE=DATE:20261204",
      "DTEND;VALUE=DATE:20261205",
      "SUMMARY:Milestone due: Public beta",
      "DESCRIPTION:Milestone beta: Public beta\\nProject: Website\\nStatus: active\\n",
      " Starts: 2026-11-02\\nDue: 2026-12-04\\nhttps://acme.example/tracker/mileston",
      " es/beta/",
      "URL:https://acme.example/tracker/milestones/beta/",
      "TRANSP:TRANSPARENT",
      "END:VEVENT",
      "BEGIN:VEVENT",
      "UID:milestone-gamma-due@acme",
      stamp,
      "DTSTART;VALUE=DATE:20270115",
      "DTEND;VALUE=DATE:20270116",
      "SUMMARY:Milestone due: Gamma",
      "DESCRIPTION:Milestone gamma: Gamma\\nProject: Website\\nStatus: cancelled\\nDu",
      " e: 2027-01-15\\nhttps://acme.example/tracker/milestones/gamma/",
      "URL:https://acme.example/tracker/milestones/gamma/",
      "STATUS:CANCELLED",
      "TRANSP:TRANSPARENT",
      "END:VEVENT",
      "END:VCALENDAR",
      "",
    ]);
  });

  it("leaves out closed and archived tasks and tasks without a due date", () => {
    const uids = events(calendarFeed(tracker, CALENDAR)).map((e) => e.UID);
    expect(uids).toContain("task-WEB-1-due@acme");
    for (const id of ["WEB-2", "WEB-3", "WEB-4"]) expect(uids).not.toContain(`task-${id}-due@acme`);
  });

  it("ends a due date on the next day across month and year ends, and drops non-http links", async () => {
    const t = await open({
      ...BASE,
      "projects/web/tasks/WEB-5-party.md":
        "---\nid: WEB-5\ntitle: Party\nstatus: todo\ndue: 2026-12-31\n---\n",
    });
    const ics = calendarFeed(t, { ...CALENDAR, taskUrl: () => "javascript:alert(1)" });
    const party = events(ics).find((e) => e.UID === "task-WEB-5-due@acme")!;
    expect(party["DTSTART;VALUE=DATE"]).toBe("20261231");
    expect(party["DTEND;VALUE=DATE"]).toBe("20270101");
    expect(party.URL).toBeUndefined();
    expect(ics).not.toContain("javascript");
  });

  it("escapes hostile text, folds at 75 octets without splitting a character, and unfolds back", async () => {
    // 200 characters: emoji (4 octets, some joined into one glyph), CJK (3), accents (2)
    const unit = "🚀👩‍👧漢字é;,\\";
    const long = Array.from({ length: 20 }, () => unit).join("");
    expect([...long]).toHaveLength(200);
    const title = `${HOSTILE}\r\nline two\nthree; four, five\\ ${long}`;
    const t = await open({
      ...BASE,
      "projects/web/tasks/WEB-9-hostile.md": `---\nid: WEB-9\ntitle: ${JSON.stringify(title)}\nstatus: todo\ndue: 2026-11-25\n---\n`,
    });
    expect(t.task("WEB-9")?.title).toBe(title);
    const ics = calendarFeed(t, { ...CALENDAR, name: `Cal; ${HOSTILE}` });

    const bytes = new TextEncoder().encode(ics);
    const decoder = new TextDecoder("utf-8", { fatal: true });
    let start = 0;
    for (let i = 0; i < bytes.length; i++) {
      if (bytes[i] !== 0x0a) continue;
      expect(bytes[i - 1]).toBe(0x0d); // every line ends in CRLF
      const line = bytes.subarray(start, i - 1);
      expect(line.length).toBeLessThanOrEqual(75);
      expect(() => decoder.decode(line)).not.toThrow(); // no character split across lines
      start = i + 1;
    }
    expect(start).toBe(bytes.length);
    // long lines are filled up to the limit, not broken early
    expect(ics.split("\r\n").some((l) => new TextEncoder().encode(l).length >= 72)).toBe(true);

    const cleanTitle = `${HOSTILE_CLEAN}\nline two\nthree; four, five\\ ${long}`;
    const event = events(ics).find((e) => e.UID === "task-WEB-9-due@acme")!;
    expect(event.SUMMARY).not.toMatch(/(^|[^\\])[;,]/); // every ; and , escaped
    expect(unescapeText(event.SUMMARY!)).toBe(`Due: WEB-9 ${cleanTitle}`);
    expect(unescapeText(event.DESCRIPTION!).split("\n").slice(0, 3).join("\n")).toBe(
      `WEB-9: ${cleanTitle.split("\n").slice(0, 3).join("\n")}`,
    );
    const calname = unfold(ics).find((l) => l.startsWith("X-WR-CALNAME:"))!;
    expect(unescapeText(calname.slice("X-WR-CALNAME:".length))).toBe(`Cal; ${HOSTILE_CLEAN}`);
  });

  it("gives each event a unique UID that does not change between runs", () => {
    const a = events(calendarFeed(tracker, CALENDAR)).map((e) => e.UID);
    const b = events(calendarFeed(tracker, { ...CALENDAR, now: new Date(0) })).map((e) => e.UID);
    expect(a).toEqual(b);
    expect(new Set(a).size).toBe(a.length);
  });
});
