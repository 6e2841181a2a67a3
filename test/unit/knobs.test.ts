// Knobs: the lesson file's `knobs:` (file:line errors like the rest), the
// settings --set and the player's form make of typed values, what the
// programs get, and the templates that quote knobs.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  BadSetting,
  knobEnvironment,
  type KnobSpec,
  knobValues,
  parseKnobValue,
  resolveSettings,
  settingsLine,
  settingsSentence,
  withSettings,
} from "../../src/lessons/knobs.ts";
import { formatLessonError, type Lesson, type LessonResult, parseLesson } from "../../src/lessons/schema.ts";
import { fillTemplate, formatTimes, parseTemplate, type TemplatePart } from "../../src/lessons/template.ts";

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

const HEAD = "title: T\nsummary: S\nprograms:\n  - name: client\n    file: client.py\n";
const BEAT = "beats:\n  - on: sendq.filled\n    text: SO_SNDBUF {limit|bytes}.\n";
const SNDBUF = [
  "knobs:",
  "  - name: sndbuf",
  "    title: the send buffer asked for",
  "    unit: bytes",
  "    min: 1024",
  "    max: 16777216",
  "    env: SNDBUF",
  "  - name: delay",
  "    title: a pause before each recv()",
  "    unit: ms",
  "    min: 0",
  "    max: 1000",
  "    default: 0",
  "    env: READ_DELAY_MS",
].join("\n") + "\n";

const sndbuf: KnobSpec = {
  name: "sndbuf",
  title: "the send buffer asked for",
  unit: "bytes",
  min: 1024,
  max: 16_777_216,
  default: null,
  env: "SNDBUF",
};
const delay: KnobSpec = {
  name: "delay",
  title: "a pause before each recv()",
  unit: "ms",
  min: 0,
  max: 1000,
  default: 0,
  env: "READ_DELAY_MS",
};

test("knobs: read with their range, unit, default (absent: not set) and variable; a lesson starts with none set", () => {
  const lesson = lessonIn(HEAD + SNDBUF + BEAT);
  assert.deepEqual(lesson.knobs, [sndbuf, delay]);
  assert.deepEqual(lesson.settings, {});
  assert.deepEqual(lessonIn(HEAD + BEAT).knobs, []);
});

test("knobs: each mistake at its line and field", () => {
  const knob = (lines: string) => `${HEAD}knobs:\n  - name: sndbuf\n${lines}${BEAT}`;
  const base = "    title: t\n    unit: bytes\n    min: 1024\n    max: 4096\n    env: SNDBUF\n";
  assert.deepEqual(errorsIn(knob(base.replace("min: 1024", "min: 8192"))), [
    "lessons/t/lesson.yaml:11: knobs[0].max: 4096 is below min 8192",
  ]);
  assert.deepEqual(errorsIn(knob(base + "    default: 99\n")), [
    "lessons/t/lesson.yaml:13: knobs[0].default: 99 is outside min..max (1024..4096)",
  ]);
  assert.deepEqual(errorsIn(knob(base.replace("bytes", "kb"))), [
    'lessons/t/lesson.yaml:9: knobs[0].unit: unknown unit "kb" (units: bytes, ms, count)',
  ]);
  assert.deepEqual(errorsIn(knob(base.replace("max: 4096", "max: 4.5"))), [
    "lessons/t/lesson.yaml:11: knobs[0].max: must be a whole number, 0 or more (not 4.5)",
  ]);
  assert.deepEqual(errorsIn(knob(base.replace("env: SNDBUF", "env: PORT"))), [
    "lessons/t/lesson.yaml:12: knobs[0].env: PORT is set by socket-lessons itself: choose another name",
  ]);
  assert.deepEqual(errorsIn(knob(base + "    envv: X\n")), [
    'lessons/t/lesson.yaml:13: knobs[0].envv: unknown key "envv" (known: name, title, unit, min, max, default, env)',
  ]);
  assert.deepEqual(errorsIn(knob(base.replace("    env: SNDBUF\n", ""))), [
    "lessons/t/lesson.yaml:7: knobs[0].env: missing (required: the environment variable the programs read it " +
    "from, like SNDBUF)",
  ]);
  assert.deepEqual(errorsIn(`${HEAD}knobs:\n  - name: SndBuf\n${base}${BEAT}`), [
    'lessons/t/lesson.yaml:7: knobs[0].name: "SndBuf" is not a valid knob name: use a name like sndbuf or ' +
    "reader_delay ([a-z][a-z0-9_]*)",
  ]);
  assert.deepEqual(errorsIn(`${HEAD}knobs:\n  - name: a\n${base}  - name: a\n${base}${BEAT}`), [
    'lessons/t/lesson.yaml:13: knobs[1]: duplicate name "a" (also knobs[0])',
  ]);
});

