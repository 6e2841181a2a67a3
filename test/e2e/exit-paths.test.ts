// Issue 5, "Nothing left behind": every way out of the built app (q, Ctrl-C,
// SIGINT, SIGTERM, SIGHUP) mid-lesson and after the end of each lesson, and terminals of odd sizes resized
// mid-lesson. After each exit: no lesson program, no process group of one,
// nothing listening on the lesson's port. `npm test` builds first.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { defaultLessonsDir, loadLessons } from "../../src/lessons/load.ts";
import { groupMembers, listening, processGone } from "../helpers/cli.ts";
import { KEY, ROOT, Screen, screensForTests, shownPids } from "./pty.ts";

/** The bound: the app is gone this soon after the key or signal that ends it. */
const EXIT_WITHIN_MS = 2000;

const lessons = loadLessons(defaultLessonsDir()).lessons;
const open = screensForTests("socket-lessons-exit-");

/** The lesson's port, from the header ("port 41163"). */
function shownPort(text: string): number {
  const m = /\bport (\d+) ·/.exec(text.split("\n")[0] ?? "");
  assert.ok(m, `no port in the header:\n${text}`);
  return Number(m[1]);
}

/** The port the app handed its programs (their last argument), for layouts whose header has no room for it. */
function programsPort(pids: readonly number[]): number {
  for (const pid of pids) {
    try {
      const args = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean);
      const port = args.findLast((a) => /^\d{2,5}$/.test(a));
      if (port) return Number(port);
    } catch {
      // gone
    }
  }
  assert.fail(`no port in the programs' command lines (${pids.join(", ")})`);
}

/** Every live descendant of `root` per /proc (the app's programs and anything they started). */
function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const text = readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
      if (fields[0] === "Z") continue;
      const ppid = Number(fields[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // gone while we looked
    }
  }
  const out: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    for (const child of children.get(queue.shift()!) ?? []) {
      out.push(child);
      queue.push(child);
    }
  }
  return out;
}

/** What a quit must leave: the pids on screen and every process the app has started, right now. */
function inventory(screen: Screen): { pids: number[]; port: number } {
  const text = screen.text();
  return { pids: [...new Set([...shownPids(text), ...descendants(screen.pty.pid)])], port: shownPort(text) };
}

function leftBehind(pids: readonly number[], port: number): string[] {
  const left: string[] = [];
  for (const pid of pids) {
    if (!processGone(pid)) left.push(`pid ${pid} runs`);
    const group = groupMembers(pid);
    if (group.length > 0) left.push(`group ${pid} holds ${group.join(", ")}`);
  }
  if (listening(port)) left.push(`port ${port} listens`);
  return left;
}

/** Polls /proc until nothing is left, or fails listing what is. */
async function assertNothingLeft(pids: readonly number[], port: number, withinMs: number, what: string) {
  const start = performance.now();
  let left = leftBehind(pids, port);
  while (left.length > 0 && performance.now() - start < withinMs) {
    await new Promise((r) => setTimeout(r, 20));
    left = leftBehind(pids, port);
  }
  assert.deepEqual(left, [], `${what}: left behind after ${Math.round(withinMs)} ms (pids ${pids.join(", ")})`);
}

/** Resolves with the exit code and how long after `since` the app exited; fails past EXIT_WITHIN_MS. */
async function exitsSoon(screen: Screen, since: number, what: string): Promise<{ code: number; ms: number }> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(new Error(`${what}: still running ${EXIT_WITHIN_MS} ms after quitting; the screen:\n${screen.text()}`)),
      EXIT_WITHIN_MS + 500,
    );
  });
  try {
    const code = await Promise.race([screen.exited, late]);
    const ms = performance.now() - since;
    assert.ok(ms <= EXIT_WITHIN_MS, `${what}: exited after ${Math.round(ms)} ms`);
    return { code, ms };
  } finally {
    clearTimeout(timer);
  }
}

function assertTerminalRestored(screen: Screen, what: string) {
  assert.equal(screen.term.buffer.active.type, "normal", `${what}: the alternate screen was left`);
  assert.ok(screen.raw.lastIndexOf("\x1b[?25h") > screen.raw.lastIndexOf("\x1b[?25l"), `${what}: the cursor is shown`);
}

type Phase = "mid" | "end";
type ExitKey = "q" | "ctrl-c" | "SIGINT" | "SIGTERM" | "SIGHUP";
const SIGNAL_CODES = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;

