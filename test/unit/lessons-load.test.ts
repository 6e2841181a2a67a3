import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { factFields, knownFactsSummary } from "../../src/facts/vocabulary.ts";
import { defaultLessonsDir, formatLessonError, loadLesson, loadLessons } from "../../src/lessons/load.ts";
import { compareLessons, type Lesson, type LessonResult, parseLesson } from "../../src/lessons/schema.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const BROKEN = join(ROOT, "test/fixtures/lessons-broken");
const SHOWN = "test/fixtures/lessons-broken";
const KNOWN = knownFactsSummary();

function loadBroken() {
  return loadLessons(BROKEN, { cwd: ROOT });
}

function errorsOf(id: string): string[] {
  return loadBroken()
    .errors.filter((e) => e.file.startsWith(`${SHOWN}/${id}/`))
    .map(formatLessonError);
}

/** Parses lesson text in memory; every *.py file exists except missing.py. */
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

const HEAD = "title: T\nsummary: S\n";
const ONE_PROGRAM = "programs:\n  - name: server\n    file: server.py\n";
const ONE_BEAT = "beats:\n  - on: listen.returned\n    text: Listening.\n";

test("the good lesson loads beside the broken ones, fully typed", () => {
  const { lessons } = loadBroken();
  assert.deepEqual(lessons.map((l) => l.id), ["good"]);
  const [good] = lessons;
  assert.ok(good);
  assert.equal(good.file, join(BROKEN, "good/lesson.yaml"));
  assert.equal(good.dir, join(BROKEN, "good"));
  assert.equal(good.order, 2);
  assert.equal(good.portNote, "Binds 127.0.0.1 instead of gethostname().");
  assert.deepEqual(good.endsWhen, { on: "program.exited" });
  assert.deepEqual(good.programs, [
    {
      name: "server",
      file: join(BROKEN, "good/server.py"),
      role: "receiver",
      start: "at-once",
      env: { STOP_AFTER_S: "2" },
    },
    {
      name: "client",
      file: join(BROKEN, "good/client.py"),
      role: null,
      start: { fact: "listen.returned", program: "server" },
      env: {},
    },
  ]);
  assert.deepEqual(good.beats[0], {
    index: 0,
    on: "listen.returned",
    program: "server",
    title: "The server listens",
    template: [
      { kind: "text", text: "Listening on port " },
      { kind: "field", field: "port", format: null },
      { kind: "text", text: " (backlog " },
      { kind: "field", field: "backlog", format: null },
      { kind: "text", text: "), line " },
      { kind: "field", field: "line", format: null },
      { kind: "text", text: "." },
    ],
  });
  assert.equal(good.beats[1]?.index, 1);
  assert.equal(good.beats[1]?.program, undefined);
});

test("every broken fixture gets exactly its one error", () => {
  const expected = [
    `${SHOWN}/bad-program-name/lesson.yaml:4: programs[0].name: "Server_1" is not a valid program name: use a name like server or client-2 ([a-z][a-z0-9-]*)`,
    `${SHOWN}/bad-yaml/lesson.yaml:8: invalid YAML (column 5): Flow sequence in block collection must be sufficiently indented and end with a ]`,
    `${SHOWN}/duplicate-programs/lesson.yaml:6: programs[1].name: duplicate program name "server" (also programs[0])`,
    `${SHOWN}/empty/lesson.yaml:1: empty lesson file`,
    `${SHOWN}/missing-program-file/lesson.yaml:7: programs[1].file: no such file "block_client.py" in ${SHOWN}/missing-program-file/`,
    `${SHOWN}/missing-title/lesson.yaml:1: title: missing (required: the lesson's heading, a non-empty string)`,
    `${SHOWN}/no-lesson-file/: has Python programs but no lesson.yaml`,
    `${SHOWN}/undeclared-beat-program/lesson.yaml:11: beats[1].program: "client" is not a program of this lesson (programs: server)`,
    `${SHOWN}/unknown-fact/lesson.yaml:11: beats[2].on: unknown fact "client.sleep" (known: ${KNOWN})`,
    `${SHOWN}/unknown-field/lesson.yaml:11: beats[0].text: unknown field "totl" in {totl|bytes} (fields: ${
      factFields("send.returned").join(", ")
    })`,
    `${SHOWN}/unknown-start-fact/lesson.yaml:8: programs[1].start: unknown fact "server.ready" (known: at-once, ${KNOWN})`,
  ];
  assert.deepEqual(loadBroken().errors.map(formatLessonError), expected);
});

test("an error carries file, line and field separately", () => {
  assert.deepEqual(loadBroken().errors.find((e) => e.field === "beats[2].on"), {
    file: `${SHOWN}/unknown-fact/lesson.yaml`,
    line: 11,
    field: "beats[2].on",
    message: `unknown fact "client.sleep" (known: ${KNOWN})`,
  });
});

