// The TUI's one entry for outside text: a snapshot's lesson text, output
// tails, beats and messages come out sanitised; the engine's own objects
// (the lesson it runs, with its real program paths) are untouched.
import assert from "node:assert/strict";
import { test } from "node:test";
import { defaultLessonsDir, loadLessons } from "../../src/lessons/load.ts";
import { createSession, reduceSession } from "../../src/session/session.ts";
import type { LiveSnapshot } from "../../src/ui/live-run.ts";
import { safeLesson, safeSnapshot } from "../../src/ui/safe-view.ts";

const ESC = "\x1b";
const original = loadLessons(defaultLessonsDir()).lessons.find((l) => l.id === "blocking-send")!;
const lesson = { ...original, title: `T${ESC}]0;x\x07`, part: `P${ESC}[2J`, portNote: `a\r\nb${ESC}[2J` };

function snapshot(): LiveSnapshot {
  let session = createSession(lesson);
  session = reduceSession(session, {
    type: "observation",
    obs: { kind: "output", t: 1, program: "server", stream: "stdout", bytes: 9, tail: [`out${ESC}]52;c;eA==\x07`] },
  });
  return {
    session,
    phase: "running",
    paused: false,
    problems: [`problem ${ESC}[31m`],
    error: { message: `msg\x9b2J`, hint: null },
    attempt: 1,
    holds: "off",
  };
}

test("a snapshot's outside text is sanitised; the lesson the engine runs is not touched", () => {
  const raw = snapshot();
  const safe = safeSnapshot(raw);
  assert.equal(safe.session.lesson.title, "T\\x1b]0;x\\x07");
  assert.equal(safe.session.lesson.portNote, "a\nb\\x1b[2J");
  assert.equal(safe.session.lesson.part, "P\\x1b[2J");
  assert.deepEqual(safe.session.lanes[0]!.stdout.tail, ["out\\x1b]52;c;eA==\\x07"]);
  assert.deepEqual(safe.problems, ["problem \\x1b[31m"]);
  assert.equal(safe.error?.message, "msg\\x9b2J");
  assert.equal(raw.session.lesson, lesson);
  assert.equal(lesson.title, `T${ESC}]0;x\x07`);
  assert.equal(safe.session.lesson.programs[0]!.file, original.programs[0]!.file);
});

test("memoised by object: the same snapshot, lesson and unchanged lane give the same objects back", () => {
  const raw = snapshot();
  assert.equal(safeSnapshot(raw), safeSnapshot(raw));
  assert.equal(safeLesson(lesson), safeSnapshot(raw).session.lesson);
  const next = { ...raw, paused: true };
  assert.equal(safeSnapshot(next).session.lanes[1], safeSnapshot(raw).session.lanes[1]);
});
