// The handout's pure parts: Markdown that shows lesson text exactly and never
// as markup, code fences nothing inside can close, an SVG that is well-formed
// XML whatever a lesson calls its programs; and the handout of a shipped
// recording, whose beats are the ones its live run printed (its witness).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { loadReplay } from "../../src/commands/replay.ts";
import { startReplay } from "../../src/engine/replay.ts";
import { makeHandout } from "../../src/handout/handout.ts";
import { codeBlock, markdownText } from "../../src/handout/markdown.ts";
import { timelineSvg, xmlText } from "../../src/handout/timeline-svg.ts";
import { shippedRecording } from "../../src/recording/shipped.ts";
import type { Timeline } from "../../src/session/timeline.ts";
import { findAll, parseXml } from "../helpers/xml.ts";

test("lesson text in Markdown: HTML, links, images, autolinks, emphasis, math and line-start markup stay text", () => {
  const cases: [string, string][] = [
    ["<img src=x onerror=alert(1)>", "\\<img src=x onerror=alert(1)\\>"],
    ["[click](http://evil.example) ![i](x.png)", "\\[click\\](http\\://evil.example) !\\[i\\](x.png)"],
    ["see https://evil.example and www.evil.example", "see https\\://evil.example and www\\.evil.example"],
    ["mail me@evil.example", "mail me@\u2060evil.example"],
    [
      "*bold* _it_ ~~gone~~ `code` $x$ &amp; #1",
      "\\*bold\\* \\_it\\_ \\~\\~gone\\~\\~ \\`code\\` \\$x\\$ \\&amp; \\#1",
    ],
    ["- not a list", "\\- not a list"],
    ["1. not a list either", "1\\. not a list either"],
    ["> not a quote", "\\> not a quote"],
    ["Line 19: sock.send(data) with 136,314,880 bytes", "Line 19: sock.send(data) with 136,314,880 bytes"],
    ["a\\nb", "a\\\\nb"],
    ["\x1b[31mred\x07", "\\\\x1b\\[31mred\\\\x07"],
  ];
  for (const [text, markdown] of cases) assert.equal(markdownText(text), markdown, text);
});

test("a code block's fence is longer than any run of backticks in it", () => {
  assert.equal(codeBlock(["x = 1"]), "```text\nx = 1\n```");
  assert.equal(codeBlock(["s = '```'", "t = '````'"], "python"), "`````python\ns = '```'\nt = '````'\n`````");
});

test("the SVG is well-formed XML whatever the labels and titles say", () => {
  const hostile = `a<b>&"c'</svg><script>x</script>\x01`;
  const timeline: Timeline = {
    startMs: 0,
    endMs: 1000,
    columnMs: 100,
    programs: [{ label: hostile, cells: "  ==ss..  " }],
    queues: [{
      label: `${hostile} send q`,
      cells: " ▄█       ",
      levels: [null, 0.5, 1, null, null, null, null, null, null, null],
      peak: 10,
      buffer: 10,
      bufferName: "SO_SNDBUF",
    }],
    markers: { label: "beats", cells: "  1       " },
    marks: [{ beat: 1, t: 200, title: hostile }],
    legend: [["=", "running"], ["s", "asleep sending"]],
    sampling: hostile,
  };
  const svg = parseXml(timelineSvg(timeline, { title: hostile, subtitle: hostile }));
  assert.equal(svg.name, "svg");
  assert.equal(findAll(svg, (e) => e.name === "script").length, 0);
  const row = findAll(svg, (e) => e.attrs["data-program"] !== undefined)[0]!;
  assert.equal(row.attrs["data-program"], `a<b>&"c'</svg><script>x</script>\\x01`);
  const asleep = row.children.filter((e) => e.attrs["data-state"] === "s");
  assert.deepEqual(asleep.map((e) => [e.attrs["data-t0"], e.attrs["data-t1"]]), [["400", "600"]]);
  assert.equal(xmlText(`<&>"'`), "&lt;&amp;&gt;&quot;&apos;");
});

test("the handout of a shipped recording tells the beats its live run printed, with their numbers", async () => {
  const file = shippedRecording("blocking-send")!;
  const replay = loadReplay(file);
  const { session } = await startReplay(replay.recording, replay.lesson, { update: () => {} }, "instant").done;
  const { markdown, svg } = makeHandout(session, replay.recording.header, "bs.timeline.svg", file);
  parseXml(svg);
  assert.match(
    markdown,
    /^> Written from a recording \(blocking-send\.ndjson\.gz\) of a run of this lesson on Linux/m,
  );
  const witness = readFileSync(file.replace(".ndjson.gz", ".witness.ndjson"), "utf8").trim().split("\n").map((l) =>
    JSON.parse(l)
  );
  for (const beat of witness.filter((l) => l.type === "beat")) {
    const prose = markdownText(String(beat.text).trim().split("\n").map((l: string) => l.trim()).join(" "));
    assert.ok(markdown.includes(prose), `beat ${beat.index + 1}: ${prose}`);
  }
  for (const line of witness.at(-1).recap) assert.ok(markdown.includes(`- ${markdownText(line)}`), line);
  assert.ok(markdown.includes("](bs.timeline.svg)"));
});