test("a folder without a lesson file or programs is skipped silently", () => {
  assert.deepEqual(errorsOf("not-a-lesson"), []);
});

test("error paths are absolute when the lessons are outside the working dir", () => {
  const { errors } = loadLessons(BROKEN, { cwd: "/nonexistent-elsewhere" });
  assert.ok(errors.every((e) => e.file.startsWith(`${BROKEN}/`)), errors[0]?.file);
});

test("loadLesson loads one lesson by id", () => {
  const result = loadLesson(BROKEN, "good", { cwd: ROOT });
  assert.ok("lesson" in result);
  assert.equal(result.lesson.title, "A good lesson");
});

test("loadLesson reports a broken lesson's errors", () => {
  const result = loadLesson(BROKEN, "empty", { cwd: ROOT });
  assert.deepEqual("errors" in result && result.errors.map(formatLessonError), [
    `${SHOWN}/empty/lesson.yaml:1: empty lesson file`,
  ]);
});

test("loadLesson refuses unknown ids and ids that are paths", () => {
  for (const id of ["nope", "../lessons-broken", "good/..", ".", ""]) {
    const result = loadLesson(BROKEN, id, { cwd: ROOT });
    assert.deepEqual(
      "errors" in result && result.errors.map(formatLessonError),
      [`${SHOWN}: no lesson "${id}" here`],
      id,
    );
  }
});

test("a missing lessons folder is an error, not a crash", () => {
  const result = loadLessons(join(BROKEN, "no-such-dir"), { cwd: ROOT });
  assert.deepEqual(result.lessons, []);
  assert.deepEqual(result.errors.map(formatLessonError), [`${SHOWN}/no-such-dir: no such folder`]);
});

test("defaultLessonsDir finds the shipped lessons folder, not src/lessons", () => {
  assert.equal(defaultLessonsDir(), join(ROOT, "lessons"));
  assert.ok(existsSync(defaultLessonsDir()));
});

test("defaults: programs start at once, lessons end when all exited, no order", () => {
  const lesson = lessonIn(HEAD + ONE_PROGRAM + ONE_BEAT);
  assert.equal(lesson.programs[0]?.start, "at-once");
  assert.equal(lesson.endsWhen, "all-exited");
  assert.equal(lesson.order, null);
  assert.equal(lesson.portNote, null);
  assert.equal(lesson.programs[0]?.file, "/l/t/server.py");
});

test("lessons sort by order, unordered last, then by id", () => {
  const { lessons } = loadBroken();
  assert.equal(lessons.length, 1);
  const make = (id: string, order: number | null) => ({ ...lessons[0]!, id, order });
  const sorted = [make("b", null), make("z", 1), make("a", null), make("c", 2), make("y", 1)].sort(compareLessons);
  assert.deepEqual(sorted.map((l) => l.id), ["y", "z", "c", "a", "b"]);
});

test("unknown keys are errors, so typos do not vanish", () => {
  assert.deepEqual(errorsIn(HEAD + "ends_whn: program.exited\n" + ONE_PROGRAM + ONE_BEAT), [
    'lessons/t/lesson.yaml:3: ends_whn: unknown key "ends_whn" (known: title, summary, order, part, port_note, programs, ends_when, knobs, beats, recap, exercises)',
  ]);
});

test("the first program must start at once", () => {
  const text = HEAD + "programs:\n  - name: client\n    file: client.py\n    start: listen.returned\n" + ONE_BEAT;
  assert.deepEqual(errorsIn(text), [
    'lessons/t/lesson.yaml:6: programs[0].start: the first program must start at-once: nothing is running yet to produce "listen.returned"',
  ]);
});

test("after: must name another declared program and needs a fact start", () => {
  const programs = [
    "programs:",
    "  - name: server",
    "    file: server.py",
    "    after: client",
    "  - name: client",
    "    file: client.py",
    "    start: listen.returned",
    "    after: client",
    "  - name: third",
    "    file: server.py",
    "    start: transfer.ended",
    "    after: server",
    "",
  ].join("\n");
  assert.deepEqual(errorsIn(HEAD + programs + ONE_BEAT), [
    "lessons/t/lesson.yaml:6: programs[0].after: only applies with a fact start (start: <fact name>)",
    'lessons/t/lesson.yaml:10: programs[1].after: "client" cannot wait for its own fact: it has not started yet',
    'lessons/t/lesson.yaml:14: programs[2].after: "transfer.ended" belongs to no single program, so after: cannot apply',
  ]);
});

