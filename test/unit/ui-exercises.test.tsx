// Learning by doing, in the TUI: the menu lists each lesson's exercises with
// their pass marks, h there reveals the next hint (kept in the progress file,
// shared with check --hint); the player asks a beat's question before the
// beat (a choice by its number, a number typed) and shows the measured answer
// beside the learner's; the end offers the exercise as the next step.
import assert from "node:assert/strict";
import { cleanup } from "ink-testing-library";
import { afterEach, test } from "node:test";
import { useInput } from "ink";
import { useRef } from "react";
import { defaultLessonsDir, loadLessons } from "../../src/lessons/load.ts";
import { UserError } from "../../src/runner/errors.ts";
import type { Fact } from "../../src/facts/types.ts";
import { App } from "../../src/ui/App.tsx";
import { actionFor, type PlayerInput, type PlayerKeys, splitKeys } from "../../src/ui/keys.ts";
import { LessonPlayer, type LessonPlayerProps } from "../../src/ui/LessonPlayer.tsx";
import { Menu } from "../../src/ui/Menu.tsx";
import { Progress } from "../../src/ui/progress.ts";
import { loadSources } from "../../src/ui/sources.ts";
import { endSummaryLines } from "../../src/ui/EndSummary.tsx";
import type { AnswerVerdict } from "../../src/session/answer.ts";
import type { BeatView } from "../../src/session/session.ts";
import { readRecording, replay } from "../helpers/recordings.ts";
import { playerLayout } from "../../src/ui/layout.ts";
import { frameLines, renderUi, rightColumn, snapshotOf, waitUntil } from "./ui-helpers.tsx";

afterEach(cleanup);

const { lessons } = loadLessons(defaultLessonsDir());
const byId = (id: string) => lessons.find((l) => l.id === id)!;
const ENTER = "\r";
const ESC = "\x1b";
const noop = () => {};

test("menu: each lesson's exercises under it, passed or not; the selected lesson's say how to start and show the hints revealed", () => {
  const nbs = byId("non-blocking-send");
  const ui = renderUi(
    <Menu
      lessons={lessons}
      done={new Set()}
      selected={lessons.indexOf(nbs)}
      warnings={[]}
      passed={new Set(["connect-deadline"])}
      hints={new Map([["send-it-all", 2]])}
      width={100}
      height={90}
    />,
  );
  const lines = frameLines(ui.frame());
  const row = (text: string) => lines.find((l) => l.includes(text));
  for (const lesson of lessons) {
    for (const e of lesson.exercises) {
      const line = row(`Exercise: ${e.title}`);
      assert.ok(line, `${e.id} listed`);
      assert.match(line, e.id === "connect-deadline" ? /✓ passed$/ : /not passed$/);
      // Under its own lesson: after the lesson's title row, before the next lesson's.
      const at = lines.indexOf(line);
      const titleRow = lines.findIndex((l) => l.includes(`. ${lesson.title}`));
      assert.ok(titleRow >= 0 && titleRow < at, `${e.id} under ${lesson.title}`);
    }
  }
  assert.ok(row("socket-lessons exercise send-it-all, then check send-it-all"));
  assert.ok(!row("socket-lessons exercise connect-deadline"), "only the selected lesson's say how to start");
  const text = ui.frame().replace(/\s+/g, " ");
  const sendItAll = nbs.exercises.find((e) => e.id === "send-it-all")!;
  for (const [i, hint] of sendItAll.hints.entries()) {
    const shown = `Hint ${i + 1} of ${sendItAll.hints.length}: ${hint.replace(/\s+/g, " ").trim()}`;
    assert.equal(text.includes(shown), i < 2, shown);
  }
  assert.ok(row("h: a hint"));
});

function app(progress: Progress) {
  return (
    <App
      lessons={lessons}
      lessonWarnings={[]}
      progress={progress}
      holds={{ kind: "off" }}
      initial={null}
      auto={false}
      preparer={() => Promise.reject(new UserError("Python was not found.", "Install Python 3.8 or newer."))}
      loadSources={loadSources}
      onExit={noop}
    />
  );
}