/** Waits for the phase, with the lesson's programs visible. */
async function reach(screen: Screen, lessonId: string, phase: Phase): Promise<void> {
  if (phase === "end") {
    await screen.waitForText("■ lesson over", 90_000);
    return;
  }
  switch (lessonId) {
    case "blocking-send":
      // The client asleep in the kernel, mid-transfer, its send queue full.
      await screen.waitFor(
        (t) => /◌ asleep in sendto/.test(t) && shownPids(t).length === 2,
        "client asleep in sendto",
        30_000,
      );
      return;
    case "cancel-connect":
      await screen.waitFor(
        (t) => /◌ asleep in connect/.test(t) && shownPids(t).length >= 2,
        "blocking asleep in connect",
        30_000,
      );
      return;
    default:
      // Right after the lesson opens: its first program runs.
      await screen.waitFor((t) => /● running/.test(t) && shownPids(t).length >= 1, "the lesson running", 30_000);
  }
}

async function quitCase(lessonId: string, key: ExitKey, phase: Phase): Promise<void> {
  const what = `${lessonId}, ${key} ${phase === "mid" ? "mid-lesson" : "after the end"}`;
  const screen = open({ args: [lessonId] });
  await reach(screen, lessonId, phase);
  const { pids, port } = inventory(screen);
  assert.ok(shownPids(screen.text()).length >= 1, `${what}: pids on screen:\n${screen.text()}`);
  if (phase === "mid") assert.ok(pids.some((p) => !processGone(p)), `${what}: programs run before quitting`);

  if (key === "SIGINT" || key === "SIGTERM" || key === "SIGHUP") {
    const sent = performance.now();
    process.kill(screen.pty.pid, key);
    const { code } = await exitsSoon(screen, sent, what);
    assert.equal(code, SIGNAL_CODES[key], `${what}: exits ${SIGNAL_CODES[key]}`);
    await assertNothingLeft(pids, port, Math.max(0, EXIT_WITHIN_MS - (performance.now() - sent)), what);
  } else if (key === "ctrl-c") {
    const pressed = performance.now();
    screen.press(KEY.ctrlC);
    const { code } = await exitsSoon(screen, pressed, what);
    assert.equal(code, 130, `${what}: Ctrl-C exits 130`);
    await assertNothingLeft(pids, port, Math.max(0, EXIT_WITHIN_MS - (performance.now() - pressed)), what);
  } else {
    // q: back to the menu, which stops the lesson; q again quits.
    const toMenu = performance.now();
    screen.press("q");
    await screen.waitFor((t) => /↑↓\/jk move · Enter start · q quit/.test(t) && /▸ \d\./.test(t), "the menu", 5000);
    const newPids = descendants(screen.pty.pid);
    await assertNothingLeft(
      [...pids, ...newPids],
      port,
      Math.max(0, EXIT_WITHIN_MS - (performance.now() - toMenu)),
      `${what}, back in the menu`,
    );
    const pressed = performance.now();
    screen.press("q");
    const { code } = await exitsSoon(screen, pressed, what);
    assert.equal(code, 0, `${what}: q in the menu exits 0`);
    await assertNothingLeft(pids, port, 0, what);
  }
  assertTerminalRestored(screen, what);
}

// The full matrix: 3 lessons x {q, Ctrl-C, SIGINT, SIGTERM, SIGHUP} x {mid-lesson, after the end}.
// Two apps at a time keeps the whole under a minute (blocking-send takes ~20 s to end).
describe("every exit key and signal at every phase of every lesson", { concurrency: 2 }, () => {
  for (const phase of ["end", "mid"] as const) {
    for (const lesson of lessons) {
      for (const key of ["q", "ctrl-c", "SIGINT", "SIGTERM", "SIGHUP"] as const) {
        test(`${lesson.id}: ${key} ${phase === "mid" ? "mid-lesson" : "after the end"}`, () =>
          quitCase(lesson.id, key, phase));
      }
    }
  }
});

