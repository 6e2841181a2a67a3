// Reading lesson folders from disk: the imperative shell around schema.ts.
//
// Rules (the lead's reference for what counts as a lesson):
// - every subfolder of the lessons dir with a `lesson.yaml` (or `lesson.yml`)
//   is a lesson, its name the id; folders starting with "." are ignored;
// - a folder with *.py files but no lesson file is reported (line 0), since it
//   is almost always a misnamed lesson file (`Lesson.yaml`, `lesson.yaml.txt`);
//   any other folder without one (`__pycache__`) is skipped silently;
// - a folder with both lesson.yaml and lesson.yml is reported and not loaded:
//   whichever we picked, the author may be editing the other;
// - errors name files relative to the working dir when inside it, else absolute;
// - one broken lesson never stops the others: its errors are collected instead;
// - a lesson file is read only if it is a regular file of at most 256 KiB,
//   and a program must be a regular file inside its lesson folder once links
//   are resolved (folders.ts says why).
import { type Dirent, readdirSync } from "node:fs";
import { isAbsolute, join, relative, resolve, sep } from "node:path";
import { isDirectory, LESSON_FILE_NAMES, MAX_LESSON_FILE_BYTES, programFileProblem, readBounded } from "./folders.ts";
import { compareLessons, type Lesson, type LessonError, type LessonResult, parseLesson } from "./schema.ts";

export { formatLessonError } from "./schema.ts";
export { defaultLessonsDir, LESSON_FILE_NAMES } from "./folders.ts";
export type { Lesson, LessonError, LessonResult } from "./schema.ts";

export interface LoadOptions {
  /** What error paths are shown relative to; the process's working dir by default. */
  readonly cwd?: string;
}

export interface LoadedLessons {
  readonly lessons: Lesson[];
  readonly errors: LessonError[];
}

/** Every lesson in `dir`, in menu order, and the errors of those that failed. */
export function loadLessons(dir: string, options: LoadOptions = {}): LoadedLessons {
  const root = resolve(dir);
  const show = displayPath(options.cwd ?? process.cwd());
  let entries: Dirent[];
  try {
    entries = readdirSync(root, { withFileTypes: true });
  } catch (e) {
    return { lessons: [], errors: [folderError(show(root), e, "cannot read the lessons folder")] };
  }
  const lessons: Lesson[] = [];
  const errors: LessonError[] = [];
  for (const id of lessonFolderNames(root, entries)) {
    const result = readLessonFolder(root, id, show);
    if (result === null) continue;
    if ("lesson" in result) lessons.push(result.lesson);
    else errors.push(...result.errors);
  }
  return { lessons: lessons.sort(compareLessons), errors };
}

/** One lesson by id, without reading the others. */
export function loadLesson(dir: string, id: string, options: LoadOptions = {}): LessonResult {
  const root = resolve(dir);
  const show = displayPath(options.cwd ?? process.cwd());
  // The id comes from the command line; it must not lead out of the lessons dir.
  if (!id || id.startsWith(".") || /[/\\]/.test(id) || !isDirectory(join(root, id))) {
    return { errors: [{ file: show(root), line: 0, field: "", message: `no lesson "${id}" here` }] };
  }
  const result = readLessonFolder(root, id, show);
  if (result !== null) return result;
  const file = show(join(root, id, LESSON_FILE_NAMES[0]));
  return { errors: [{ file, line: 0, field: "", message: `lesson "${id}" has no lesson file` }] };
}

function lessonFolderNames(root: string, entries: readonly Dirent[]): string[] {
  return entries
    .filter((e) =>
      !e.name.startsWith(".") && (e.isDirectory() || (e.isSymbolicLink() && isDirectory(join(root, e.name))))
    )
    .map((e) => e.name)
    .sort();
}

/** null: not a lesson folder, and nothing suggests it was meant to be one. */
function readLessonFolder(root: string, id: string, show: (path: string) => string): LessonResult | null {
  const dir = join(root, id);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (e) {
    return { errors: [folderError(show(dir), e, "cannot read the lesson folder")] };
  }
  const present = LESSON_FILE_NAMES.filter((n) => names.includes(n));
  const [fileName] = present;
  if (fileName === undefined) {
    if (!names.some((n) => n.endsWith(".py"))) return null;
    return {
      errors: [{ file: show(dir) + sep, line: 0, field: "", message: "has Python programs but no lesson.yaml" }],
    };
  }
  const file = join(dir, fileName);
  if (present.length > 1) {
    return {
      errors: [{ file: show(dir) + sep, line: 0, field: "", message: "has both lesson.yaml and lesson.yml: keep one" }],
    };
  }
  const read = readBounded(file, MAX_LESSON_FILE_BYTES, true);
  if ("problem" in read) return { errors: [{ file: show(file), line: 0, field: "", message: read.problem }] };
  // Matching the listing, not asking the file system, keeps the case exact
  // on macOS, where block_Server.py would open but fail on Linux.
  const refused = new Map<string, string>();
  const fileExists = (name: string): boolean => {
    if (!names.includes(name)) return false;
    const problem = programFileProblem(dir, name);
    if (problem !== null) refused.set(name, problem);
    return problem === null;
  };
  const result = parseLesson({ id, dir, file, displayFile: show(file), text: read.text }, fileExists);
  if (refused.size === 0 || !("errors" in result)) return result;
  return { errors: result.errors.map((e) => explainRefused(e, refused)) };
}

/**
 * The schema says a program it was told is missing is "no such file"; for
 * one that is there but refused (a link out of the folder, a FIFO), the
 * loader knows why, and says that instead, at the same file, line and field.
 */
function explainRefused(error: LessonError, refused: ReadonlyMap<string, string>): LessonError {
  if (!/^programs\[\d+\]\.file$/.test(error.field)) return error;
  for (const [name, problem] of refused) {
    if (error.message.startsWith(`no such file "${name}"`)) {
      return { ...error, message: `"${name}" ${problem}; a lesson runs only regular files in its own folder` };
    }
  }
  return error;
}

function folderError(file: string, e: unknown, what: string): LessonError {
  const code = (e as { code?: string } | null)?.code;
  const message = code === "ENOENT" ? "no such folder" : `${what} (${code ?? String(e)})`;
  return { file, line: 0, field: "", message };
}

function displayPath(cwd: string): (path: string) => string {
  return (path) => {
    const rel = relative(cwd, path);
    return rel === "" || rel.startsWith("..") || isAbsolute(rel) ? path : rel;
  };
}