test("app: h in the menu reveals the next hint of the selected lesson's first exercise not passed, kept in progress", async () => {
  const progress = Progress.inMemory();
  progress.setLast("cancel-connect");
  progress.markPassed("connect-deadline"); // passed: its hints are not the next ones
  const ui = renderUi(app(progress));
  const cc = byId("cancel-connect");
  const recv = cc.exercises.find((e) => e.id === "recv-deadline")!;
  await ui.waitForFrame((f) => f.includes("▸ 3. Cancel a connect"), "cancel-connect selected");
  assert.doesNotMatch(ui.frame(), /Hint 1 of/);
  ui.stdin.write("h");
  await ui.waitForFrame((f) => f.includes(`Hint 1 of ${recv.hints.length}:`), "the first hint");
  assert.equal(progress.exercise("recv-deadline").hints, 1);
  assert.equal(progress.exercise("connect-deadline").hints, 0);
  for (let i = 2; i <= recv.hints.length + 1; i++) ui.stdin.write("h"); // one more than there are
  await waitUntil(() => progress.exercise("recv-deadline").hints === recv.hints.length, "every hint revealed");
  await ui.waitForFrame((f) => f.includes(`Hint ${recv.hints.length} of ${recv.hints.length}:`), "the last hint");
  assert.equal(progress.exercise("recv-deadline").hints, recv.hints.length, "no more than there are");
});

/** The player with the app's keys, as App wires them: the question's own keys first. */
function Keyed(props: Omit<LessonPlayerProps, "inputRef" | "keysRef">) {
  const ref = useRef<PlayerInput | null>(null);
  const keys = useRef<PlayerKeys | null>(null);
  useInput((input, key) => {
    for (const k of splitKeys(input, key)) {
      if (keys.current?.(k.input, k.key)) continue;
      const action = actionFor("player", k.input, k.key);
      if (action) ref.current?.(action);
    }
  });
  return <LessonPlayer {...props} inputRef={ref} keysRef={keys} />;
}

function player(id: string, over: Partial<LessonPlayerProps> = {}) {
  const session = replay(id, id);
  return {
    session,
    ui: renderUi(
      <Keyed
        live={snapshotOf(session)}
        sources={loadSources(session.lesson)}
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
      />,
      { columns: 120 },
    ),
  };
}

/** The recorded fact a beat was told from, read from the recording itself. */
function recordedFact(id: string, beat: BeatView): Fact {
  const fact = readRecording(id).lines.flatMap((l) => (l.type === "fact" ? [l.fact] : []))
    .find((f) => f.fact === beat.fact && f.values.program === beat.program && f.t === beat.t);
  assert.ok(fact, `the fact of beat ${beat.index}`);
  return fact;
}

/** The narration pane's text (the wide layout's right column, two programs at 120x40). */
const flat = (frame: string) => rightColumn(frame, playerLayout(120, 40, 2, 0).programsWidth);

test("player: a number question comes before its beat; the guess typed, the beat shows the measured answer beside it", async () => {
  const answered: [BeatView, number, AnswerVerdict][] = [];
  const { session, ui } = player("blocking-send", { onAnswered: (b, n, v) => answered.push([b, n, v]) });
  const asked = session.beats.find((b) => b.question)!;
  const total = session.lesson.beats.length;
  for (let i = 0; i < asked.index; i++) {
    ui.stdin.write(ENTER);
    await ui.waitForFrame((f) => f.includes(`${i + 1}/${total} ·`), `beat ${i + 1}`);
  }
  ui.stdin.write(ENTER);
  const prompt = await ui.waitForFrame((f) => f.includes(`Before beat ${asked.index + 1}/${total}: predict`), "asked");
  assert.ok(flat(prompt).includes(asked.question!.question), "the question");
  assert.ok(!prompt.includes(`${asked.index + 1}/${total} · ${asked.title}`), "the beat waits for the answer");
  ui.stdin.write(ENTER); // nothing typed: no answer yet, the beat still waits
  ui.stdin.write("1");
  ui.stdin.write("2");
  await ui.waitForFrame((f) => f.includes("Your guess: 12"), "typed");
  ui.stdin.write("\x7f"); // Backspace
  ui.stdin.write("0");
  await ui.waitForFrame((f) => f.includes("Your guess: 10"), "edited");
  ui.stdin.write(ENTER);
  const told = flat(await ui.waitForFrame((f) => f.includes(`${asked.index + 1}/${total} · ${asked.title}`), "told"));
  const sleeps = recordedFact("blocking-send", asked).values.sleeps as number;
  assert.equal(typeof sleeps, "number");
  assert.match(told, new RegExp(`You guessed 10\\. Measured: ${sleeps.toLocaleString("en-US")} times, in [\\d,]+ ms`));
  assert.equal(answered.length, 1);
  assert.equal(answered[0]![1], 10);
  assert.equal(answered[0]![0].index, asked.index);
  // Back and forward again: answered once, not asked again.
  ui.stdin.write("b");
  await ui.waitForFrame((f) => f.includes(`${asked.index}/${total} ·`), "back");
  ui.stdin.write(ENTER);
  await ui.waitForFrame((f) => f.includes(`${asked.index + 1}/${total} · ${asked.title}`), "forward, not asked");
  assert.ok(flat(ui.frame()).includes("You guessed 10."));
});

