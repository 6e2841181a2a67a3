// Replays in the player, in a real pseudo-terminal: the label is on every
// screen (the header over the narration, the timeline and the end summary;
// the help's title), keys that act on programs say why they cannot, and the
// menu offers the recorded Linux runs where the kernel cannot be observed
// (a faked macOS: SOCKET_LESSONS_PLATFORM), and not where it can.
import assert from "node:assert/strict";
import { test } from "node:test";
import { defaultLessonsDir, loadLessons } from "../../src/lessons/load.ts";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { CLI, KEY, ROOT, type Screen, screensForTests } from "./pty.ts";

const open = screensForTests("socket-lessons-replay-");
const RECORDING = `${ROOT}/recordings/non-blocking-send.ndjson.gz`;
const lessons = loadLessons(defaultLessonsDir()).lessons;
const nonBlocking = lessons.find((l) => l.id === "non-blocking-send")!;

/** The header (the screen's first line) names the recording, whatever the view below it. */
function assertLabelled(screen: Screen, where: string): void {
  const header = screen.lines()[0]!;
  assert.match(header, /▶ REPLAY|■ REPLAY over/, `${where}: ${header}`);
  assert.match(header, /recorded \d{4}-\d\d-\d\d \d\d:\d\d UTC/, `${where}: ${header}`);
}

// In real time at 120x40 (the beats come as the recording plays); at once at 80x24.
for (const [cols, rows, pace] of [[120, 40, []], [80, 24, ["--instant"]]] as const) {
  test(`replay FILE ${pace.join(" ")} at ${cols}x${rows}: labelled on the narration, the timeline, the end and the help`, async () => {
    const screen = open({ cols, rows, args: ["replay", RECORDING, ...pace] });
    await screen.waitForText("▶ REPLAY");
    assertLabelled(screen, "the introduction");
    // The introduction says it in full where it has the room (at 80x24 the header says it).
    if (rows >= 40) await screen.waitForText("Replay of a run recorded on Linux");
    for (const [i, beat] of nonBlocking.beats.entries()) {
      await screen.waitForText(/Enter\/Space: (the first beat|next beat)|Replay over|Lesson over/, 20_000);
      screen.press(KEY.enter);
      if (beat.ask) {
        // A replay asks the beat's question too (the recorded run answers it); nothing is kept from a replay.
        await screen.waitForText(`Before beat ${i + 1}/${nonBlocking.beats.length}: predict`);
        assertLabelled(screen, `the question before beat ${i + 1}`);
        screen.press("2");
        if (rows >= 40) await screen.waitForText("You said: "); // at 80x24 it is below the fold
      }
      await screen.waitForText(`${i + 1}/${nonBlocking.beats.length} · ${beat.title!.slice(0, 20)}`);
      assertLabelled(screen, `beat ${i + 1}`);
      if (i === 2) {
        screen.press("h");
        await screen.waitForText("A replay holds nothing");
        screen.press("t");
        await screen.waitForText("The run over time");
        assertLabelled(screen, "the timeline");
        screen.press("t");
        await screen.waitFor((t) => !t.includes("The run over time"), "the timeline closed");
      }
    }
    await screen.waitForText(/REPLAY over/, 30_000);
    screen.press(KEY.enter);
    await screen.waitForText("Replay over: the recorded run ended after");
    assertLabelled(screen, "the end summary");
    assert.doesNotMatch(screen.text(), /n: the next lesson/, "a replay offers no next lesson to run");
    screen.press("?");
    const help = await screen.waitForText("socket-lessons · help");
    assert.match(help.split("\n")[0]!, /help · replay · recorded \d{4}-\d\d-\d\d/);
    screen.press("x");
    await screen.waitForText("■ REPLAY over");
    screen.press(KEY.ctrlC);
    assert.equal(await screen.exited, 130);
  });
}

test("on a faked macOS the menu offers each lesson's recorded Linux run (w), marked, and plays it as a replay", async () => {
  const screen = open({ cols: 100, rows: 40, env: { SOCKET_LESSONS_PLATFORM: "darwin" } });
  const menu = await screen.waitForText("w: watch a recorded Linux run");
  const offers = menu.split("\n").filter((l) => l.includes("w: watch a recorded Linux run (a replay"));
  assert.equal(offers.length, Math.min(lessons.length, offers.length));
  assert.ok(offers.length >= 2, menu);
  screen.press("w");
  await screen.waitForText("▶ REPLAY");
  assertLabelled(screen, "the menu's replay");
  assert.match(screen.text(), new RegExp(lessons[0]!.title));
  screen.press("q");
  await screen.waitForText("w: watch a recorded Linux run");
  screen.press(KEY.ctrlC);
  await screen.exited;
});

test("on Linux with the probe the menu offers no recorded run; with --probe trace-only it does", async () => {
  const linux = open({ cols: 100, rows: 30 });
  const menu = await linux.waitForText("Ctrl-C quit");
  assert.doesNotMatch(menu, /recorded Linux run/);
  linux.press(KEY.ctrlC);
  await linux.exited;
  const off = open({ cols: 100, rows: 30, args: ["--probe", "trace-only"] });
  await off.waitForText("w: watch a recorded Linux run");
  off.press(KEY.ctrlC);
  await off.exited;
});

test("<id> --auto --record FILE in the player: the run it records replays with the beats it told", async () => {
  const file = join(mkdtempSync(join(tmpdir(), "sl-tui-rec-")), "tui.ndjson");
  const screen = open({ cols: 120, rows: 40, args: ["non-blocking-send", "--auto", "--record", file] });
  await screen.waitForText(/Lesson over after/, 30_000);
  screen.press(KEY.ctrlC);
  await screen.exited;
  // Said once the terminal is back.
  assert.match(screen.raw, new RegExp(`recorded the run to ${file} \\(\\d+ lines`));
  const replay = spawnSync(process.execPath, [CLI, "replay", file, "--json", "--instant"], { encoding: "utf8" });
  assert.equal(replay.status, 0, replay.stderr);
  const beats = replay.stdout.trim().split("\n").map((l) => JSON.parse(l)).filter((l) => l.type === "beat");
  assert.equal(beats.length, nonBlocking.beats.length);
  rmSync(dirname(file), { recursive: true, force: true });
});