/** Words as the app could have cut them: every maximal run of letters, digits, _ and '. */
function words(text: string): Set<string> {
  return new Set(text.match(/[A-Za-z0-9_']+/g) ?? []);
}

const blocking = lessons.find((l) => l.id === "blocking-send")!;
/** Every whole word the screen may show: the lesson's text and programs, and the UI's own strings. */
const uiDir = join(ROOT, "src", "ui");
const vocabulary = words(
  [
    ...blocking.programs.map((p) => readFileSync(p.file, "utf8")),
    readFileSync(blocking.file, "utf8"),
    ...readdirSync(uiDir).map((f) => readFileSync(join(uiDir, f), "utf8")),
  ].join("\n"),
);

/** Lines that overflowed (xterm wrapped them) or a word cut by "…"; empty when the frame fits. */
function misfits(screen: Screen): string[] {
  const { rows } = screen.term;
  const buffer = screen.term.buffer.active;
  const bad: string[] = [];
  for (let y = 0; y < rows; y++) if (buffer.getLine(y)?.isWrapped) bad.push(`line ${y} wrapped`);
  const lines = screen.lines();
  if (lines[rows - 1] !== "") bad.push("the last row is used");
  for (const line of lines) {
    for (const token of line.split(/[\s│╭╮╰╯─▕▏]+/)) {
      if (!token.endsWith("…")) continue;
      const word = /[A-Za-z0-9_']*$/.exec(token.slice(0, -1).replace(/\\[nrt0]/g, " "))![0];
      // What precedes "…" must be a whole word ("Python…"), not a piece of one ("Pyt…").
      if (word !== "" && !vocabulary.has(word) && !/^\d+$/.test(word)) bad.push(`"${token}" cut inside a word`);
    }
  }
  // The footer: whole key hints, never cut.
  const footer = lines.filter((l) => l.trim() !== "").at(-1) ?? "";
  if (footer.includes("…") || !/quit$/.test(footer.trim())) bad.push(`footer cut: "${footer}"`);
  return bad;
}

/** The current frame was drawn for this size: the header spans the width, the panes laid out for it. */
function drawnFor(text: string, cols: number, rows: number): boolean {
  const lines = text.split("\n");
  if (!/Blocking send/.test(lines[0] ?? "") || lines[0]!.length !== cols) return false;
  if (cols < 60 || rows < 20) return /^server \d+ /m.test(text) && !/[╭│]/.test(text); // compact: no frames
  if (cols < 100) return /^─ narration/m.test(text); // stacked
  return text.includes("╭─ narration") && lines[rows - 3]!.length === cols; // wide: the bottom borders reach the right edge
}

/** Waits for a frame drawn for the current size that fits it. */
async function fitsNow(screen: Screen, label: string): Promise<void> {
  const { cols, rows } = screen.term;
  await screen.waitFor(
    (t) => drawnFor(t, cols, rows) && misfits(screen).length === 0,
    `a frame fitting ${cols}x${rows} (${label}); misfits: ${misfits(screen).join("; ")}`,
    10_000,
  ).catch((e: Error) => {
    throw new Error(`${e.message}\nmisfits: ${misfits(screen).join("; ")}`);
  });
}

const onBeat = (i: number) =>
  new RegExp(`beat ${i} of ${blocking.beats.length}\\b|\\b${i}/${blocking.beats.length} · `);

for (const [cols, rows] of [[40, 12], [300, 100]] as const) {
  test(`${cols}x${rows}: beats step, every frame fits; resized 5 rounds mid-lesson, still responsive, Ctrl-C leaves nothing`, async () => {
    const screen = open({ cols, rows, args: ["blocking-send"] });
    // Output paused: the server stops reading, the transfer stalls, so the lesson stays mid-way throughout.
    await screen.waitForText("● running", 30_000);
    screen.press("p");
    await screen.waitForText("⏸ output paused");
    for (let i = 1; i <= 3; i++) {
      await screen.waitFor((t) => /Enter\/Space: (the first|next beat)/.test(t), `beat ${i} ready`, 30_000);
      await fitsNow(screen, `before beat ${i}`);
      screen.press(KEY.enter);
      // The header's "beat N of 11", or the narration's "N/11 ·" where the header has no room for it.
      await screen.waitForText(onBeat(i));
      await fitsNow(screen, `beat ${i}`);
    }
    // The programs as the app started them (lane pids, compact or not, plus /proc).
    const pids = [
      ...new Set([
        ...descendants(screen.pty.pid),
        ...[...screen.text().matchAll(/^(?:server|client) (\d+) /gm)].map((m) => Number(m[1])),
        ...shownPids(screen.text()),
      ]),
    ];
    assert.ok(pids.length >= 2, `the programs were found:\n${screen.text()}`);

    const sizes = [[120, 40], [60, 20], [40, 12], [300, 100], [100, 30]] as const;
    for (let round = 1; round <= 5; round++) {
      for (const [c, r] of sizes) {
        screen.resize(c, r);
        await fitsNow(screen, `round ${round}`);
      }
    }
    assert.ok(pids.every((p) => !processGone(p)), `the programs still run after the resizes:\n${screen.text()}`);
    // Still answering keys: ? opens the help, ? closes it.
    screen.press("?");
    await screen.waitForText("Keys in a lesson");
    screen.press("?");
    await screen.waitFor((t) => !t.includes("Keys in a lesson") && onBeat(3).test(t), "the help closed");
    const port = programsPort(pids);
    const more = descendants(screen.pty.pid);
    const pressed = performance.now();
    screen.press(KEY.ctrlC);
    const { code } = await exitsSoon(screen, pressed, `${cols}x${rows}`);
    assert.equal(code, 130);
    await assertNothingLeft(
      [...pids, ...more],
      port,
      Math.max(0, EXIT_WITHIN_MS - (performance.now() - pressed)),
      `${cols}x${rows}`,
    );
    assertTerminalRestored(screen, `${cols}x${rows}`);
  });
}
