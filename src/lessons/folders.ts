// Lesson folders on disk, without the YAML parser: the lesson file's names,
// where the shipped lessons are, and the checks the loader and the shipped
// lessons' index both make before they trust a file.
//
// A lessons folder may be anyone's (`--lessons DIR`), so nothing in it is
// read blindly: a lesson file must be a regular file of at most
// MAX_LESSON_FILE_BYTES (a FIFO would block the read for ever, a link to
// /dev/zero would fill the memory, a 3 MB file made the YAML parser run out
// of heap), and a program must be a regular file inside its lesson folder
// once links are resolved (a link to /etc/passwd is not a lesson program).
import {
  closeSync,
  constants,
  existsSync,
  fstatSync,
  lstatSync,
  openSync,
  readSync,
  realpathSync,
  statSync,
} from "node:fs";
import { join, sep } from "node:path";
import { fileURLToPath } from "node:url";

export const LESSON_FILE_NAMES = ["lesson.yaml", "lesson.yml"] as const;

/**
 * The `lessons/` folder shipped with the app. From src/lessons/ it is
 * ../../lessons, from the bundle dist/cli.js ../lessons. "Exists" alone would
 * be fooled: from src/lessons, ../lessons is src/lessons itself, and from an
 * installed dist/cli.js, ../../lessons is node_modules/lessons, another
 * package. So the folder must sit beside a package.json, as ours does.
 */
export function defaultLessonsDir(): string {
  const candidates = ["../../lessons", "../lessons"].map((rel) => fileURLToPath(new URL(rel, import.meta.url)));
  const found = candidates.find((dir) => isDirectory(dir) && existsSync(join(dir, "..", "package.json")));
  return found ?? candidates[0]!;
}

export function isDirectory(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
}

/** 256 KiB: the shipped lessons' files are about 6 KiB; a lesson file is prose, not data. */
export const MAX_LESSON_FILE_BYTES = 256 * 1024;

/** A program's source shown in a code pane: larger files are shown up to here. */
export const MAX_SOURCE_BYTES = 256 * 1024;

export type BoundedRead =
  | { readonly text: string; readonly truncated: boolean }
  | { readonly problem: string };

/**
 * The text of a regular file, at most `maxBytes` of it. What is not a
 * regular file is refused from its stat, before it is opened; the open
 * itself does not wait (O_NONBLOCK: a file swapped for a FIFO after the
 * check cannot block it) and is checked again on the open descriptor.
 * `whole`: a larger file is a problem, not the first `maxBytes`.
 */
export function readBounded(path: string, maxBytes: number, whole: boolean): BoundedRead {
  const before = statSync(path, { throwIfNoEntry: false });
  if (before === undefined) return { problem: "no such file" };
  if (!before.isFile()) return { problem: `is ${kindOf(before)}, not a regular file` };
  if (whole && before.size > maxBytes) return { problem: tooLarge(before.size, maxBytes) };
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (e) {
    return { problem: `cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})` };
  }
  try {
    const opened = fstatSync(fd);
    if (!opened.isFile()) return { problem: `is ${kindOf(opened)}, not a regular file` };
    // One byte more than allowed tells a file that grew past the limit.
    const buffer = Buffer.alloc(Math.min(maxBytes, opened.size) + 1);
    let length = 0;
    while (length < buffer.length) {
      const n = readSync(fd, buffer, length, buffer.length - length, length);
      if (n === 0) break;
      length += n;
    }
    const truncated = length > maxBytes;
    if (truncated && whole) return { problem: tooLarge(length, maxBytes) };
    return { text: buffer.subarray(0, Math.min(length, maxBytes)).toString("utf8"), truncated };
  } catch (e) {
    return { problem: `cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})` };
  } finally {
    closeSync(fd);
  }
}

/**
 * Why `name` (a file name, no path) in `dir` cannot be a lesson program, or
 * null when it can: it must be a regular file, and inside the lesson folder
 * once every link on the way is resolved. A plain file (most programs) is
 * inside by being listed there: one lstat; only a link is followed.
 */
export function programFileProblem(dir: string, name: string): string | null {
  const entry = lstatSync(join(dir, name), { throwIfNoEntry: false });
  if (entry === undefined) return "no such file";
  if (entry.isFile()) return null;
  if (!entry.isSymbolicLink()) return `is ${kindOf(entry)}, not a regular file`;
  let real: string;
  let realDir: string;
  try {
    realDir = realpathSync.native(dir);
    real = realpathSync.native(join(dir, name));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return code === "ENOENT" ? "is a link to nothing" : `cannot be read (${code ?? String(e)})`;
  }
  if (!real.startsWith(realDir + sep)) return `is a link to ${real}, outside the lesson folder`;
  const stat = statSync(real, { throwIfNoEntry: false });
  if (stat === undefined) return "is a link to nothing";
  if (!stat.isFile()) return `is ${kindOf(stat)}, not a regular file`;
  return null;
}

function kindOf(stat: ReturnType<typeof statSync> & object): string {
  if (stat.isDirectory()) return "a folder";
  if (stat.isFIFO()) return "a FIFO (named pipe)";
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return "a device";
  if (stat.isSocket()) return "a socket";
  return "not a regular file";
}

function tooLarge(size: number, maxBytes: number): string {
  const kib = maxBytes % 1024 === 0 ? ` (${maxBytes / 1024} KiB)` : "";
  return `is ${size.toLocaleString("en-US")} bytes; a lesson file may be at most ${
    maxBytes.toLocaleString("en-US")
  } bytes${kib}`;
}
