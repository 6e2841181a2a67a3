// Issue 5, "Nothing left behind": every way out of the app (q, Ctrl-C,
// SIGINT, SIGTERM, SIGHUP, and SIGKILL mid-lesson) before the client
// connects, mid-lesson and after the end of each lesson, with the app started
// by its bin (Node), under Deno and through npx, each from a job-control
// shell as in a user's terminal; and terminals of odd sizes resized
// mid-lesson. After each exit: no lesson program, no process group of one,
// nothing listening on the lesson's port, the terminal's modes back.
// `npm test` builds first.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { defaultLessonsDir, loadLessons } from "../../src/lessons/load.ts";
import { groupMembers, listening, processGone } from "../helpers/cli.ts";
import { CLI, KEY, ROOT, Screen, screensForTests, shownPids } from "../e2e/pty.ts";

/** The bound: the app is gone this soon after the key or signal that ends it. */
const EXIT_WITHIN_MS = 2000;

const allLessons = loadLessons(defaultLessonsDir()).lessons;
/**
 * The matrix runs the tutorial's three lessons (two programs to the end; three, two of them stopped by the
 * lesson). The lessons beyond it end the same ways, and get one run each below: with every lesson in the
 * matrix, it would be three times as long.
 */
const lessons = allLessons.filter((l) => l.part === "The tutorial");
const open = screensForTests("socket-lessons-exit-");

/** The lesson's port, from the header ("port 41163"), or null where the header has no room for it. */
function shownPort(text: string): number | null {
  const m = /\bport (\d+) ·/.exec(text.split("\n")[0] ?? "");
  return m ? Number(m[1]) : null;
}

function cmdline(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean);
  } catch {
    return []; // gone
  }
}

/** The port the app handed its programs (their last argument), for layouts whose header has no room for it. */
function programsPort(pids: readonly number[]): number {
  for (const pid of pids) {
    const port = cmdline(pid).findLast((a) => /^\d{2,5}$/.test(a));
    if (port) return Number(port);
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

/** The lesson programs the app has started so far: its descendants running the tracer. */
function lessonPrograms(root: number): number[] {
  return descendants(root).filter((pid) => cmdline(pid).some((a) => a.endsWith("tracer.py")));
}

/** Fields of /proc/PID/stat after the command: state, ppid, pgrp, session, tty_nr, tpgid, ... */
function statFields(pid: number): string[] {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    return text.slice(text.lastIndexOf(")") + 2).split(" ");
  } catch {
    return []; // gone
  }
}

/** The terminal's foreground process group, per its session leader (tpgid). */
const foregroundGroup = (sessionLeader: number) => Number(statFields(sessionLeader)[5]);

/**
 * Every process of the app's (the launcher, the app, its programs and their
 * children), collected until `stop()`: a program started in the instant a
 * quit arrives must go too, and once orphaned it is no longer a descendant.
 */
function watchProcesses(screen: Screen): { seen: Map<number, Seen>; stop: () => void } {
  const seen = new Map<number, Seen>();
  const look = () => {
    for (const pid of descendants(screen.pty.pid)) {
      const fields = statFields(pid);
      if (!seen.has(pid) && fields.length > 19) seen.set(pid, { pgrp: Number(fields[2]), start: fields[19]! });
    }
  };
  look();
  const timer = setInterval(look, 25);
  return { seen, stop: () => clearInterval(timer) };
}

/** A process as first seen: its group, and its start time (a pid reused later is another process). */
interface Seen {
  readonly pgrp: number;
  readonly start: string;
}

/** Still the process that was seen: not gone, not a zombie, the same start time. */
function stillRuns(pid: number, seen: Seen | undefined): boolean {
  const fields = statFields(pid);
  return fields.length > 19 && fields[0] !== "Z" && (seen === undefined || fields[19] === seen.start);
}

function leftBehind(pids: readonly number[] | ReadonlyMap<number, Seen>, port: number): string[] {
  const entries: [number, Seen | undefined][] = Array.isArray(pids)
    ? pids.map((pid) => [pid, undefined])
    : [...(pids as ReadonlyMap<number, Seen>)];
  const left: string[] = [];
  for (const [pid, seen] of entries) {
    if (stillRuns(pid, seen)) left.push(`pid ${pid} runs (${cmdline(pid).join(" ").slice(0, 80)})`);
    const group = groupMembers(pid);
    if (group.length > 0) left.push(`group ${pid} holds ${group.join(", ")}`);
  }
  if (listening(port)) left.push(`port ${port} listens`);
  return left;
}

/** Polls /proc until nothing is left, or fails listing what is. */
async function assertNothingLeft(
  pids: readonly number[] | ReadonlyMap<number, Seen>,
  port: number,
  withinMs: number,
  what: string,
) {
  const start = performance.now();
  let left = leftBehind(pids, port);
  while (left.length > 0 && performance.now() - start < withinMs) {
    await new Promise((r) => setTimeout(r, 20));
    left = leftBehind(pids, port);
  }
  const all = Array.isArray(pids) ? pids : [...(pids as ReadonlyMap<number, Seen>).keys()];
  assert.deepEqual(left, [], `${what}: left behind after ${Math.round(withinMs)} ms (pids ${all.join(", ")})`);
}

/** Resolves with how long after `since` `ended` resolved; fails past EXIT_WITHIN_MS. */
async function endsSoon<T>(screen: Screen, ended: Promise<T>, since: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(new Error(`${what}: still running ${EXIT_WITHIN_MS} ms after quitting; the screen:\n${screen.text()}`)),
      EXIT_WITHIN_MS + 500,
    );
  });
  try {
    const result = await Promise.race([ended, late]);
    const ms = performance.now() - since;
    assert.ok(ms <= EXIT_WITHIN_MS, `${what}: exited after ${Math.round(ms)} ms`);
    return result;
  } finally {
    clearTimeout(timer);
  }
}

