// Reading a lesson file's `exercises:`. An exercise names the program the
// learner writes (their file runs in its place, against the other programs),
// the starter they begin from, the reference solution shown after a pass,
// the criteria the run's facts are judged by, and hints. It runs the lesson's
// programs, or its own list of them (programs: in the same form) when the
// exercise needs others (three clients for a server). Pure.
import type { Exercise, Lesson, ProgramSpec } from "./schema.ts";
import { readEndsWhen } from "./read-beats.ts";
import { readCriteria } from "./read-criteria.ts";
import { readFolderFile, readPrograms } from "./read-programs.ts";
import {
  child,
  type Ctx,
  type Entry,
  lineOf,
  type MapView,
  readList,
  readMap,
  readRequiredText,
  readText,
  report,
  requiredEntry,
  scalarValue,
} from "./yaml-walk.ts";

const EXERCISE_KEYS = [
  "id",
  "title",
  "task",
  "program",
  "starter",
  "solution",
  "timeout",
  "programs",
  "ends_when",
  "criteria",
  "hints",
] as const;
const EXERCISE_ID = /^[a-z][a-z0-9-]*$/;
/** Seconds: an exercise's run is short; a program that hangs is told so at this limit. */
export const DEFAULT_EXERCISE_TIMEOUT_S = 30;
const MAX_EXERCISE_TIMEOUT_S = 120;
const MAX_HINTS = 5;

/** `exercises:` a list; absent: none. null: an error was reported. */
export function readExercises(
  ctx: Ctx,
  top: MapView,
  lessonPrograms: readonly ProgramSpec[] | null,
  lessonEndsWhen: Lesson["endsWhen"] | null,
): Exercise[] | null {
  const entry = top.entries.get("exercises");
  if (entry === undefined) return [];
  const items = readList(ctx, entry, "a list of exercises (- id: ..., program: ..., criteria: ...)");
  if (items === null) return null;
  const maps = items.map((item, i) => readMap(ctx, item, child(entry.field, i), entry.line, EXERCISE_KEYS));
  const exercises = maps.map((map) => map === null ? null : readExercise(ctx, map, lessonPrograms, lessonEndsWhen));
  if (!exercises.every((e) => e !== null)) return null;
  const seen = new Set<string>();
  for (const [i, exercise] of exercises.entries()) {
    if (seen.has(exercise.id)) {
      const id = maps[i]!.entries.get("id")!;
      return report(ctx, id.line, id.field, `duplicate exercise id "${exercise.id}"`);
    }
    seen.add(exercise.id);
  }
  return exercises;
}

function readExercise(
  ctx: Ctx,
  map: MapView,
  lessonPrograms: readonly ProgramSpec[] | null,
  lessonEndsWhen: Lesson["endsWhen"] | null,
): Exercise | null {
  const id = readId(ctx, map);
  const title = readRequiredText(ctx, map, "title", "the exercise's heading, one line");
  const task = readRequiredText(ctx, map, "task", "what the learner is to do");
  const own = map.entries.has("programs");
  const programs = own ? readPrograms(ctx, map) : lessonPrograms;
  const names = programs?.map((p) => p.name) ?? null;
  const endsWhen = map.entries.has("ends_when") ? readEndsWhen(ctx, map, names) : own ? "all-exited" : lessonEndsWhen;
  const program = readProgram(ctx, map, names);
  const spec = programs?.find((p) => p.name === program);
  const starter = map.entries.has("starter") ? readFile(ctx, map, "starter") : spec?.file ?? null;
  const solutionEntry = requiredEntry(ctx, map, "solution", "the reference solution's file name, shown after a pass");
  const solution = solutionEntry === null ? null : fileIn(ctx, solutionEntry);
  const timeout = readTimeout(ctx, map);
  const criteriaEntry = requiredEntry(ctx, map, "criteria", "the list of criteria its run is judged by");
  const criteria = criteriaEntry === null ? null : readCriteria(ctx, criteriaEntry, names);
  const hints = readHints(ctx, map);
  if (title?.includes("\n")) {
    return report(ctx, map.entries.get("title")!.line, child(map.field, "title"), "must be one line");
  }
  if (
    id === null || title === null || task === null || programs === null || endsWhen === null || program === null ||
    starter === null || solution === null || timeout === null || criteria === null || hints === null
  ) return null;
  return {
    id,
    lesson: ctx.input.id,
    title,
    task,
    program,
    starter,
    solution,
    timeoutMs: timeout * 1000,
    programs,
    endsWhen,
    criteria,
    hints,
  };
}

function readId(ctx: Ctx, map: MapView): string | null {
  const what = "a name like send-it-all ([a-z][a-z0-9-]*): socket-lessons exercise <id>";
  const entry = requiredEntry(ctx, map, "id", what);
  if (entry === null) return null;
  const value = scalarValue(entry);
  if (typeof value === "string" && EXERCISE_ID.test(value)) return value;
  return report(ctx, entry.line, entry.field, `${JSON.stringify(value)} is not a valid exercise id: use ${what}`);
}

function readProgram(ctx: Ctx, map: MapView, names: readonly string[] | null): string | null {
  const entry = requiredEntry(ctx, map, "program", "the program the learner's file runs in place of");
  if (entry === null) return null;
  const value = scalarValue(entry);
  if (typeof value === "string" && (names === null || names.includes(value))) return value;
  const shown = typeof value === "string" ? `"${value}"` : "this";
  return report(ctx, entry.line, entry.field, `${shown} is not a program it runs (programs: ${names?.join(", ")})`);
}

function readFile(ctx: Ctx, map: MapView, key: string): string | null {
  const entry = map.entries.get(key);
  return entry === undefined ? null : fileIn(ctx, entry);
}

/** A file of the lesson folder, as an absolute path. */
function fileIn(ctx: Ctx, entry: Entry): string | null {
  const name = readFolderFile(ctx, entry);
  if (name === null) return null;
  const dir = ctx.input.dir;
  return /[/\\]$/.test(dir) ? dir + name : `${dir}/${name}`;
}

function readTimeout(ctx: Ctx, map: MapView): number | null {
  const entry = map.entries.get("timeout");
  if (entry === undefined) return DEFAULT_EXERCISE_TIMEOUT_S;
  const value = scalarValue(entry);
  if (typeof value === "number" && value > 0 && value <= MAX_EXERCISE_TIMEOUT_S) return value;
  return report(
    ctx,
    entry.line,
    entry.field,
    `must be seconds, more than 0 and at most ${MAX_EXERCISE_TIMEOUT_S} (the check's time limit)`,
  );
}

function readHints(ctx: Ctx, map: MapView): string[] | null {
  const entry = map.entries.get("hints");
  if (entry === undefined) return [];
  const items = readList(ctx, entry, "a list of hints, revealed one at a time");
  if (items === null) return null;
  if (items.length > MAX_HINTS) return report(ctx, entry.line, entry.field, `at most ${MAX_HINTS} hints`);
  const hints = items.map((node, i) =>
    readText(ctx, { node, line: lineOf(ctx, node, entry.line), field: child(entry.field, i) }, "a hint's text")
  );
  return hints.every((h) => h !== null) ? hints : null;
}
