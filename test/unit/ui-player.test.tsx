// The lesson player against sessions replayed from real recorded runs:
// the narration in order, step by step; the pause note; every size fits.
import assert from "node:assert/strict";
import { cleanup } from "ink-testing-library";
import { afterEach, test } from "node:test";
import { useInput } from "ink";
import { useRef } from "react";
import { actionFor, type PlayerInput, splitKeys } from "../../src/ui/keys.ts";
import { LessonPlayer, type LessonPlayerProps } from "../../src/ui/LessonPlayer.tsx";
import type { LiveSnapshot } from "../../src/ui/live-run.ts";
import { loadSources } from "../../src/ui/sources.ts";
import { entryLines, narrationStatus } from "../../src/ui/Narration.tsx";
import { narrationEntries } from "../../src/ui/steps.ts";
import { capabilities } from "../../src/session/session.ts";
import { formatSize } from "../../src/report/format.ts";
import { atFact, lessonById, replay } from "../helpers/recordings.ts";
import { playerLayout } from "../../src/ui/layout.ts";
import { frameLines, renderUi, rightColumn, snapshotOf, waitUntil } from "./ui-helpers.tsx";

/** The narration pane's text at 120x40 with two programs. */
const narration = (frame: string) => rightColumn(frame, playerLayout(120, 40, 2, 0).programsWidth);

afterEach(cleanup);

const noop = () => {};
function show(live: LiveSnapshot, over: Partial<LessonPlayerProps> = {}) {
  return renderUi(player(live, over), { columns: over.cols ?? 120 });
}

/** The player with the app's keys, as App wires them. */
function Keyed(props: Omit<LessonPlayerProps, "inputRef">) {
  const ref = useRef<PlayerInput | null>(null);
  useInput((input, key) => {
    for (const k of splitKeys(input, key)) {
      const action = actionFor("player", k.input, k.key);
      if (action) ref.current?.(action);
    }
  });
  return <LessonPlayer {...props} inputRef={ref} />;
}

function player(live: LiveSnapshot, over: Partial<LessonPlayerProps> = {}) {
  return (
    <Keyed
      live={live}
      sources={loadSources(live.session.lesson)}
      auto={false}
      cols={120}
      rows={40}
      onPause={noop}
      onRestart={noop}
      onPassed={noop}
      onToggleHolds={noop}
      next={null}
      onNextLesson={noop}
      onFinished={noop}
      {...over}
    />
  );
}

const ENTER = "\r";

test("step mode: each Enter shows the next beat, in lesson order, with measured numbers; b goes back", async () => {
  const session = replay("blocking-send", "blocking-send");
  const beats = session.lesson.beats;
  let finished = 0;
  const ui = show(snapshotOf(session), { onFinished: () => finished++ });
  await ui.waitForFrame(
    (f) => f.includes("introduction") && f.includes(`Enter/Space: the first beat (${beats.length} ready)`),
    "the introduction",
  );
  assert.match(ui.frame(), /A client sends 130 MiB with one send\(\)/);
  // The frame fills the screen but its last row; the status sits at the foot of the narration pane.
  const lines = frameLines(ui.frame());
  assert.equal(lines.length, 39);
  const status = lines.findIndex((l) => l.includes("Enter/Space: the first beat"));
  assert.match(lines[status + 1]!, /│╰─+╯$/);
  for (const [i, beat] of beats.entries()) {
    ui.stdin.write(ENTER);
    const heading = `${i + 1}/${beats.length} · ${beat.title}`;
    const frame = await ui.waitForFrame((f) => f.includes(heading), heading);
    assert.ok(frame.includes(`beat ${i + 1} of ${beats.length}`));
    // The beat's whole text with this run's numbers, reflowed into the pane, no word cut.
    const text = session.beats[i]!.text.replace(/\s+/g, " ").trim();
    assert.ok(narration(frame).includes(text), `${heading}:\n${text}\n${narration(frame)}`);
  }
  assert.match(narration(ui.frame()), /Lesson over after [\d.]+ s\. Enter\/Space: the summary · r restart/);
  await waitUntil(() => finished === 1, "seeing the last beat of a finished run counts as done");
  // Past the last beat: how the run ended, what it measured (the lesson's recap), where to go next.
  ui.stdin.write(ENTER);
  const end = narration(await ui.waitForFrame((f) => f.includes("What this run measured"), "the end"));
  assert.ok(end.includes(`Lesson over after`) && end.includes(session.ended!.reason), end);
  for (const line of session.recap) assert.ok(line !== null && end.includes(line.replace(/\s+/g, " ")), `${line}`);
  assert.ok(end.includes("t: the run over time"), end);
  ui.stdin.write("b"); // from the end to the last beat
  await ui.waitForFrame((f) => f.includes(`${beats.length}/${beats.length} · ${beats.at(-1)!.title}`), "the last");
  ui.stdin.write("b");
  await ui.waitForFrame(
    (f) => f.includes(`${beats.length - 1}/${beats.length} · ${beats[beats.length - 2]!.title}`),
    "one back",
  );
  ui.stdin.write("\x1b[D"); // ←
  await ui.waitForFrame(
    (f) => f.includes(`${beats.length - 2}/${beats.length} · ${beats[beats.length - 3]!.title}`),
    "two back",
  );
});