test("programs waiting for each other are refused", () => {
  const programs = [
    "programs:",
    "  - name: server",
    "    file: server.py",
    "  - name: a",
    "    file: client.py",
    "    start: send.called",
    "    after: b",
    "  - name: b",
    "    file: client.py",
    "    start: send.called",
    "    after: a",
    "",
  ].join("\n");
  assert.deepEqual(errorsIn(HEAD + programs + ONE_BEAT), [
    "lessons/t/lesson.yaml:9: programs[1].after: start cycle a -> b -> a: none of them would start",
    "lessons/t/lesson.yaml:13: programs[2].after: start cycle b -> a -> b: none of them would start",
  ]);
});

test("program count, file names and env values are checked", () => {
  const five = Array.from({ length: 5 }, (_, i) => `  - name: p${i}\n    file: server.py\n`).join("");
  assert.deepEqual(errorsIn(HEAD + "programs:\n" + five + ONE_BEAT), [
    "lessons/t/lesson.yaml:12: programs: at most 4 programs (found 5)",
  ]);
  const bad = [
    "programs:",
    "  - name: server",
    "    file: ../server.py",
    "  - name: client",
    "    file: client.sh",
    '    env: { STOP_AFTER_S: 2, 1BAD: "x" }',
    "",
  ].join("\n");
  assert.deepEqual(errorsIn(HEAD + bad + ONE_BEAT), [
    'lessons/t/lesson.yaml:5: programs[0].file: must be a file name in lessons/t/, not a path: "../server.py"',
    'lessons/t/lesson.yaml:7: programs[1].file: must be a Python program (*.py): "client.sh"',
    'lessons/t/lesson.yaml:8: programs[1].env.STOP_AFTER_S: must be a string: quote it, STOP_AFTER_S: "2"',
    'lessons/t/lesson.yaml:8: programs[1].env: "1BAD" is not a valid variable name ([A-Za-z_][A-Za-z0-9_]*)',
  ]);
});

test("a program missing from the folder is reported at its file: line", () => {
  assert.deepEqual(errorsIn(HEAD + "programs:\n  - name: server\n\n    file: missing.py\n" + ONE_BEAT), [
    'lessons/t/lesson.yaml:6: programs[0].file: no such file "missing.py" in lessons/t/',
  ]);
});

test("summary must be one line; ends_when must be a fact or all-exited", () => {
  const text = "title: T\nsummary: |\n  two\n  lines\nends_when: sleep\n" + ONE_PROGRAM + ONE_BEAT;
  assert.deepEqual(errorsIn(text), [
    "lessons/t/lesson.yaml:2: summary: must be one line: it is shown in the menu",
    `lessons/t/lesson.yaml:5: ends_when: unknown fact "sleep" (known: all-exited, ${KNOWN})`,
  ]);
});

test("beats: required, and beat.program cannot filter a fact no program owns", () => {
  assert.deepEqual(errorsIn(HEAD + ONE_PROGRAM), [
    "lessons/t/lesson.yaml:1: beats: missing (required: the list of beats (- on: <fact>, text: ...))",
  ]);
  assert.deepEqual(errorsIn(HEAD + ONE_PROGRAM + "beats: []\n"), [
    "lessons/t/lesson.yaml:6: beats: must not be empty: a list of beats (- on: <fact>, text: ...)",
  ]);
  const beats =
    "beats:\n  - on: transfer.ended\n    program: server\n    text: Lost {lost|bytes}.\n  - on: listen.returned\n";
  assert.deepEqual(errorsIn(HEAD + ONE_PROGRAM + beats), [
    'lessons/t/lesson.yaml:8: beats[0].program: "transfer.ended" belongs to no single program, so program: cannot apply',
    "lessons/t/lesson.yaml:10: beats[1].text: missing (required: the beat's text)",
  ]);
});

test("a template error points at the line of the placeholder inside a block", () => {
  const beats =
    "beats:\n  - on: send.called\n    text: |\n      First {bytes|bytes}.\n\n      Then {bytes|bytes} on {lin}.\n";
  assert.deepEqual(errorsIn(HEAD + ONE_PROGRAM + beats), [
    `lessons/t/lesson.yaml:11: beats[0].text: unknown field "lin" in {lin} (fields: ${
      factFields("send.called").join(", ")
    })`,
  ]);
});

