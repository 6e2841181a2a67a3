// The shipped lessons' index (src/lessons/shipped.ts): the same lessons as
// reading the files, and never used once the folder differs from it.
import assert from "node:assert/strict";
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { defaultLessonsDir, loadLessons } from "../../src/lessons/load.ts";
import { INDEX_VERSION, indexPath, makeIndex, readIndexedLessons } from "../../src/lessons/shipped.ts";

/** A copy of the shipped lessons with a fresh index beside it, in dist/ as the build writes it. */
function indexedCopy(): { dir: string; cleanup: () => void } {
  const top = mkdtempSync(join(tmpdir(), "lessons-index-"));
  const dir = join(top, "lessons");
  cpSync(defaultLessonsDir(), dir, { recursive: true });
  mkdirSync(join(top, "dist"));
  const { lessons, errors } = loadLessons(dir);
  assert.deepEqual(errors, []);
  writeFileSync(indexPath(dir), JSON.stringify(makeIndex(dir, lessons)));
  return { dir, cleanup: () => rmSync(top, { recursive: true, force: true }) };
}

test("the index gives exactly the lessons the files give, absolute paths and all", () => {
  const { dir, cleanup } = indexedCopy();
  try {
    assert.deepEqual(readIndexedLessons(dir), loadLessons(dir).lessons);
  } finally {
    cleanup();
  }
});

const changes: [string, (dir: string) => void][] = [
  ["a lesson file edited", (dir) => appendFileSync(join(dir, "blocking-send", "lesson.yaml"), "\n# edited\n")],
  ["a folder added", (dir) => mkdirSync(join(dir, "my-lesson"))],
  ["a program file removed", (dir) => rmSync(join(dir, "cancel-connect", "busy_server.py"))],
  ["a lesson.yml beside the lesson.yaml", (dir) => writeFileSync(join(dir, "non-blocking-send", "lesson.yml"), "")],
  ["an index of another version", (dir) => {
    const index = JSON.parse(JSON.stringify(makeIndex(dir, loadLessons(dir).lessons)));
    writeFileSync(indexPath(dir), JSON.stringify({ ...index, version: INDEX_VERSION + 1 }));
  }],
  ["no index", (dir) => rmSync(indexPath(dir))],
];

for (const [what, change] of changes) {
  test(`${what}: the index is not used`, () => {
    const { dir, cleanup } = indexedCopy();
    try {
      change(dir);
      assert.equal(readIndexedLessons(dir), null);
    } finally {
      cleanup();
    }
  });
}
