// What a run leaves behind besides its narration: the recording (--record
// FILE) and the handout (--markdown [FILE]). Both are checked before the run
// starts and written once it has ended, from what the run observed.
import type { CliValues } from "../cli.ts";
import type { HoldMode } from "../engine/holds.ts";
import { makeHandout, svgPathFor } from "../handout/handout.ts";
import { settingsLine } from "../lessons/knobs.ts";
import type { Lesson } from "../lessons/schema.ts";
import { recordingBytes } from "../recording/file.ts";
import { readLessonFiles } from "../recording/lesson-files.ts";
import { thisMachine } from "../recording/machine.ts";
import type { RecordingHeader } from "../recording/format.ts";
import { Recorder } from "../recording/recorder.ts";
import { formatSize } from "../report/format.ts";
import type { SessionState } from "../session/session.ts";
import { basename } from "node:path";
import { checkWritable, writeOutputFile } from "./output-files.ts";

export interface RunOutputs {
  /** Hands the run to the recorder (undefined: nothing is recorded). */
  readonly record: Recorder | undefined;
  /**
   * The run has ended (its session says so): writes what was asked for, once.
   * Returns a line for each file written; throws the user's error when one cannot be.
   */
  ended(session: SessionState): string[];
}

/** Said in the recording: the holds are socket-lessons' doing, and a replay of it shows them as they were. */
export function holdsNote(mode: HoldMode): string | null {
  switch (mode.kind) {
    case "off":
      return null;
    case "timed":
      return `the programs waited at the lesson's holds for ${mode.ms / 1000} s each (--hold): socket-lessons' doing`;
    case "step":
      return "the programs waited at the lesson's holds until the learner moved on (step mode): socket-lessons' doing";
  }
}

/** Where --markdown writes: its FILE, or <id>-handout.md in the working folder. */
export function markdownPath(values: CliValues, lessonId: string): string | null {
  if (values.markdown === undefined || values.markdown === false) return null;
  return values.markdown === true ? `${lessonId}-handout.md` : values.markdown;
}

/** Checks --markdown's two files before anything runs. */
export function checkHandoutWritable(path: string): void {
  checkWritable("--markdown", path);
  checkWritable("--markdown", svgPathFor(path));
}

/**
 * Writes the handout of a session that has ended: the picture first, then the
 * Markdown that links to it. Returns what to tell the user.
 */
export function writeHandout(
  session: SessionState,
  header: RecordingHeader,
  path: string,
  recording: string | null,
): string {
  const svgPath = svgPathFor(path);
  const handout = makeHandout(session, header, basename(svgPath), recording);
  writeOutputFile("--markdown", svgPath, handout.svg);
  writeOutputFile("--markdown", path, handout.markdown);
  return `wrote the handout ${path} and its timeline ${svgPath} (${formatSize(handout.svg.length)})`;
}

export function prepareOutputs(lesson: Lesson, values: CliValues, holds: HoldMode): RunOutputs {
  const path = values.record;
  const handout = markdownPath(values, lesson.id);
  if (path !== undefined) checkWritable("--record", path);
  if (handout !== null) checkHandoutWritable(handout);
  // A handout needs what a recording keeps of the run (the machine, the programs' source as they ran).
  const record = path === undefined && handout === null
    ? undefined
    : new Recorder(lesson.id, thisMachine(), new Date().toISOString(), readLessonFiles(lesson), lesson.settings);
  const note = holdsNote(holds);
  if (note !== null) record?.note(note);
  const set = settingsLine(lesson);
  // Said as a note too: a replay by an app that predates knobs still tells it.
  if (set !== "") record?.note(`the run was made with the lesson's knobs set: ${set} (--set)`);
  let written = false;
  return {
    record,
    ended(session) {
      if (written || session.ended === null || record === undefined) return [];
      written = true;
      const said: string[] = [];
      const recording = record.finish(session.ended.reason);
      if (path !== undefined) {
        const bytes = recordingBytes(path, recording);
        writeOutputFile("--record", path, bytes);
        said.push(`recorded the run to ${path} (${record.size} lines, ${formatSize(bytes.length)})`);
      }
      if (handout !== null) said.push(writeHandout(session, recording.header, handout, null));
      return said;
    },
  };
}
