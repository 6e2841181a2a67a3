// A lessons folder where every lesson but one is a file that must not be
// trusted: a 3 MB lesson file, a FIFO, a link to /dev/zero, and a lesson
// whose program is a link to /etc/passwd. Made in a temporary folder by the
// test (a FIFO and links to system files do not belong in the repository).
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { tempDir } from "./temp-dir.ts";

/** A shipped lesson, runnable: the healthy one. */
export const GOOD = fileURLToPath(new URL("../../lessons/non-blocking-send/", import.meta.url));
export const GOOD_ID = "non-blocking-send";

export const BIG_LESSON_BYTES = 3 * 1024 * 1024;

/** The folder; GOOD_ID is the healthy lesson, "big", "fifo", "zero" and "passwd" the bad ones. */
export function makeSpecialLessons(): string {
  const root = tempDir("sl-special-");
  cpSync(GOOD, join(root, GOOD_ID), { recursive: true });

  mkdirSync(join(root, "big"));
  const head = readFileSync(join(GOOD, "lesson.yaml"), "utf8");
  const filler = `# ${"x".repeat(78)}\n`;
  writeFileSync(join(root, "big", "lesson.yaml"), head + filler.repeat(Math.ceil(BIG_LESSON_BYTES / filler.length)));
  cpSync(GOOD, join(root, "big"), { recursive: true, filter: (path) => !path.endsWith(".yaml") });

  mkdirSync(join(root, "fifo"));
  execFileSync("mkfifo", [join(root, "fifo", "lesson.yaml")]);

  mkdirSync(join(root, "zero"));
  symlinkSync("/dev/zero", join(root, "zero", "lesson.yaml"));

  cpSync(GOOD, join(root, "passwd"), { recursive: true });
  rmSync(join(root, "passwd", "block_server.py"));
  symlinkSync("/etc/passwd", join(root, "passwd", "block_server.py"));
  return root;
}
