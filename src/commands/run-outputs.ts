// What a run leaves behind besides its narration: the recording (--record
// FILE) and the handout (--markdown [FILE]). Both are checked before the run
// starts and written once it has ended, from what the run observed.
import type { CliValues } from "../cli.ts";
import type { HoldMode } from "../engine/holds.ts";
import type { Lesson } from "../lessons/schema.ts";
import { recordingBytes } from "../recording/file.ts";
import { readLessonFiles } from "../recording/lesson-files.ts";
import { thisMachine } from "../recording/machine.ts";
import { Recorder } from "../recording/recorder.ts";
import { formatSize } from "../report/format.ts";
import type { SessionState } from "../session/session.ts";
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

export function prepareOutputs(lesson: Lesson, values: CliValues, holds: HoldMode): RunOutputs {
  const path = values.record;
  if (path !== undefined) checkWritable("--record", path);
  const record = path === undefined
    ? undefined
    : new Recorder(lesson.id, thisMachine(), new Date().toISOString(), readLessonFiles(lesson));
  const note = holdsNote(holds);
  if (note !== null) record?.note(note);
  let written = false;
  return {
    record,
    ended(session) {
      if (written || session.ended === null) return [];
      written = true;
      const said: string[] = [];
      if (record !== undefined && path !== undefined) {
        const bytes = recordingBytes(path, record.finish(session.ended.reason));
        writeOutputFile("--record", path, bytes);
        said.push(`recorded the run to ${path} (${record.size} lines, ${formatSize(bytes.length)})`);
      }
      return said;
    },
  };
}
