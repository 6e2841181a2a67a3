// The lesson a recording carries (format.ts, RecordedFiles): read from disk
// when a run is recorded, and loaded again from the recording when it is
// replayed, so the replay tells the lesson and shows the code that ran.
import { basename } from "node:path";
import { MAX_LESSON_FILE_BYTES, MAX_SOURCE_BYTES, readBounded } from "../lessons/folders.ts";
import { formatLessonError, type Lesson, parseLesson } from "../lessons/schema.ts";
import { BadSetting, resolveSettings, withSettings } from "../lessons/knobs.ts";
import type { RecordedFiles, Recording } from "./format.ts";
import { RecordingError } from "./format.ts";

/**
 * The lesson file and the source of every file it names, as they are on disk
 * now (the run is about to start): its programs, and its exercises' programs,
 * starters and solutions, without which the lesson file would not load again
 * from the recording.
 */
export function readLessonFiles(lesson: Lesson): RecordedFiles {
  const lessonRead = readBounded(lesson.file, MAX_LESSON_FILE_BYTES, true);
  if ("problem" in lessonRead) throw new Error(`${lesson.file} ${lessonRead.problem}`);
  const programs: Record<string, string> = {};
  for (const file of namedFiles(lesson)) {
    const read = readBounded(file, MAX_SOURCE_BYTES, false);
    // A program too large to show is recorded as far as the code pane would show it.
    programs[basename(file)] = "problem" in read ? "" : read.text;
  }
  return { lessonFile: basename(lesson.file), lessonText: lessonRead.text, programs };
}

function namedFiles(lesson: Lesson): Set<string> {
  const files = new Set(lesson.programs.map((p) => p.file));
  for (const exercise of lesson.exercises) {
    for (const p of exercise.programs) files.add(p.file);
    files.add(exercise.starter);
    files.add(exercise.solution);
  }
  return files;
}

/**
 * The lesson as the recording holds it; `where` names the recording in
 * errors. Its paths are the recording's, never a folder on this machine:
 * nothing of a replayed lesson is read from disk or run.
 */
export function lessonFromRecording(recording: Recording, where: string): Lesson {
  const files = recording.header.files;
  if (!files) {
    throw new RecordingError(
      `${where} has no copy of its lesson (recording format ${recording.header.version}, made for tests): ` +
        `record the lesson again with --record`,
    );
  }
  if (files.lessonText.length > MAX_LESSON_FILE_BYTES) {
    throw new RecordingError(`${where}: its lesson file is larger than a lesson file may be`);
  }
  const id = recording.header.lesson;
  const dir = `${where}/${id}`;
  const result = parseLesson(
    { id, dir, file: `${dir}/${files.lessonFile}`, displayFile: `${dir}/${files.lessonFile}`, text: files.lessonText },
    (name) => Object.hasOwn(files.programs, name),
  );
  if ("errors" in result) {
    const first = result.errors[0]!;
    throw new RecordingError(`${where}: its lesson does not load here: ${formatLessonError(first)}`);
  }
  const settings = Object.entries(recording.header.settings ?? {}).map(([name, value]) => `${name}=${value}`);
  try {
    return withSettings(result.lesson, resolveSettings(result.lesson.knobs, settings));
  } catch (error) {
    if (error instanceof BadSetting) {
      throw new RecordingError(`${where}: its settings do not fit its lesson: ${error.message}`);
    }
    throw error;
  }
}

/** A program's source as the recording holds it ("" when it was not recorded). */
export function recordedSource(recording: Recording, programFile: string): string {
  return recording.header.files?.programs[basename(programFile)] ?? "";
}