test("player: a choice is picked by its number and judged by the run's fact; Esc skips a question", async () => {
  const { session, ui } = player("non-blocking-send");
  const asked = session.beats.find((b) => b.question)!;
  const total = session.lesson.beats.length;
  for (let i = 0; i <= asked.index; i++) ui.stdin.write(ENTER);
  const prompt = flat(
    await ui.waitForFrame((f) => f.includes(`Before beat ${asked.index + 1}/${total}: predict`), "asked"),
  );
  for (const [i, c] of asked.question!.choices!.entries()) assert.ok(prompt.includes(`${i + 1}. ${c.text}`), c.text);
  ui.stdin.write("9"); // no such choice
  ui.stdin.write("1");
  const told = flat(await ui.waitForFrame((f) => f.includes(`${asked.index + 1}/${total} · `), "told"));
  const fact = recordedFact("non-blocking-send", asked).values;
  // Worked out here from the recorded fact: choice 1 ("All of them") is right only if send() took every byte.
  const all = fact.bytes === fact.asked;
  assert.ok(told.includes(`You said: ${asked.question!.choices![0]!.text}.`), told);
  assert.ok(told.includes(`${(fact.bytes as number).toLocaleString("en-US")} bytes of 136,314,880 bytes`));
  assert.ok(told.includes(all ? "Right." : "Not this time:"), told);

  const skipped = player("non-blocking-send");
  for (let i = 0; i <= asked.index; i++) skipped.ui.stdin.write(ENTER);
  await skipped.ui.waitForFrame((f) => f.includes("predict"), "asked again, in a new player");
  skipped.ui.stdin.write(ESC);
  const after = flat(
    await skipped.ui.waitForFrame((f) => f.includes(`${asked.index + 1}/${total} · `), "skipped"),
  );
  assert.doesNotMatch(after, /You said|You guessed/);
});

test("player: --auto asks nothing", async () => {
  const { session, ui } = player("non-blocking-send", { auto: true });
  const asked = session.beats.find((b) => b.question)!;
  await ui.waitForFrame((f) => f.includes("the end") || f.includes("Lesson over"), "the end, every beat passed");
  assert.doesNotMatch(ui.frame(), /predict/);
  assert.ok(asked);
});

test("player: presenter mode asks nothing (a clicker cannot type an answer)", async () => {
  const { session, ui } = player("non-blocking-send", { present: true });
  const asked = session.beats.find((b) => b.question)!;
  for (let i = 0; i <= asked.index; i++) {
    ui.stdin.write(ENTER);
    await ui.waitForFrame((f) => f.includes(`${i + 1}/${session.lesson.beats.length}`), `beat ${i + 1}`);
  }
  assert.doesNotMatch(ui.frame(), /predict/);
});

test("the end: the exercises that go with the lesson are the next step, passed or how to start", () => {
  const session = replay("non-blocking-send", "non-blocking-send");
  const lines = endSummaryLines(session, "Cancel a connect", 200, false, "b", [
    { id: "send-it-all", title: "Deliver all 136,314,880 bytes without blocking", passed: false },
    { id: "selectors-server", title: "Serve three clients at once with selectors", passed: true },
  ]);
  assert.ok(lines.includes(
    "Exercise: Deliver all 136,314,880 bytes without blocking. In a shell: socket-lessons exercise send-it-all",
  ));
  assert.ok(lines.includes("Exercise ✓ passed: Serve three clients at once with selectors."));
  assert.equal(lines.at(-1), "n: the next lesson, Cancel a connect.");
  assert.ok(lines.includes("What this run measured:"), "the summary of what was measured comes first");
});