test("knobs: a program's env may not take a knob's variable", () => {
  const text = HEAD.replace("file: client.py\n", 'file: client.py\n    env: { SNDBUF: "1" }\n') + SNDBUF + BEAT;
  assert.deepEqual(errorsIn(text), [
    "lessons/t/lesson.yaml:4: programs[0].env.SNDBUF: is knob sndbuf's variable: set it with the knob " +
    "(--set sndbuf=...), not in env",
  ]);
});

test("texts: {knob.x}, times:knob.x and {if knob.x} are checked against the lesson's knobs when it loads", () => {
  const beat = (text: string) => `beats:\n  - on: sendq.filled\n    text: "${text}"\n`;
  assert.deepEqual(errorsIn(HEAD + SNDBUF + beat("{knob.sndbf}")), [
    'lessons/t/lesson.yaml:22: beats[0].text: unknown knob "sndbf" in {knob.sndbf} (knobs: sndbuf, delay)',
  ]);
  assert.deepEqual(errorsIn(HEAD + beat("{knob.sndbuf}")), [
    'lessons/t/lesson.yaml:8: beats[0].text: unknown knob "sndbuf" in {knob.sndbuf} (this lesson declares no knobs:)',
  ]);
  assert.deepEqual(errorsIn(HEAD + SNDBUF + beat("{limit|times}")), [
    "lessons/t/lesson.yaml:22: beats[0].text: {limit|times}: times needs the knob to compare with, like " +
    "{limit|times:knob.sndbuf}",
  ]);
  assert.deepEqual(errorsIn(HEAD + SNDBUF + beat("{if knob.sndbuf}asked")), [
    "lessons/t/lesson.yaml:22: beats[0].text: {if knob.sndbuf} is never closed with {end}",
  ]);
  assert.deepEqual(errorsIn(HEAD + SNDBUF + beat("{if knob.sndbuf}{if knob.delay}{end}{end}")), [
    "lessons/t/lesson.yaml:22: beats[0].text: {if knob.delay} inside {if knob.sndbuf}: sections do not nest",
  ]);
  assert.deepEqual(errorsIn(HEAD + SNDBUF + beat("{end}")), [
    "lessons/t/lesson.yaml:22: beats[0].text: {end} without an {if knob.NAME} before it",
  ]);
  lessonIn(HEAD + SNDBUF + beat("{if knob.sndbuf}{knob.sndbuf|bytes}: {limit|times:knob.sndbuf}{else}no{end}"));
});

function parts(text: string): readonly TemplatePart[] {
  const result = parseTemplate(text, ["limit"], ["sndbuf", "delay"]);
  assert.ok(result.ok, result.ok ? "" : result.error.message);
  return result.parts;
}

