import assert from "node:assert/strict";
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { Progress, PROGRESS_FILE } from "../../src/ui/progress.ts";

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "socket-lessons-progress-"));
  dirs.push(dir);
  return dir;
}
after(() => {
  for (const dir of dirs) {
    chmodSync(dir, 0o755);
    rmSync(dir, { recursive: true, force: true });
  }
});

test("finished lessons and the last one opened are saved and read back", () => {
  const dir = join(tempDir(), "nested", "socket-lessons");
  const progress = Progress.load(dir);
  assert.equal(progress.isDone("blocking-send"), false);
  assert.equal(progress.last(), null);
  progress.setLast("blocking-send");
  progress.markDone("blocking-send", new Date("2025-01-02T03:04:05Z"));
  const again = Progress.load(dir);
  assert.equal(again.isDone("blocking-send"), true);
  assert.equal(again.isDone("non-blocking-send"), false);
  assert.equal(again.last(), "blocking-send");
  assert.deepEqual(again.warnings, []);
  assert.deepEqual(JSON.parse(readFileSync(join(dir, PROGRESS_FILE), "utf8")).done, {
    "blocking-send": "2025-01-02T03:04:05.000Z",
  });
});

for (
  const [what, text] of [["not JSON", "{not json"], ["the wrong shape", '{"version":1,"done":[1,2]}'], [
    "a number",
    "42",
  ]]
) {
  test(`a progress file that is ${what} is moved aside with a warning, never a crash`, () => {
    const dir = tempDir();
    writeFileSync(join(dir, PROGRESS_FILE), text!);
    const progress = Progress.load(dir, () => new Date("2025-01-02T03:04:05Z"));
    assert.equal(progress.isDone("blocking-send"), false);
    assert.equal(progress.warnings.length, 1);
    assert.match(progress.warnings[0]!, /was not valid.*moved to .*progress\.json\.corrupt-2025-01-02T03-04-05-000Z/);
    assert.equal(existsSync(join(dir, PROGRESS_FILE)), false);
    assert.equal(readFileSync(join(dir, `${PROGRESS_FILE}.corrupt-2025-01-02T03-04-05-000Z`), "utf8"), text);
    progress.markDone("blocking-send");
    assert.equal(Progress.load(dir).isDone("blocking-send"), true);
  });
}

test("an unwritable config dir keeps progress in memory, with a warning", () => {
  // Root writes through file modes, so as root use a directory the kernel
  // itself refuses files in (sysfs answers EACCES to everyone).
  const asRoot = process.getuid?.() === 0;
  const dir = asRoot ? "/sys/kernel" : tempDir();
  if (!asRoot) chmodSync(dir, 0o500);
  const progress = Progress.load(dir);
  progress.markDone("blocking-send");
  assert.equal(progress.isDone("blocking-send"), true);
  assert.match(progress.warnings.join("\n"), /cannot be saved \(EACCES.*kept in memory/);
  assert.equal(readdirSync(dir).some((f) => f.startsWith(PROGRESS_FILE)), false);
});

test("a config path that is a file keeps progress in memory, with a warning", () => {
  const parent = tempDir();
  const notADir = join(parent, "file");
  writeFileSync(notADir, "");
  const progress = Progress.load(join(notADir, "socket-lessons"));
  progress.setLast("blocking-send");
  progress.markDone("blocking-send");
  assert.equal(progress.isDone("blocking-send"), true);
  assert.equal(progress.last(), "blocking-send");
  assert.match(progress.warnings.join("\n"), /cannot be saved \((ENOTDIR|EEXIST).*kept in memory/);
});
