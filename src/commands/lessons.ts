// The lessons a command works on: the shipped ones or --lessons DIR.
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { formatLessonError } from "../lessons/lesson-error.ts";
import { BadSetting, resolveSettings, withSettings } from "../lessons/knobs.ts";
import type { Lesson, LessonError } from "../lessons/schema.ts";
import { defaultLessonsDir, isDirectory } from "../lessons/folders.ts";
import { readIndexedLessons } from "../lessons/shipped.ts";
import { UserError } from "../runner/errors.ts";
import { safeText } from "../text/sanitize.ts";

export interface LessonSet {
  readonly lessons: readonly Lesson[];
  readonly errors: readonly LessonError[];
}

/** The shipped lessons (from their index while they are as built) or those of --lessons DIR. */
export async function lessonSet(dir: string | undefined): Promise<LessonSet> {
  if (dir === undefined) {
    const indexed = readIndexedLessons(defaultLessonsDir());
    if (indexed !== null) return { lessons: indexed, errors: [] };
  }
  if (dir !== undefined && !isDirectory(resolve(dir))) {
    const what = existsSync(resolve(dir)) ? "is not a folder" : "does not exist";
    throw new UserError(`--lessons ${dir} ${what}.`, "Point --lessons at a folder of lesson folders.");
  }
  const { loadLessons } = await import("../lessons/load.ts"); // the YAML parser, only when needed
  return loadLessons(dir ? resolve(dir) : defaultLessonsDir());
}

/** Broken lesson files are reported, never fatal for the others. */
export function warnBroken(set: LessonSet): void {
  for (const error of set.errors) process.stderr.write(`${safeText(formatLessonError(error))}\n`);
}

export function findLesson(set: LessonSet, id: string): Lesson {
  const lesson = set.lessons.find((l) => l.id === id);
  if (lesson) return lesson;
  const broken = set.errors.filter((e) => e.file.split(/[\\/]/).includes(id));
  if (broken.length > 0) {
    throw new UserError(
      `Lesson "${id}" has errors:\n${broken.map((e) => `  ${formatLessonError(e)}`).join("\n")}`,
      "Fix the lesson file and run again.",
    );
  }
  const known = set.lessons.map((l) => l.id).join(", ") || "(none)";
  throw new UserError(`Unknown lesson "${id}". Known lessons: ${known}.`, "See them with: socket-lessons list");
}

/**
 * The lesson with the knobs --set asks for: a setting that does not fit
 * (no such knob, out of range, not a number) is the user's mistake, said in
 * one line that names the knob, its range and unit (exit 2).
 */
export function lessonWithSettings(lesson: Lesson, typed: readonly string[] | undefined): Lesson {
  if (typed === undefined || typed.length === 0) return lesson;
  try {
    return withSettings(lesson, resolveSettings(lesson.knobs, typed));
  } catch (error) {
    if (error instanceof BadSetting) throw new UserError(`${lesson.id}: ${error.message}`);
    throw error;
  }
}
