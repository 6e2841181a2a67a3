// Predict, then observe, in the shipped lessons: every lesson asks at least
// one question, and on each shipped recording's witness (the --json a live run
// printed, recordings/) every question's measured answer is its own beat's
// fact: a number to guess is that fact's field, and the choice marked right is
// the one this test works out from the fact's raw values by itself (not with
// the lesson's conditions).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { defaultLessonsDir, loadLessons } from "../../src/lessons/load.ts";
import { shippedRecording } from "../../src/recording/shipped.ts";

type Line = Record<string, unknown>;
interface Asked {
  readonly question: string;
  readonly choices: { text: string; right: boolean | null }[] | null;
  readonly number: { field: string; measured: number | null } | null;
  readonly answer: string;
}

const lessons = loadLessons(defaultLessonsDir()).lessons;

/** Which choice the fact bears out, by lesson and beat, from the raw values. */
const RIGHT_CHOICE: Readonly<Record<string, (f: Line) => number>> = {
  "blocking-recv": (f) => (f.bytes === f.asked ? 0 : f.bytes === 0 ? 2 : 1),
  "non-blocking-send": (f) => (f.bytes === f.asked ? 0 : (f.bytes as number) < (f.asked as number) ? 1 : 2),
  "cancel-connect": (f) => (f.stopped_by === "lesson over" ? 2 : -1),
  "select-writable": (f) => (f.cpu_ms as number) < 0.5 * ((f.wall_ms as number) - (f.ready_ms as number)) ? 0 : 1,
  timeouts: (f) => ((f.ms as number) < 100 ? 1 : (f.ms as number) >= 1500 && (f.ms as number) <= 2500 ? 2 : 0),
};

test("every shipped lesson asks at least one question before a beat", () => {
  assert.equal(lessons.length, 9);
  for (const lesson of lessons) {
    assert.ok(lesson.beats.some((b) => b.ask !== undefined), `${lesson.id} asks nothing`);
  }
});

for (const lesson of lessons) {
  test(`${lesson.id}: each question's measured answer is its beat's own fact, in the shipped run`, () => {
    const file = shippedRecording(lesson.id)!;
    const lines = readFileSync(file.replace(/\.ndjson\.gz$/, ".witness.ndjson"), "utf8").trim().split("\n")
      .map((l) => JSON.parse(l) as Line);
    const asked = lines.filter((l) => l.type === "beat" && l.question !== undefined);
    assert.equal(asked.length, lesson.beats.filter((b) => b.ask !== undefined).length, "every question asked");
    for (const beat of asked) {
      const q = beat.question as Asked;
      const fact = lines.find((l) =>
        l.type === "fact" && l.fact === beat.fact && l.program === beat.program && l.t === beat.t
      );
      assert.ok(fact, `the fact of beat ${beat.index}`);
      if (q.number !== null) {
        assert.equal(q.choices, null);
        assert.equal(typeof fact[q.number.field], "number", `${q.number.field} measured`);
        assert.equal(q.number.measured, fact[q.number.field]);
        const shown = Math.round(fact[q.number.field] as number).toLocaleString("en-US");
        assert.ok(q.answer.includes(shown), `"${q.answer}" shows ${shown}`);
      } else {
        const right = RIGHT_CHOICE[lesson.id]!(fact);
        assert.deepEqual(q.choices!.map((c) => c.right), q.choices!.map((_, i) => i === right), q.question);
      }
    }
  });
}