/** Resolves with the exit code and how long after `since` the app exited; fails past EXIT_WITHIN_MS. */
async function exitsSoon(screen: Screen, since: number, what: string): Promise<{ code: number }> {
  return { code: await endsSoon(screen, screen.exited, since, what) };
}

/**
 * Main screen and cursor back. Called once the app is gone: what it wrote
 * last is in the pty by then, but may still be on its way to the screen.
 */
async function assertTerminalRestored(screen: Screen, what: string) {
  const cursorShown = () => screen.raw.lastIndexOf("\x1b[?25h") > screen.raw.lastIndexOf("\x1b[?25l");
  const restored = () => screen.term.buffer.active.type === "normal" && cursorShown();
  await screen.waitFor(restored, "the terminal restored", 1000).catch(() => {});
  assert.equal(screen.term.buffer.active.type, "normal", `${what}: the alternate screen was left`);
  assert.ok(cursorShown(), `${what}: the cursor is shown`);
}

type Launcher = "node" | "deno" | "npx";
/** How a user starts the app: the bin (through its shebang), under Deno, through npx. */
const LAUNCH: Record<Launcher, (lesson: string) => string> = {
  node: (lesson) => `${CLI} ${lesson}`,
  deno: (lesson) => `./node_modules/deno/deno run -A src/cli.ts ${lesson}`,
  npx: (lesson) => `npx --no-install socket-lessons ${lesson}`,
};

/**
 * The app started from a job-control shell in the pty (job-shell.py), as
 * from a user's terminal: the launcher gets a process group of its own in
 * the terminal's foreground, so npx's death alone does not hang up the
 * terminal (as it would if npx led the pty's session), and the shell takes
 * the terminal back the moment the launcher ends.
 */
function openFromShell(launcher: Launcher, lesson: string): Screen {
  return open({ shell: `cd '${ROOT}' && exec '${PYTHON}' test/e2e/job-shell.py ${LAUNCH[launcher](lesson)}` });
}

/** The interpreter behind `python3`, found once for the job shell (through a pyenv shim each start costs ~0.4 s). */
const PYTHON = execFileSync("python3", ["-c", "import sys; print(sys.executable)"], { encoding: "utf8" }).trim();

/** How the launcher ended, as the job shell printed it: "exited 143", "killed by signal 15". */
type Ending = string;

/**
 * How the launcher ended. From the raw output, not the screen: through npx
 * a signal can end npx (and the shell prints) while the app, orphaned, is
 * still leaving the alternate screen.
 */
