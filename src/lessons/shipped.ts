// The lessons shipped with the app, and their index: the build validates
// them once (scripts/index-lessons.ts) and writes dist/lessons.index.json, so
// that `list`, `run` and the TUI need not load and run the YAML parser
// (about 100 ms of a cold start) to read lessons nobody changed. The index is
// used only while the lessons folder is exactly as it was indexed: the same
// entries, each lesson file the same text, no second lesson file beside it,
// every program file present. Anything else, and the files are read as
// usual, with their errors. This module must not import the parser.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, join, relative, resolve } from "node:path";
import { LESSON_FILE_NAMES, MAX_LESSON_FILE_BYTES, programFileProblem, readBounded } from "./folders.ts";
import type { Exercise, Lesson, ProgramSpec } from "./schema.ts";

/** Bumped when the Lesson shape changes: an older index is then ignored. */
export const INDEX_VERSION = 2;

interface IndexEntry {
  /** The lesson file's text, compared with the file on disk at each start. */
  readonly text: string;
  /** The lesson, with its paths relative to the lessons folder. */
  readonly lesson: Lesson;
}

export interface LessonIndex {
  readonly version: number;
  /** The folder's entries (not starting with "."), sorted. */
  readonly names: readonly string[];
  /** In menu order. */
  readonly entries: readonly IndexEntry[];
}

/** Where the build writes the index of a lessons folder: dist/, beside it. */
export function indexPath(dir: string): string {
  return join(resolve(dir), "..", "dist", "lessons.index.json");
}

/** The index of `dir`, whose lessons loaded without an error, in menu order. */
export function makeIndex(dir: string, lessons: readonly Lesson[]): LessonIndex {
  const root = resolve(dir);
  const rel = (path: string) => relative(root, path);
  return {
    version: INDEX_VERSION,
    names: folderNames(root) ?? [],
    entries: lessons.map((lesson) => ({
      text: readFileSync(lesson.file, "utf8"),
      lesson: withPaths(lesson, rel),
    })),
  };
}

/** The lessons of `dir` from its index, or null when the folder is not exactly as indexed. */
export function readIndexedLessons(dir: string): Lesson[] | null {
  const root = resolve(dir);
  let index: LessonIndex;
  try {
    index = JSON.parse(readFileSync(indexPath(root), "utf8")) as LessonIndex;
  } catch {
    return null; // no index (running from src/, or --lessons elsewhere)
  }
  if (index.version !== INDEX_VERSION) return null;
  if ((folderNames(root) ?? []).join("\n") !== index.names.join("\n")) return null;
  const lessons: Lesson[] = [];
  for (const { text, lesson: stored } of index.entries) {
    const abs = (path: string) => join(root, path);
    const lesson = withPaths(stored, abs);
    const others = LESSON_FILE_NAMES.filter((name) => name !== basename(lesson.file));
    if (readOrNull(lesson.file) !== text) return null;
    if (others.some((name) => existsSync(join(lesson.dir, name)))) return null;
    if (!filesOf(lesson).every((file) => programFileProblem(lesson.dir, basename(file)) === null)) return null;
    lessons.push(lesson);
  }
  return lessons;
}

/** The lesson with every path it holds passed through `map` (relative in the index, absolute in use). */
function withPaths(lesson: Lesson, map: (path: string) => string): Lesson {
  const programs = (list: readonly ProgramSpec[]) => list.map((p) => ({ ...p, file: map(p.file) }));
  const exercise = (e: Exercise): Exercise => ({
    ...e,
    starter: map(e.starter),
    solution: map(e.solution),
    programs: programs(e.programs),
  });
  return {
    ...lesson,
    dir: map(lesson.dir),
    file: map(lesson.file),
    programs: programs(lesson.programs),
    exercises: lesson.exercises.map(exercise),
  };
}

/** Every file a lesson runs or hands out: its programs, and its exercises' programs, starters and solutions. */
function filesOf(lesson: Lesson): string[] {
  return [
    ...lesson.programs.map((p) => p.file),
    ...lesson.exercises.flatMap((e) => [e.starter, e.solution, ...e.programs.map((p) => p.file)]),
  ];
}

function folderNames(root: string): string[] | null {
  try {
    return readdirSync(root).filter((name) => !name.startsWith(".")).sort();
  } catch {
    return null;
  }
}

function readOrNull(path: string): string | null {
  const read = readBounded(path, MAX_LESSON_FILE_BYTES, true);
  return "text" in read ? read.text : null;
}