test("step mode holds the beat while newer facts arrive; the measured values are in the text", async () => {
  const midway = replay("blocking-send", "blocking-send", atFact("send.called"));
  const ui = show(snapshotOf(midway));
  for (let i = 0; i < 4; i++) ui.stdin.write(ENTER);
  await ui.waitForFrame((f) => f.includes("4/12 · One send() with all the data"), "beat 4");
  assert.match(narration(ui.frame()), /Line 19: sock\.send\(data\) with 136,314,880 bytes \(130\.0 MiB\)/);
  assert.match(narration(ui.frame()), /waiting for the client's send\(\) to block/);
  const later = replay("blocking-send", "blocking-send", atFact("send.blocked"));
  ui.rerender(player(snapshotOf(later)));
  await ui.waitForFrame((f) => f.includes("Enter/Space: next beat (2 ready)"), "two beats ready");
  assert.ok(ui.frame().includes("4/12 · One send() with all the data"), "still on beat 4");
});

test("--auto shows each beat as its fact arrives", async () => {
  const later = replay("blocking-send", "blocking-send", atFact("send.blocked"));
  const ui = show(snapshotOf(later), { auto: true });
  // The full buffer (beat 6) may be known by then too: it is dated by the queue's readings, the sleep by /proc's.
  const told = later.slots.filter((b) => b !== null).length;
  assert.ok(told === 5 || told === 6, `${told} beats`);
  const newest = `${told}/12 · ${told === 5 ? "The kernel puts the client to sleep" : "The send buffer is full"}`;
  await ui.waitForFrame((f) => f.includes(newest), "the newest beat");
  if (told === 6) {
    ui.stdin.write("b");
    await ui.waitForFrame((f) => narration(f).startsWith("5/12 · The kernel puts the client to sleep"), "one back");
  }
  assert.match(narration(ui.frame()), /asleep inside the sendto system call \(wchan: wait_woken\), still on line 19/);
});

test("paused output: the note shows what the kernel says about each program and the send queue", async () => {
  // The recorded run paused reading output when the send queue filled.
  const s = replay(
    "blocking-send-paused",
    "blocking-send",
    // The first moment the kernel shows the server asleep writing, the client
    // asleep, and the client's send queue holding data.
    (line, state) =>
      line.type === "observation" && (line.obs.kind === "proc" || line.obs.kind === "trace") &&
      state.lanes[0]!.proc?.syscall.kind === "in-syscall" &&
      (state.lanes[0]!.proc.syscall as { name: string }).name === "write" &&
      state.lanes[1]!.proc?.state === "S" &&
      (state.sockets.find((g) => g.program === "client")?.sndq ?? 0) > 0,
  );
  const ui = show(snapshotOf(s, { paused: true }));
  const frame = await ui.waitForFrame((f) => f.includes("⏸ output paused"), "the paused header");
  const note = narration(frame);
  assert.match(note, /^⏸ Output paused \(p resumes\): socket-lessons is not reading the programs' output/);
  assert.match(note, /server: asleep in write · wchan \w+/);
  assert.match(note, /client: asleep in sendto · wchan \w+; its send\(\) call on line 19 has not returned/);
  // In sizes, as the gauges show queues; the share from the kernel's exact numbers.
  const client = s.sockets.find((g) => g.program === "client")!;
  const share = Math.round((100 * client.sndq!) / client.sndbuf!);
  assert.ok(
    note.includes(
      `client fd ${client.fd} send queue: ${formatSize(client.sndq!)} of ${formatSize(client.sndbuf!)} (${share} %)`,
    ),
    note,
  );
  assert.match(frame, /p resume output/);
});

for (const [cols, rows] of [[120, 40], [100, 24], [70, 24], [60, 20], [50, 16], [40, 12]] as const) {
  test(`${cols}x${rows}: nothing wider than the terminal, no taller than its rows minus one`, () => {
    for (
      const [name, id] of [["blocking-send", "blocking-send"], ["cancel-connect", "cancel-connect"], [
        "non-blocking-send",
        "non-blocking-send",
      ]]
    ) {
      for (const stop of [atFact("send.blocked"), undefined]) {
        const s = replay(name!, id!, stop);
        const ui = show(snapshotOf(s, { paused: stop !== undefined }), { cols, rows });
        const lines = frameLines(ui.frame());
        assert.ok(lines.length <= rows - 1, `${name} ${cols}x${rows}: ${lines.length} lines`);
        for (const line of lines) assert.ok(line.length <= cols, `${name}: ${line.length} > ${cols}: ${line}`);
        assert.ok(lines[0]!.includes(s.lesson.title), lines[0]);
        assert.match(lines[lines.length - 1]!, /next .*help/);
        ui.unmount();
      }
    }
  });
}

test("where the probe lacks a capability, the screen says so", async () => {
  const s = replay("blocking-send", "blocking-send", atFact("send.called"));
  const note =
    "The kernel probe is off (--probe trace-only), so the lesson shows what the programs asked for, not what the kernel did with them.";
  const limited = {
    ...s,
    probe: { proc: false, wchan: false, syscall: false, off: "--probe trace-only", notes: [note] },
  };
  const ui = show(snapshotOf(limited));
  const frame = await ui.waitForFrame((f) => f.includes("limited probe"), "the header's mark");
  assert.ok(narration(frame).includes(`Note: ${note}`), narration(frame));
});

test("a run that could not start says why, and how to fix it", async () => {
  const session = replay("blocking-send", "blocking-send", () => true);
  const ui = show(snapshotOf(session, {
    phase: "failed",
    error: {
      message: 'Python was not found: "python9" is not a program on this machine.',
      hint: "Install Python 3.8 or newer.",
    },
  }));
  const frame = await ui.waitForFrame((f) => f.includes("could not run"), "the error");
  assert.match(frame, /The lesson could not run: Python was not found/);
  assert.match(frame, /Install Python 3\.8 or newer\./);
  assert.match(frame, /✗ could not run/);
});

test("the paused session was recorded with real backpressure", () => {
  const s = replay("blocking-send-paused", "blocking-send");
  assert.equal(s.counters.delivered, 136_314_880);
  assert.ok(lessonById("blocking-send"));
});

test("the narration waits for a fact said in words; where the kernel's view is missing, for the beat's instead:", () => {
  const s = replay("blocking-send", "blocking-send", atFact("sendq.filled"));
  const entries = narrationEntries(s).slice(0, 5);
  const full = narrationStatus(s.lesson, entries, 4, null, false, [], capabilities(s));
  assert.equal(full.text, "waiting for the client's send() to block");
  const traceOnly = { ...capabilities(s), probe: { ...s.probe!, proc: false, syscall: false, wchan: false } };
  assert.equal(
    narrationStatus(s.lesson, entries, 4, null, true, [], traceOnly).text,
    "--auto: waiting for the client's send() to take over 200 ms",
  );
});

test("keys in one read scroll and step; a new run (restart) starts the narration again", async () => {
  const s = replay("blocking-send", "blocking-send", atFact("send.blocked"));
  const ui = show(snapshotOf(s), { cols: 80, rows: 24 });
  ui.stdin.write("jj");
  const narrationLines = (frame: string) => {
    const lines = frameLines(frame);
    return lines.slice(lines.findIndex((l) => l.startsWith("─ narration")) + 1);
  };
  const text = entryLines(s.lesson, undefined, [], 80);
  await ui.waitForFrame((f) => narrationLines(f)[1] === (text[2] || ""), "the introduction two lines down");
  ui.stdin.write("  ");
  await ui.waitForFrame((f) => f.includes("2/12 · The server waits in accept()"), "two beats on");
  ui.rerender(player(snapshotOf(s, { attempt: 2 }), { cols: 80, rows: 24 }));
  await ui.waitForFrame((f) => f.includes("introduction") && narrationLines(f)[1] === text[0], "the new run's start");
});
