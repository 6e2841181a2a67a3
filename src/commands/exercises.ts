// What the exercise and check commands share: finding an exercise among the
// lessons, where the learner's file is by default, the progress file.
import { basename, join, relative } from "node:path";
import type { Exercise, Lesson } from "../lessons/schema.ts";
import { UserError } from "../runner/errors.ts";
import { safeText } from "../text/sanitize.ts";
import { nearest } from "../text/nearest.ts";
import { Progress } from "../ui/progress.ts";
import type { LessonSet } from "./lessons.ts";

/** Where `socket-lessons exercise <id>` puts the starter, under the working folder. */
export const WORK_FOLDER = "socket-lessons-work";

export interface Found {
  readonly lesson: Lesson;
  readonly exercise: Exercise;
}

export function allExercises(set: LessonSet): Found[] {
  return set.lessons.flatMap((lesson) => lesson.exercises.map((exercise) => ({ lesson, exercise })));
}

export function findExercise(set: LessonSet, id: string): Found {
  const all = allExercises(set);
  const found = all.find((f) => f.exercise.id === id);
  if (found) return found;
  const ids = all.map((f) => f.exercise.id);
  const near = nearest(id, ids);
  throw new UserError(
    `Unknown exercise "${id}"${near ? ` (did you mean "${near}"?)` : ""}. Exercises: ${ids.join(", ") || "(none)"}.`,
    "See them with: socket-lessons exercise",
  );
}

/** The learner's file for an exercise in `folder` (default ./socket-lessons-work/<id>): the starter's name. */
export function workFile(exercise: Exercise, folder?: string): string {
  return join(folder ?? join(WORK_FOLDER, exercise.id), basename(exercise.starter));
}

/** A path as the user would type it: relative to the working folder when inside it. */
export function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel !== "" && !rel.startsWith("..") ? rel : path;
}

/** The progress file; its problems (corrupt, unwritable) are said on stderr, never fatal. */
export function loadProgress(): Progress {
  const progress = Progress.load();
  for (const warning of progress.warnings) process.stderr.write(`socket-lessons: ${safeText(warning)}\n`);
  return progress;
}
