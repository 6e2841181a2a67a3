// The exercises: part of a lesson file and the small language of its
// criteria: what loads, and each mistake an instructor can make, reported
// with the file, the line and a "did you mean" where one helps.
import assert from "node:assert/strict";
import { test } from "node:test";
import { evaluate, expressionText, parseExpression } from "../../src/lessons/expression.ts";
import { formatLessonError, type Lesson, type LessonResult, parseLesson } from "../../src/lessons/schema.ts";
import { defaultLessonsDir, loadLessons } from "../../src/lessons/load.ts";

function parse(text: string): LessonResult {
  const input = { id: "t", dir: "/l/t", file: "/l/t/lesson.yaml", displayFile: "lessons/t/lesson.yaml", text };
  return parseLesson(input, (name) => name.endsWith(".py") && name !== "missing.py");
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

const LESSON = `title: T
summary: S
programs:
  - name: server
    file: server.py
  - name: client
    file: client.py
    start: listen.returned
beats:
  - on: listen.returned
    text: Listening.
exercises:
  - id: send-it
    title: Send it all
    task: Do it.
    program: client
    solution: solution.py
`;

/** The lesson above with one exercise whose criteria are `criteria` (YAML, indented 4). */
function withCriteria(criteria: string): string {
  return `${LESSON}    criteria:\n${criteria}`;
}

test("an exercise loads: its programs default to the lesson's, its starter to its program's file", () => {
  const lesson = lessonIn(withCriteria(`      - title: all delivered
        on: transfer.ended
        where: { from: client }
        value: received
        equals: 136314880
        evidence: "{received|bytes} of {expected|bytes}"
        hint: Keep sending.
      - title: CPU
        on: program.exited
        program: client
        value: cpu_ms
        below: 0.5 * (wall_ms - ready_ms)
      - title: asleep
        on: [send.totals, sendall.totals]
        program: client
        sum: asleep_ms
        below: 100
    hints: [one, two]
`));
  const [exercise] = lesson.exercises;
  assert.ok(exercise);
  assert.equal(exercise.id, "send-it");
  assert.equal(exercise.lesson, "t");
  assert.equal(exercise.starter, "/l/t/client.py");
  assert.equal(exercise.solution, "/l/t/solution.py");
  assert.equal(exercise.timeoutMs, 30_000);
  assert.deepEqual(exercise.programs.map((p) => p.name), ["server", "client"]);
  assert.deepEqual(exercise.hints, ["one", "two"]);
  const [delivered, cpu, asleep] = exercise.criteria;
  assert.deepEqual(delivered!.checks[0]!.measure, { kind: "value", field: "received" });
  assert.equal(delivered!.hint, "Keep sending.");
  const bound = cpu!.checks[0]!.comparison;
  assert.ok(bound && bound.op === "below" && bound.bound.kind === "expression");
  assert.equal(expressionText(bound.bound.expression), "0.5 * (wall_ms - ready_ms)");
  assert.deepEqual(asleep!.checks[0]!.on, ["send.totals", "sendall.totals"]);
});

test("the shipped lessons' exercises load, each with hints, a starter and a solution in its folder", () => {
  const { lessons, errors } = loadLessons(defaultLessonsDir());
  assert.deepEqual(errors, []);
  const exercises = lessons.flatMap((l) => l.exercises);
  assert.deepEqual(exercises.map((e) => e.id).sort(), [
    "connect-deadline",
    "recv-deadline",
    "selectors-server",
    "send-it-all",
  ]);
  for (const e of exercises) {
    assert.ok(e.hints.length >= 2 && e.hints.length <= 3, `${e.id}: 2-3 hints`);
    assert.ok(e.criteria.length >= 2, `${e.id}: criteria`);
    assert.ok(e.programs.some((p) => p.name === e.program), e.id);
  }
});

test("mistakes in criteria: file:line, what is wrong, and the near name", () => {
  const at = (criteria: string) => errorsIn(withCriteria(criteria));
  assert.deepEqual(
    at(`      - title: x
        on: transfer.ende
`),
    [
      `lessons/t/lesson.yaml:20: exercises[0].criteria[0].on: unknown fact "transfer.ende" (did you mean "transfer.ended"?) (known: ${knownSummary()})`,
    ],
  );
  assert.match(
    at(`      - title: x
        on: transfer.ended
        value: recieved
        equals: 1
`)[0]!,
    /^lessons\/t\/lesson.yaml:21: exercises\[0\]\.criteria\[0\]\.value: "recieved" is not a field of "transfer.ended" \(did you mean "received"\?\)/,
  );
  assert.match(
    at(`      - title: x
        on: program.exited
        value: cpu_ms
        below: 0.5 * wal_ms
`)[0]!,
    /:22: exercises\[0\]\.criteria\[0\]\.below: "wal_ms" is not a number field of this fact \(did you mean "wall_ms"\?\)/,
  );
  assert.match(
    at(`      - title: x
        on: program.exited
        value: cpu_ms
        between: [1]
`)[0]!,
    /:22: .*between: must be two bounds, low and high/,
  );
  assert.match(
    at(`      - title: x
        on: program.exited
        below: 3
`)[0]!,
    /:21: .*below: compares a measure: add value: <field>/,
  );
  assert.match(
    at(`      - title: x
        on: program.exited
        value: cpu_ms
`)[0]!,
    /:19: exercises\[0\]\.criteria\[0\]: needs one comparison: equals, below, above, at_least, at_most, between/,
  );
  assert.match(
    at(`      - title: x
        on: [send.totals, send.returned]
        sum: sleeps
        equals: 0
`)[0]!,
    /:20: .*on: "send.totals" and "send.returned" have different fields/,
  );
  assert.match(
    at(`      - title: x
        on: recv.returned
        nth: 1
        max: ms
        below: 3
`)[0]!,
    /:21: .*nth: max: takes every fact selected; nth: does not apply/,
  );
  assert.match(
    at(`      - title: x
        on: program.exited
        program: clients
`)[0]!,
    /:21: .*program: "clients" is not a program of this lesson \(programs: server, client\)/,
  );
  assert.match(
    at(`      - title: x
        on: program.exited
        value: code
        equals: 0
        evidence: "{cod}"
`)[0]!,
    /:23: .*evidence: unknown field "cod" in \{cod\}/,
  );
  assert.match(
    at(`      - title: x
        on: program.exited
        value: 1 + 1
        equals: 0
`)[0]!,
    /:21: .*value: "1 \+ 1" is not a field of "program.exited"/,
  );
});

test("mistakes in an exercise: unknown keys, programs, files, ids, time limits", () => {
  const base = LESSON.replace("    solution: solution.py\n", "");
  const criteria = "    criteria:\n      - title: x\n        on: program.exited\n";
  assert.deepEqual(errorsIn(`${base}    solution: missing.py\n${criteria}`), [
    'lessons/t/lesson.yaml:17: exercises[0].solution: no such file "missing.py" in lessons/t/',
  ]);
  assert.deepEqual(errorsIn(`${base}    solution: s.py\n    timeout: 0\n${criteria}`), [
    "lessons/t/lesson.yaml:18: exercises[0].timeout: must be seconds, more than 0 and at most 120 (the check's time limit)",
  ]);
  assert.deepEqual(errorsIn(`${base}    solution: s.py\n    hint: [a]\n${criteria}`), [
    'lessons/t/lesson.yaml:18: exercises[0].hint: unknown key "hint" (known: id, title, task, program, starter, solution, timeout, programs, ends_when, criteria, hints)',
  ]);
  assert.deepEqual(
    errorsIn(`${base.replace("program: client", "program: cleint")}    solution: s.py\n${criteria}`),
    ['lessons/t/lesson.yaml:16: exercises[0].program: "cleint" is not a program it runs (programs: server, client)'],
  );
  const twice =
    `${LESSON}${criteria}  - id: send-it\n    title: T\n    task: T\n    program: client\n    solution: s.py\n${
      criteria.replace(/^ {4}/gm, "    ")
    }`;
  assert.deepEqual(errorsIn(twice), ['lessons/t/lesson.yaml:21: exercises[1].id: duplicate exercise id "send-it"']);
});

test("an exercise's own programs are read like the lesson's, errors pointing into them", () => {
  const own = `${LESSON}    programs:
      - name: server
        file: server.py
      - name: client
        file: missing.py
    criteria:
      - title: x
        on: program.exited
`;
  assert.deepEqual(errorsIn(own), [
    'lessons/t/lesson.yaml:22: exercises[0].programs[1].file: no such file "missing.py" in lessons/t/',
  ]);
});

test("expressions: numbers, fields, + - * / and parentheses; the rest is refused", () => {
  const fields = ["wall_ms", "ready_ms", "cpu_ms"];
  const parsed = parseExpression("0.5 * (wall_ms - ready_ms) + 2 / 4", fields);
  assert.ok(parsed.ok);
  assert.equal(evaluate(parsed.expression, { wall_ms: 1000, ready_ms: 200 }), 400.5);
  assert.equal(evaluate(parsed.expression, { wall_ms: 1000, ready_ms: null }), null, "an unmeasured field: unknown");
  const negated = parseExpression("-cpu_ms / 2", fields);
  assert.ok(negated.ok);
  assert.equal(evaluate(negated.expression, { cpu_ms: 3 }), -1.5);
  for (
    const [text, message] of [
      ["wall_ms *", "ends too early"],
      ["(wall_ms", 'a "(" is never closed'],
      ["wall_ms ready_ms", 'unexpected "ready_ms"'],
      ["wall_ms % 2", 'cannot read "% 2"'],
      ["", "is empty"],
    ] as const
  ) {
    const result = parseExpression(text, fields);
    assert.ok(!result.ok && result.message.includes(message), `${text}: ${!result.ok ? result.message : "parsed"}`);
  }
});

function knownSummary(): string {
  // The same list every unknown-fact error carries.
  return errorsIn(withCriteria("      - title: x\n        on: nope.nope\n"))[0]!.replace(/^.*\(known: /, "").slice(
    0,
    -1,
  );
}

const ASKING = (ask: string) =>
  `title: T
summary: S
programs:
  - name: client
    file: client.py
beats:
  - on: send.returned
    text: Sent.
    ask:
${ask}`;

test("a beat's question: choices judged by a condition on the beat's fact, or a number to guess", () => {
  const lesson = lessonIn(ASKING(`      question: How much?
      choices:
        - text: All
          when: { value: bytes, equals: asked }
        - text: Part
          when: { value: bytes, below: asked }
        - text: None
      answer: "{bytes|bytes}"
`));
  const ask = lesson.beats[0]!.ask!;
  assert.equal(ask.question, "How much?");
  assert.deepEqual(ask.choices!.map((c) => [c.text, c.when?.measure]), [
    ["All", { kind: "value", field: "bytes" }],
    ["Part", { kind: "value", field: "bytes" }],
    ["None", undefined],
  ]);
  assert.deepEqual(errorsIn(ASKING("      question: Q?\n      number: sleep\n      answer: x\n")), [
    'lessons/t/lesson.yaml:11: beats[0].ask.number: "sleep" is not a number field of "send.returned" (did you mean "sleeps"?) (fields: fd, line, nth, timeout_s, ms, result, bytes, asked, sleeps, cpu_ms, asleep_ms)',
  ]);
  assert.deepEqual(errorsIn(ASKING("      question: Q?\n      number: ms\n      choices: [a, b]\n      answer: x\n")), [
    "lessons/t/lesson.yaml:10: beats[0].ask: needs choices: (a list) or number: <field> (a number to guess), one of them",
  ]);
  assert.match(
    errorsIn(ASKING(`      question: Q?
      choices:
        - text: A
          when: { value: byte, equals: 1 }
        - text: B
      answer: x
`))[0]!,
    /:13: beats\[0\]\.ask\.choices\[0\]\.when\.value: "byte" is not a field of "send\.returned" \(did you mean "bytes"\?\)/,
  );
});
