// A handout of a real blocking-send run (run --json --markdown): the
// Markdown, and the SVG beside it read back as XML and checked against the
// facts the same run printed: the client asleep in sendto for most of its
// send(), its send queue near SO_SNDBUF; rendered to a PNG by rsvg-convert.
import { BLOCKING_SEND_LINE } from "../helpers/lesson-lines.ts";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { facts, ndjson, runCli } from "../helpers/cli.ts";
import { tempDir } from "../helpers/temp-dir.ts";
import { findAll, parseXml, type XmlElement } from "../helpers/xml.ts";

const QUEUE_ROW_PX = 44;

function hasRsvg(): boolean {
  return spawnSync("rsvg-convert", ["--version"]).status === 0;
}

test("run blocking-send --json --markdown: Markdown and an SVG showing the client asleep in send() and its queue near full", async () => {
  const dir = tempDir("sl-handout-");
  const md = join(dir, "blocking send.md");
  const r = await runCli(["run", "blocking-send", "--json", "--markdown", md]);
  assert.equal(r.code, 0, r.stderr);
  const svgPath = join(dir, "blocking send.timeline.svg");
  assert.match(r.stderr, /wrote the handout .*blocking send\.md and its timeline .*blocking send\.timeline\.svg/);
  const lines = ndjson(r.stdout);

  // The picture, read back.
  const svgText = readFileSync(svgPath, "utf8");
  const svg = parseXml(svgText);
  assert.equal(svg.name, "svg");
  const called = facts(lines, "send.called", "client")[0]!.t as number;
  const returned = facts(lines, "send.returned", "client")[0]!.t as number;
  const client = findAll(svg, (e) => e.name === "g" && e.attrs["data-program"] === "client")[0]!;
  const asleepSending = client.children.filter((e) => e.name === "rect" && e.attrs["data-state"] === "s");
  const overlap = (e: XmlElement) =>
    Math.max(0, Math.min(returned, Number(e.attrs["data-t1"])) - Math.max(called, Number(e.attrs["data-t0"])));
  const asleepMs = asleepSending.reduce((sum, e) => sum + overlap(e), 0);
  const share = asleepMs / (returned - called);
  assert.ok(share > 0.5, `asleep in sendto for ${(share * 100).toFixed(0)}% of send()'s ${returned - called} ms`);
  console.log(
    `handout: the client asleep sending for ${(share * 100).toFixed(0)}% of send() (${
      Math.round(returned - called)
    } ms)`,
  );

  const filled = facts(lines, "sendq.filled", "client")[0]!;
  const queue = findAll(svg, (e) => e.name === "g" && e.attrs["data-queue"] === "client send q")[0]!;
  assert.equal(queue.attrs["data-buffer-name"], "SO_SNDBUF");
  assert.equal(Number(queue.attrs["data-buffer"]), filled.limit);
  assert.ok(Number(queue.attrs["data-peak"]) >= (filled.peak as number), "the peak the fact saw, or a later sample");
  const levels = queue.children.filter((e) => e.name === "rect" && e.attrs["data-level"] !== undefined);
  const highest = levels.reduce((a, b) => (Number(b.attrs["data-level"]) > Number(a.attrs["data-level"]) ? b : a));
  const level = Number(highest.attrs["data-level"]);
  assert.ok(level >= 0.8, `the send queue at ${level} of SO_SNDBUF at most`);
  assert.ok(Math.abs(Number(highest.attrs.height) - level * QUEUE_ROW_PX) < 0.02, "drawn as high as it was");
  const nearFull = levels.filter((e) => Number(e.attrs["data-level"]) >= 0.75).length;
  assert.ok(nearFull >= levels.length / 2, `near full in ${nearFull} of ${levels.length} columns with a sample`);
  const beatsTold = lines.filter((l) => l.type === "beat" && l.fact !== null).length;
  assert.equal(findAll(svg, (e) => e.attrs.class === "beat").length, beatsTold);

  // The Markdown: relative picture, the text timeline, the cited line, no HTML outside code.
  const markdown = readFileSync(md, "utf8");
  assert.ok(markdown.includes("](blocking%20send.timeline.svg)"), "a relative link to the picture");
  assert.match(markdown, /^# Blocking send$/m);
  assert.match(markdown, /^> A run of this lesson on Linux /m);
  assert.match(
    markdown,
    new RegExp(`^▶ ${BLOCKING_SEND_LINE} {2}assert sock\\.send\\(data\\) {2}# Send data till true$`, "m"),
  );
  for (const beat of lines.filter((l) => l.type === "beat")) {
    assert.ok(markdown.includes(`### ${(beat.index as number) + 1}. `), `beat ${beat.index}`);
  }
  const returnedBeat = lines.find((l) => l.type === "beat" && l.fact === "send.returned")!;
  const ms = /returned after ([\d,]+ ms)/.exec(String(returnedBeat.text))![1]!;
  assert.ok(markdown.includes(`send() returned after ${ms}`), "the run's own numbers");
  const prose = markdown.replace(/^(`{3,})[\s\S]*?^\1$/gm, "");
  assert.ok(!/<[a-z!/]/i.test(prose), "no HTML in the prose");

  if (!hasRsvg()) {
    assert.notEqual(process.env.CI, "true", "CI installs rsvg-convert (librsvg2-bin): .ci/run");
    return;
  }
  const png = join(dir, "timeline.png");
  execFileSync("rsvg-convert", ["-o", png, svgPath]);
  const bytes = readFileSync(png);
  assert.deepEqual([...bytes.subarray(1, 4)].map((b) => String.fromCharCode(b)).join(""), "PNG");
  assert.equal(bytes.readUInt32BE(16), Number(svg.attrs.width), "rendered at the picture's width");
});

test("--markdown to a folder that does not exist: said before anything runs, exit 2", async () => {
  const dir = tempDir("sl-handout-bad-");
  const r = await runCli(["run", "blocking-send", "--plain", "--markdown", join(dir, "no", "h.md")]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^socket-lessons: --markdown .*h\.md cannot be written: the folder .* does not exist\.$/m);
  assert.equal(r.stdout, "");
  assert.equal(existsSync(join(dir, "no")), false);
});
