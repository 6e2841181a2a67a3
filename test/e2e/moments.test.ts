// Each beat shows its moment: a learner who reads slowly (8 s on the
// introduction, while the programs run on) still sees, on each beat, the
// programs as that beat describes them: held there live, or as recorded at
// the beat's fact. Never the end of the run beside the beginning's text.
import { BLOCKING_SEND_LINE } from "../helpers/lesson-lines.ts";
import assert from "node:assert/strict";
import { test } from "node:test";
import { setTimeout as delay } from "node:timers/promises";
import { defaultLessonsDir, loadLessons } from "../../src/lessons/load.ts";
import { KEY, type Screen, screensForTests } from "./pty.ts";

const lessons = loadLessons(defaultLessonsDir()).lessons;
const open = screensForTests("socket-lessons-moments-");

/** A learner reading: the time they take is the test's subject, not a wait for an event. */
const READING_MS = 8000;

/** A program's pane: its title line down to its bottom border. */
function pane(screen: Screen, program: string): string {
  const lines = screen.lines();
  const top = lines.findIndex((l) => l.includes(`─ ${program} · `));
  if (top < 0) return "";
  const bottom = lines.findIndex((l, i) => i > top && l.startsWith("╰"));
  return lines.slice(top, bottom < 0 ? undefined : bottom + 1).map((l) => l.split("││")[0]!).join("\n");
}

/** The narration's heading ("6/12 · The kernel puts…"), from the header's position ("beat 6 of 12", "the end"). */
function position(screen: Screen): string {
  return /(introduction|the end|beat \d+ of \d+)/.exec(screen.lines()[0] ?? "")?.[1] ?? "";
}

/** Presses Enter when the narration says it may, and waits until the learner's position moves. */
async function step(screen: Screen): Promise<void> {
  await screen.waitFor((t) => /Enter\/Space: /.test(t), "the narration ready for Enter", 30_000);
  const before = position(screen);
  screen.press(KEY.enter);
  const asked = () => screen.lines().some((l) => /Before beat \d+\/\d+: predict/.test(l));
  await screen.waitFor(() => position(screen) !== before || asked(), `a step from ${before}`, 30_000);
  if (asked()) {
    // A question before the beat (test/e2e/tui.test.ts answers one): skipped here, with Esc.
    screen.press(KEY.esc);
    await screen.waitFor(() => position(screen) !== before, `past the question, from ${before}`, 30_000);
  }
}

/** Steps until the narration shows the beat titled `title` (its heading may be cut short: its start is enough). */
async function stepTo(screen: Screen, title: string): Promise<string> {
  const start = title.slice(0, 24);
  for (let i = 0; i < 20; i++) {
    if (screen.lines().some((l) => l.includes(` · ${start}`) && /││\d+\/\d+ · /.test(l))) return screen.text();
    await step(screen);
  }
  throw new Error(`never reached "${title}":\n${screen.text()}`);
}

/** Bytes from "3.2 MiB", "812.0 KiB", "3,355,443 B". */
const UNIT = { B: 1, KiB: 1024, MiB: 1024 * 1024 } as const;

/** "3.7 / 3.8 MiB" or "900 KiB / 3.8 MiB": a queue and its buffer, in bytes (a shared unit is said once). */
function queueOf(text: string): [number, number] {
  const m = /([\d,.]+)\s*(MiB|KiB|B)?\s*\/\s*([\d,.]+)\s*(MiB|KiB|B)\b/.exec(text);
  if (!m) return [Number.NaN, Number.NaN];
  const n = (s: string) => Number(s.replace(/,/g, ""));
  const unit = (u: string | undefined) => UNIT[(u ?? m[4]) as keyof typeof UNIT];
  return [n(m[1]!) * unit(m[2]), n(m[3]!) * unit(m[4])];
}

function started(id: string): Screen {
  assert.ok(lessons.some((l) => l.id === id), id);
  return open({ cols: 120, rows: 40, args: [id] });
}

test("blocking-send, read slowly: the sleep beat shows the client asleep in sendto on its send() line, not exited", async () => {
  const screen = started("blocking-send");
  await screen.waitForText(/introduction · .*● running/);
  await delay(READING_MS);
  const text = await stepTo(screen, "The kernel puts the client to sleep");
  const client = pane(screen, "client");
  assert.match(client, /asleep in sendto/, client);
  assert.match(client, new RegExp(`▶${BLOCKING_SEND_LINE} assert sock\\.send\\(data\\)`), client);
  assert.doesNotMatch(client, /exited/, client);
  // Live, with the server held by the lesson; or the moment as recorded at the beat's fact.
  assert.ok(/held by socket-lessons|recorded/.test(text) || /go on \(socket-lessons holds/.test(text), text);
  screen.press(KEY.ctrlC);
  await screen.exited;
});

test("non-blocking-send, read slowly: the early return shows the client's send queue near full", async () => {
  const screen = started("non-blocking-send");
  await screen.waitForText(/introduction · .*● running/);
  await delay(READING_MS);
  await stepTo(screen, "send() returns at once, with part of the data");
  const gauge = screen.lines().find((l) => /client fd \d+/.test(l));
  const lines = screen.lines();
  const at = lines.findIndex((l) => /client fd \d+/.test(l));
  const sendQ = lines.slice(at, at + 3).find((l) => l.includes("send q")) ?? "";
  const [used, size] = queueOf(sendQ);
  assert.ok(gauge && used >= 0.6 * size, `the client's send queue near full: ${sendQ}`);
  assert.doesNotMatch(pane(screen, "client"), /exited/);
  screen.press(KEY.ctrlC);
  await screen.exited;
});

test("cancel-connect, read slowly: the blocked connect shows the program asleep in connect", async () => {
  const screen = started("cancel-connect");
  await screen.waitForText(/introduction · .*● running/);
  await delay(READING_MS);
  await stepTo(screen, "connect() blocks");
  const blocking = pane(screen, "blocking");
  assert.match(blocking, /asleep in connect/, blocking);
  assert.match(blocking, /▶14 sock\.connect\(\(host, port\)\)/, blocking);
  screen.press(KEY.ctrlC);
  await screen.exited;
});

test("the timeline, at the end of blocking-send: the client asleep in sendto most of send(), its queue near full, beats in order", async () => {
  const screen = started("blocking-send");
  await screen.waitForText(/introduction · .*● running/);
  // Through every beat (releasing each hold) to the end, then the timeline.
  while (position(screen) !== "the end") await step(screen);
  await screen.waitForText("What this run measured");
  screen.press("t");
  const text = await screen.waitForText("The run over time");
  const row = (label: string) =>
    (text.split("\n").find((l) => l.trim().startsWith(`${label} │`)) ?? "").split("│")[1] ?? "";
  const client = row("client");
  const queue = row("client send q");
  const sending = [...client].filter((c) => c === "s").length;
  const active = [...client].filter((c) => c !== " " && c !== ".").length;
  assert.ok(sending > 0.5 * active, `client asleep sending in ${sending} of ${active} columns: ${client}`);
  const levels = [...queue].filter((c) => "▁▂▃▄▅▆▇█".includes(c));
  assert.ok(levels.filter((c) => "▅▆▇█".includes(c)).length > 0.6 * levels.length, `queue: ${queue}`);
  const marks = [...row("beats")].filter((c) => c !== " ");
  const order = marks.map((c) => "123456789abcdefghijklmnopqrstuvwxyz".indexOf(c));
  assert.deepEqual([...order].sort((a, b) => a - b), order, `markers in order: ${marks.join("")}`);
  screen.press(KEY.ctrlC);
  await screen.exited;
});