test("where: names fields of the fact, with values or lists of values; nth: a count from 1 or last", () => {
  const beats = "beats:\n  - on: recv.raised\n    program: server\n    where: { error: [timeout, reset], fd: 4 }\n" +
    "    nth: last\n    text: recv() raised {errno} after {ms|ms}.\n";
  const beat = lessonIn(HEAD + ONE_PROGRAM + beats).beats[0]!;
  assert.deepEqual([beat.on, beat.program, beat.where, beat.nth], [
    "recv.raised",
    "server",
    { error: ["timeout", "reset"], fd: 4 },
    "last",
  ]);
  const bad = "beats:\n  - on: recv.raised\n    where: { eror: timeout, errno: { a: 1 } }\n    nth: 0\n    text: x\n";
  assert.deepEqual(errorsIn(HEAD + ONE_PROGRAM + bad), [
    `lessons/t/lesson.yaml:8: beats[0].where.eror: "recv.raised" has no field "eror" (did you mean "error"?) (fields: ${
      factFields("recv.raised").join(", ")
    })`,
    "lessons/t/lesson.yaml:8: beats[0].where.errno: must be a value (text, number, true/false, null) or a list of them",
    'lessons/t/lesson.yaml:9: beats[0].nth: must be a whole number from 1 (the first) or "last"',
  ]);
});

test("an unknown fact suggests the nearest name; a call that never waits has no waiting phases", () => {
  const beats = (on: string) => `beats:\n  - on: ${on}\n    text: x\n`;
  assert.match(
    errorsIn(HEAD + ONE_PROGRAM + beats("recv.blokced"))[0]!,
    /unknown fact "recv\.blokced" \(did you mean "recv\.blocked"\?\)/,
  );
  assert.match(errorsIn(HEAD + ONE_PROGRAM + beats("bind.blocked"))[0]!, /unknown fact "bind\.blocked"/);
  assert.deepEqual(errorsIn(HEAD + ONE_PROGRAM + beats("bind.returned")), []);
});

test("where: values of fields with a fixed set are checked; a number format on a text field is refused", () => {
  const beats = (text: string) => `beats:\n  - on: recv.raised\n${text}`;
  assert.deepEqual(
    errorsIn(HEAD + ONE_PROGRAM + beats("    where: { error: timout, mode: [blocking, sideways] }\n    text: x\n")),
    [
      'lessons/t/lesson.yaml:8: beats[0].where.error: "timout" is not a value of error (did you mean "timeout"?) (values: would_block, timeout, refused, reset, broken_pipe, other)',
      'lessons/t/lesson.yaml:8: beats[0].where.mode: "sideways" is not a value of mode (values: blocking, non-blocking, timeout)',
    ],
  );
  assert.deepEqual(errorsIn(HEAD + ONE_PROGRAM + beats("    text: |\n      It raised\n      {errno|bytes}.\n")), [
    'lessons/t/lesson.yaml:10: beats[0].text: {errno|bytes}: "errno" is text, not a number, so it takes no format: write {errno}',
  ]);
});

test("a program cannot wait for a fact only the kernel shows; a YAML mistake is told once", () => {
  const start =
    "programs:\n  - name: server\n    file: s.py\n  - name: client\n    file: c.py\n    start: accept.blocked\n";
  assert.deepEqual(errorsIn(HEAD + start + ONE_BEAT), [
    'lessons/t/lesson.yaml:8: programs[1].start: "accept.blocked" needs proc and syscall, which not every machine shows: start on a fact the trace shows',
  ]);
  const tabbed = HEAD + ONE_PROGRAM + "beats:\n\t- on: listen.returned\n\t  text: x\n\t- on: x\n";
  const errors = errorsIn(tabbed);
  assert.equal(errors.length, 1);
  assert.match(errors[0]!, /^lessons\/t\/lesson\.yaml:7: invalid YAML .* \(and \d+ more after it\)$/);
});

test("ends_when: a fact, or on/program/where; never one only the kernel shows", () => {
  const ends = (text: string) => HEAD + text + ONE_PROGRAM + ONE_BEAT;
  const lesson = lessonIn(ends("ends_when:\n  on: close.called\n  program: server\n  where: { state: SYN_SENT }\n"));
  assert.deepEqual(lesson.endsWhen, { on: "close.called", program: "server", where: { state: "SYN_SENT" } });
  assert.deepEqual(errorsIn(ends("ends_when: send.blocked\n")), [
    'lessons/t/lesson.yaml:3: ends_when: "send.blocked" needs proc and syscall, which not every machine shows: end on a fact the trace shows',
  ]);
});

test("anchors and aliases are followed", () => {
  const text = HEAD + "programs:\n  - &srv { name: server, file: server.py }\n" +
    "beats:\n  - on: listen.returned\n    text: &t Ready.\n  - on: accept.called\n    text: *t\n";
  assert.equal(lessonIn(text).beats[1]?.template[0]?.kind, "text");
});

test("a document that is not a mapping is refused", () => {
  assert.deepEqual(errorsIn("- just\n- a list\n"), [
    "lessons/t/lesson.yaml:1: must be a mapping of keys: title:, summary:, programs:, beats:",
  ]);
  assert.deepEqual(errorsIn("# only a comment\n"), ["lessons/t/lesson.yaml:1: empty lesson file"]);
});