async function shellStatus(screen: Screen): Promise<Ending> {
  for (;;) {
    const m = /\[(exited \d+|killed by signal \d+)\]/.exec(screen.raw);
    if (m) return m[1]!;
    if (screen.exitCode !== null) assert.fail(`the shell ended with no status; the screen:\n${screen.text()}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/**
 * The endings a run may have. The app itself exits with 128+n after a
 * signal, having stopped its programs (dying of the signal would mean its
 * handler never ran); SIGKILL kills it. npm re-raises a signal on itself
 * once its child has gone, or dies of one it has no handler for.
 */
function expectedEndings(launcher: Launcher, key: ExitKey): Ending[] {
  if (key === "q") return ["exited 0"];
  if (key === "ctrl-c") return ["exited 130"];
  const signal = { SIGINT: 2, SIGTERM: 15, SIGHUP: 1, SIGKILL: 9 }[key];
  if (key === "SIGKILL") return [`killed by signal ${signal}`];
  return launcher === "npx" ? [`killed by signal ${signal}`, `exited ${128 + signal}`] : [`exited ${128 + signal}`];
}

/** `stty -a` once the app is gone: echo and canonical mode back on. */
async function assertModesBack(screen: Screen, what: string) {
  screen.press("\n");
  await within(screen.exited, 10_000, `${what}: the job shell's stty -a`);
  const stty = screen.raw.slice(Math.max(screen.raw.lastIndexOf("[exited"), screen.raw.lastIndexOf("[killed")));
  assert.match(stty, /(^|\s)echo(\s|$)/m, `${what}: echo is on again:\n${stty}`);
  assert.match(stty, /(^|\s)icanon(\s|$)/m, `${what}: canonical mode is on again:\n${stty}`);
}

type Phase = "before" | "mid" | "end";
const PHASE_NAMES: Record<Phase, string> = {
  before: "before the client connects",
  mid: "mid-lesson",
  end: "after the end",
};
type ExitKey = "q" | "ctrl-c" | "SIGINT" | "SIGTERM" | "SIGHUP" | "SIGKILL";

/**
 * Waits for the phase. "before": the lesson's first program (its server)
 * runs and the next one, which connects, has not started; that window is a
 * Python start-up long (~100 ms), so /proc is polled, not the screen, and a
 * missed window says so (the caller tries again).
 */
async function reach(screen: Screen, lessonId: string, phase: Phase): Promise<"reached" | "missed"> {
  if (phase === "before") {
    const deadline = performance.now() + 30_000;
    while (performance.now() < deadline) {
      const programs = lessonPrograms(screen.pty.pid);
      if (programs.length === 1) return "reached";
      if (programs.length > 1) return "missed";
      if (screen.exitCode !== null) assert.fail(`the app exited before its first program started:\n${screen.text()}`);
      await new Promise((r) => setTimeout(r, 10));
    }
    assert.fail(`no lesson program started in 30 s; the screen:\n${screen.text()}`);
  }
  if (phase === "end") {
    await screen.waitForText("■ lesson over", 90_000);
    return "reached";
  }
  switch (lessonId) {
    case "blocking-send":
      // The client asleep in the kernel, mid-transfer, its send queue full.
      await screen.waitFor(
        (t) => /◌ asleep in sendto/.test(t) && shownPids(t).length === 2,
        "client asleep in sendto",
        30_000,
      );
      return "reached";
    case "cancel-connect":
      await screen.waitFor(
        (t) => /◌ asleep in connect/.test(t) && shownPids(t).length >= 2,
        "blocking asleep in connect",
        30_000,
      );
      return "reached";
    default:
      // Right after the lesson opens: its first program runs.
      await screen.waitFor((t) => /● running/.test(t) && shownPids(t).length >= 1, "the lesson running", 30_000);
      return "reached";
  }
}

/** `promise`, or a failure naming `what` after `ms`: no wait in this file may hang the suite. */
async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: nothing after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** After a failed or abandoned run: SIGKILL to everything it started, and their groups, and the shell. */
async function killRun(screen: Screen, seen: ReadonlyMap<number, Seen>): Promise<void> {
  const ours = [...seen].filter(([pid, first]) => stillRuns(pid, first)).map(([pid]) => pid);
  for (const pid of new Set([...ours, ...descendants(screen.pty.pid)])) {
    for (const target of [-pid, pid]) {
      try {
        process.kill(target, "SIGKILL");
      } catch {
        // gone, or not a group leader
      }
    }
  }
  screen.kill();
  await within(screen.exited, 5000, "the job shell after SIGKILL").catch(() => {});
}

/**
 * One run: opens the lesson, waits for the phase, quits with `key`, checks.
 * "before": if the client has started by the instant the key would go, the
 * run is abandoned before anything is sent and tried again (3 tries).
 */
async function quitCase(launcher: Launcher, lessonId: string, key: ExitKey, phase: Phase): Promise<void> {
  const what = `${launcher}, ${lessonId}, ${key} ${PHASE_NAMES[phase]}`;
  for (let attempt = 1; attempt <= 3; attempt++) {
    // To reach the end unattended the lesson must not hold its programs for a reader: --auto (no holds).
    const screen = openFromShell(launcher, phase === "end" ? `${lessonId} --auto` : lessonId);
    let watch: ReturnType<typeof watchProcesses> | null = null;
    let outcome: "done" | "missed" | "failed" = "failed";
    try {
      if ((await reach(screen, lessonId, phase)) === "missed") {
        outcome = "missed";
        continue;
      }
      // From here on (scanning /proc costs CPU the runs share): every process, for the nothing-left check.
      watch = watchProcesses(screen);
      outcome = await quitAt(screen, watch, { launcher, key, phase, what });
      if (outcome === "done") return;
    } finally {
      watch?.stop();
      if (outcome !== "done") await killRun(screen, watch?.seen ?? new Map());
    }
  }
  assert.fail(`${what}: three tries, and each time the client had started before the key could go`);
}

interface QuitCase {
  readonly launcher: Launcher;
  readonly key: ExitKey;
  readonly phase: Phase;
  readonly what: string;
}

async function quitAt(
  screen: Screen,
  watch: { seen: Map<number, Seen> },
  { launcher, key, phase, what }: QuitCase,
): Promise<"done" | "missed"> {
  const programs = lessonPrograms(screen.pty.pid);
  const port = shownPort(screen.text()) ?? programsPort(programs);
  if (phase !== "end") assert.ok(programs.length >= 1, `${what}: programs run before quitting`);
  // The terminal's foreground group: the app's (npx's, through npx), where a terminal sends SIGINT and SIGHUP.
  const group = foregroundGroup(screen.pty.pid);
  const app = group; // the launched process leads its group: what `kill PID` would name
  // The phase must still hold at the instant the key goes.
  if (phase === "before" && lessonPrograms(screen.pty.pid).length !== 1) return "missed";
  const sent = performance.now();
  if (key === "q") {
    // q: back to the menu, which stops the lesson; q again quits.
    screen.press("q");
    await screen.waitFor((t) => /↑↓\/jk move · Enter start · q quit/.test(t) && /▸ \d\./.test(t), "the menu", 5000);
    // The lesson's processes: everything the app started, in groups of their own (the app's is the foreground one).
    // (The group now: a process first seen between fork and exec was still in the shell's.)
    const groupNow = (pid: number, first: Seen) => Number(statFields(pid)[2] ?? first.pgrp);
    const lessonProcesses = new Map(
      [...watch.seen].filter(([pid, first]) => groupNow(pid, first) !== group && pid !== screen.pty.pid),
    );
    await assertNothingLeft(
      lessonProcesses,
      port,
      Math.max(0, EXIT_WITHIN_MS - (performance.now() - sent)),
      `${what}, back in the menu`,
    );
    screen.press("q");
  } else if (key === "ctrl-c") {
    screen.press(KEY.ctrlC);
  } else if (key === "SIGTERM" || key === "SIGKILL") {
    process.kill(app, key); // as `kill PID` sends it, to the process the user started
  } else {
    process.kill(-group, key); // to the terminal's foreground process group, as a terminal sends SIGINT
  }
  const since = key === "q" ? performance.now() : sent;
  const ending = await endsSoon(screen, shellStatus(screen), since, what);
  assert.ok(
    expectedEndings(launcher, key).includes(ending),
    `${what}: ${ending}, not ${expectedEndings(launcher, key)}`,
  );
  await assertNothingLeft(
    watch.seen,
    port,
    Math.max(0, EXIT_WITHIN_MS - (performance.now() - since)),
    what,
  );
  // Through npx, SIGTERM or SIGKILL to npx, and SIGHUP (npm has no handler for it), end npx at once: the
  // shell may take the terminal back while the app, orphaned, is still stopping. The app still leaves the
  // alternate screen and shows the cursor, but once its process group is orphaned in the background the
  // kernel refuses it the terminal's modes (EIO); bash and zsh reset the modes of a job a signal ended.
  const launcherEndsFirst = launcher === "npx" && (key === "SIGTERM" || key === "SIGKILL" || key === "SIGHUP");
  // SIGKILL of the app itself leaves it no chance to restore anything.
  if (key === "SIGKILL" && !launcherEndsFirst) return "done";
  await assertTerminalRestored(screen, what);
  if (!launcherEndsFirst) await assertModesBack(screen, what);
  return "done";
}

// The matrix: 3 launchers x 3 lessons x {q, Ctrl-C, SIGINT, SIGTERM, SIGHUP} x {before the client connects,
// mid-lesson, after the end}, and SIGKILL mid-lesson: 144 runs, about 5.5 minutes on 2 cores. `npm test`
// (CI, with its 10-minute budget) runs every key at every phase from the bin under Node, and every key
// mid-lesson under Deno and through npx (the phase is the app's logic, the same under each; the launcher's
// part is how a key or signal reaches it), the lessons taking turns: 28 runs. `npm run test:exits` runs
// all 144. Two apps at a time: the runs are CPU-bound (the blocking-send server prints all 130 MiB it
// reads), and a third one slows them all.
const FULL_MATRIX = process.env.EXIT_MATRIX === "full";
const LAUNCHERS = ["node", "deno", "npx"] as const;

describe("every exit key and signal at every phase of every lesson, from every launcher", { concurrency: 2 }, () => {
  const phases = ["end", "mid", "before"] as const; // slowest first: blocking-send takes ~6 s to end
  phases.forEach((phase, p) => {
    const keys: ExitKey[] = ["q", "ctrl-c", "SIGINT", "SIGTERM", "SIGHUP"];
    if (phase === "mid") keys.push("SIGKILL");
    LAUNCHERS.forEach((launcher, l) => {
      keys.forEach((key, k) => {
        lessons.forEach((lesson, i) => {
          const inTurn = (k + p + l) % lessons.length === i;
          if (!FULL_MATRIX && (!inTurn || (launcher !== "node" && phase !== "mid"))) return;
          test(`${launcher}, ${lesson.id}: ${key} ${PHASE_NAMES[phase]}`, () =>
            quitCase(launcher, lesson.id, key, phase));
        });
      });
    });
  });
});

describe("the lessons beyond the tutorial: Ctrl-C with the lesson running leaves nothing", { concurrency: 2 }, () => {
  for (const lesson of allLessons.filter((l) => !lessons.includes(l))) {
    test(`node, ${lesson.id}: ctrl-c ${PHASE_NAMES.mid}`, () => quitCase("node", lesson.id, "ctrl-c", "mid"));
  }
});

// The terminal really closed: the pty's master side goes, the kernel hangs up the terminal (SIGHUP to
// the shell and to the foreground group) and every write to it fails. Nothing can be checked on a screen
// that is gone; what must hold is that nothing is left.
for (const launcher of LAUNCHERS) {
  test(`${launcher}, blocking-send: the terminal closed mid-lesson: nothing left within 2 s`, async () => {
    const screen = openFromShell(launcher, "blocking-send");
    const watch = watchProcesses(screen);
    try {
      await reach(screen, "blocking-send", "mid");
      const port = shownPort(screen.text()) ?? programsPort(lessonPrograms(screen.pty.pid));
      (screen.pty as unknown as { destroy(): void }).destroy(); // node-pty's close of the master side
      await assertNothingLeft(watch.seen, port, EXIT_WITHIN_MS, `${launcher}, terminal closed`);
    } finally {
      watch.stop();
      await killRun(screen, watch.seen);
    }
  });
}

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
    await assertTerminalRestored(screen, `${cols}x${rows}`);
  });
}
