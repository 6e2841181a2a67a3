// A beat's show: (presenter mode's panes): what it accepts, and the
// line-numbered error for each mistake, as for every other key.
import assert from "node:assert/strict";
import { test } from "node:test";
import { formatLessonError } from "../../src/lessons/load.ts";
import { type Lesson, type LessonResult, parseLesson } from "../../src/lessons/schema.ts";

function parse(text: string): LessonResult {
  const input = { id: "t", dir: "/l/t", file: "/l/t/lesson.yaml", displayFile: "lessons/t/lesson.yaml", text };
  return parseLesson(input, (name) => name.endsWith(".py"));
}

function errorsIn(text: string): string[] {
  const result = parse(text);
  return "errors" in result ? result.errors.map(formatLessonError) : [];
}

function lessonIn(text: string): Lesson {
  const result = parse(text);
  assert.ok("lesson" in result, "errors" in result ? result.errors.map(formatLessonError).join("\n") : "");
  return result.lesson;
}

/** A lesson of two programs whose one beat (line 8 on) has `show` as its last key. */
function withShow(show: string, programs = ["server", "client"]): string {
  return [
    "title: T",
    "summary: S",
    "programs:",
    ...programs.flatMap((name, i) => [`  - name: ${name}`, `    file: p${i}.py`]),
    "beats:",
    "  - on: listen.returned",
    "    text: Listening.",
    `    show: ${show}`,
    "",
  ].join("\n");
}

test("show: a list of programs and panes, or one of them, or [] for the narration alone", () => {
  assert.deepEqual(lessonIn(withShow("[client, code, sockets]")).beats[0]!.show, ["client", "code", "sockets"]);
  assert.deepEqual(lessonIn(withShow("sockets")).beats[0]!.show, ["sockets"]);
  assert.deepEqual(lessonIn(withShow("[]")).beats[0]!.show, []);
  // Without it, presenter mode chooses from the beat's fact: nothing is stored.
  const text = withShow("x").replace(/\n {4}show: x\n/, "\n");
  assert.equal("show" in lessonIn(text).beats[0]!, false);
});

test("show: mistakes are errors with the line of the item", () => {
  assert.deepEqual(errorsIn(withShow("[client, serverr]")), [
    'lessons/t/lesson.yaml:11: beats[0].show[1]: "serverr" is not a program of this lesson or a pane (show: server, client, code, sockets)',
  ]);
  assert.deepEqual(errorsIn(withShow("\n      - code\n      - 3")), [
    "lessons/t/lesson.yaml:13: beats[0].show[1]: must be a program's name, code or sockets (show: server, client, code, sockets)",
  ]);
  assert.deepEqual(errorsIn(withShow("[code, code]")), [
    'lessons/t/lesson.yaml:11: beats[0].show[1]: "code" is listed twice',
  ]);
  assert.deepEqual(errorsIn(withShow("{client: true}")), [
    "lessons/t/lesson.yaml:11: beats[0].show: must be a program's name, code or sockets (show: server, client, code, sockets)",
  ]);
});

test("show: is refused when a program is named like a pane (show: code would mean two things)", () => {
  assert.deepEqual(errorsIn(withShow("[code]", ["server", "code"])), [
    'lessons/t/lesson.yaml:11: beats[0].show: "code" is both a program of this lesson and a pane: rename the program to use show:',
  ]);
});