test("templates: a section is told only when its knob was set; knob values and the measured ratio", () => {
  const text = "SO_SNDBUF {limit|bytes}{if knob.sndbuf}, {limit|times:knob.sndbuf} the {knob.sndbuf|bytes} asked" +
    "{else} (the kernel's own){end}; delay {knob.delay|ms}.";
  const lesson = { knobs: [sndbuf, delay], settings: {} };
  assert.equal(
    fillTemplate(parts(text), { limit: 4_194_304 }, {}, knobValues(lesson)),
    "SO_SNDBUF 4,194,304 bytes (the kernel's own); delay 0 ms.",
  );
  const set = knobValues(withSettings(lesson, { sndbuf: 65_536, delay: 5 }));
  assert.equal(
    fillTemplate(parts(text), { limit: 131_072 }, {}, set),
    "SO_SNDBUF 131,072 bytes, twice the 65,536 bytes asked; delay 5 ms.",
  );
  // The kernel's floor: 1,024 asked, 4,608 given (Linux's SOCK_MIN_SNDBUF here): not "twice".
  assert.equal(
    fillTemplate(parts(text), { limit: 4_608 }, {}, knobValues(withSettings(lesson, { sndbuf: 1024 }))),
    "SO_SNDBUF 4,608 bytes, 4.5 times the 1,024 bytes asked; delay 0 ms.",
  );
  // Not measured: the ratio is not guessed.
  assert.equal(fillTemplate(parts("{limit|times:knob.sndbuf}"), { limit: null }, {}, set), "unknown");
  assert.equal(formatTimes(8_388_608, 8_388_608), "exactly");
  assert.equal(formatTimes(8_388_608, 16_777_216), "0.5 times");
  // What a non-blocking send() took against the buffer asked for: close to 2, not 2.
  assert.equal(formatTimes(130_964, 65_536), "about 2 times");
});

test("--set: name=value checked against the lesson's knobs, in one sentence naming the range and unit", () => {
  const knobs = [sndbuf, delay];
  assert.deepEqual(resolveSettings(knobs, ["sndbuf=65536"]), { sndbuf: 65_536 });
  assert.deepEqual(resolveSettings(knobs, ["sndbuf=65_536", "delay=5"]), { sndbuf: 65_536, delay: 5 });
  // The default is no setting; a later --set wins.
  assert.deepEqual(resolveSettings(knobs, ["delay=5", "delay=0"]), {});
  const bad = (typed: string, message: string) =>
    assert.throws(
      () => resolveSettings(knobs, [typed]),
      (e: unknown) => e instanceof BadSetting && e.message === message,
    );
  bad("sndbf=1", 'no knob "sndbf": the lesson\'s knobs are sndbuf, delay.');
  bad("sndbuf=12", "12 is out of range: sndbuf takes bytes from 1,024 to 16,777,216 (default: not set).");
  bad("delay=1001", "1,001 is out of range: delay takes ms from 0 to 1,000 (default: 0).");
  bad("sndbuf=64k", 'sndbuf takes bytes from 1,024 to 16,777,216 (default: not set), not "64k".');
  bad("sndbuf=-1", 'sndbuf takes bytes from 1,024 to 16,777,216 (default: not set), not "-1".');
  bad("=5", '--set takes name=value, like --set sndbuf=65536, not "=5".');
  assert.throws(() => resolveSettings([], ["sndbuf=1"]), /no knob "sndbuf": the lesson has none/);
  assert.equal(parseKnobValue(sndbuf, "65,536"), 65_536);
});

test("the programs get the knobs set, and never a stale one from the shell", () => {
  const lesson = withSettings({ knobs: [sndbuf, delay], settings: {} }, { sndbuf: 65_536 });
  assert.deepEqual(knobEnvironment(lesson), { set: { SNDBUF: "65536" }, unset: ["READ_DELAY_MS"] });
  assert.equal(settingsLine(lesson), "sndbuf=65536");
  assert.equal(settingsSentence(lesson), "sndbuf=65536 (default: not set)");
  assert.equal(settingsLine({ knobs: [sndbuf, delay], settings: {} }), "");
});
