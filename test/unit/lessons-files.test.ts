// Lesson files that must not be trusted: each is refused with its own error
// before it is read whole (or at all), and the healthy lesson beside them
// loads. What list makes of the same folder, with its time and memory, is in
// test/integration/lesson-files.test.ts.
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { programFileProblem, readBounded } from "../../src/lessons/folders.ts";
import { formatLessonError, loadLessons } from "../../src/lessons/load.ts";
import { formatBytes } from "../../src/lessons/template.ts";
import { GOOD_ID, makeSpecialLessons } from "../helpers/special-lessons.ts";
import { tempDir } from "../helpers/temp-dir.ts";

test("a 3 MB lesson file, a FIFO, a link to /dev/zero, a program linked to /etc/passwd: one error each, the good one loads", () => {
  const root = makeSpecialLessons();
  const { lessons, errors } = loadLessons(root, { cwd: root });
  assert.deepEqual(lessons.map((l) => l.id), [GOOD_ID]);
  const [big, ...others] = errors.map(formatLessonError);
  // About 3 MB: the filler after a shipped lesson file's head, whose length changes with that lesson.
  const size = statSync(join(root, "big", "lesson.yaml")).size;
  assert.ok(size > 3_000_000 && size < 3_300_000, `${size}`);
  assert.equal(
    big,
    `big/lesson.yaml: is ${formatBytes(size)}; a lesson file may be at most 262,144 bytes (256 KiB)`,
  );
  // The line of the server's `file:` in the copied lesson file.
  const fileLine = readFileSync(join(root, "passwd", "lesson.yaml"), "utf8").split("\n")
    .findIndex((l) => l.includes("file: block_server.py")) + 1;
  assert.deepEqual(others, [
    "fifo/lesson.yaml: is a FIFO (named pipe), not a regular file",
    `passwd/lesson.yaml:${fileLine}: programs[0].file: "block_server.py" is a link to /etc/passwd, outside the lesson folder; ` +
    "a lesson runs only regular files in its own folder",
    "zero/lesson.yaml: is a device, not a regular file",
  ]);
});

test("readBounded: at most the bound; a file that must be whole is refused when larger", () => {
  const dir = tempDir("sl-bounded-");
  const file = join(dir, "f.txt");
  writeFileSync(file, "é".repeat(10)); // 20 bytes
  assert.deepEqual(readBounded(file, 64, true), { text: "é".repeat(10), truncated: false });
  assert.deepEqual(readBounded(file, 8, false), { text: "é".repeat(4), truncated: true });
  assert.deepEqual(readBounded(file, 8, true), { problem: "is 20 bytes; a lesson file may be at most 8 bytes" });
  assert.deepEqual(readBounded(join(dir, "nope"), 8, true), { problem: "no such file" });
  assert.deepEqual(readBounded(dir, 8, true), { problem: "is a folder, not a regular file" });
});

test("programFileProblem: links inside the folder are fine, links out of it or to nothing are not", () => {
  const dir = tempDir("sl-programs-");
  const lesson = join(dir, "lesson");
  mkdirSync(lesson);
  writeFileSync(join(lesson, "real.py"), "print(1)\n");
  writeFileSync(join(dir, "outside.py"), "print(1)\n");
  symlinkSync("real.py", join(lesson, "alias.py"));
  symlinkSync("../outside.py", join(lesson, "escape.py"));
  symlinkSync("gone.py", join(lesson, "dangling.py"));
  mkdirSync(join(lesson, "dir.py"));
  assert.equal(programFileProblem(lesson, "real.py"), null);
  assert.equal(programFileProblem(lesson, "alias.py"), null);
  assert.equal(
    programFileProblem(lesson, "escape.py"),
    `is a link to ${join(dir, "outside.py")}, outside the lesson folder`,
  );
  assert.equal(programFileProblem(lesson, "dangling.py"), "is a link to nothing");
  assert.equal(programFileProblem(lesson, "dir.py"), "is a folder, not a regular file");
});
