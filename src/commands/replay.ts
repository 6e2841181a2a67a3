// socket-lessons replay FILE: a recorded run (--record) played in the player,
// --plain or --json, through the same fact engine as a live run
// (src/engine/replay.ts), and labelled as a replay everywhere it is shown.
import type { CliValues } from "../cli.ts";
import { checkRecordingFits, type ReplayPace, startReplay } from "../engine/replay.ts";
import type { Lesson } from "../lessons/schema.ts";
import { readRecordingFile } from "../recording/file.ts";
import { type Recording, RecordingError } from "../recording/format.ts";
import { replayLabel } from "../recording/label.ts";
import { lessonFromRecording } from "../recording/lesson-files.ts";
import { JsonReporter } from "../report/json.ts";
import { PlainReporter } from "../report/plain.ts";
import { UserError } from "../runner/errors.ts";
import { safeJson, safeText } from "../text/sanitize.ts";
import type { OutputMode } from "./run.ts";

export interface LoadedReplay {
  readonly file: string;
  readonly recording: Recording;
  /** The lesson as the recording holds it. */
  readonly lesson: Lesson;
}

/** The recording and its lesson, or the user's error (one sentence, exit 2). */
export function loadReplay(file: string): LoadedReplay {
  const recording = readRecordingFile(file);
  try {
    const lesson = lessonFromRecording(recording, file);
    checkRecordingFits(recording, lesson, file);
    return { file, recording, lesson };
  } catch (error) {
    if (error instanceof RecordingError) {
      throw new UserError(
        `${error.message.replace(/\.?$/, ".")}`,
        "Replay a file made with: socket-lessons run <id> --record FILE",
      );
    }
    throw error;
  }
}

function writeLine(line: string): void {
  process.stdout.write(`${line}\n`);
}

export async function replayCommand(file: string, values: CliValues, mode: OutputMode): Promise<number> {
  const replay = loadReplay(file);
  const { recording, lesson } = replay;
  const label = replayLabel(recording.header);
  const pace: ReplayPace = values.instant ? "instant" : "real-time";
  if (mode === "json") {
    const reporter = new JsonReporter((line) => writeLine(safeJson(line)), {
      file,
      recordedAt: recording.header.recordedAt,
      machine: {
        platform: recording.header.machine.platform,
        kernel: recording.header.machine.kernel,
        python: recording.header.machine.python,
      },
      notes: recording.header.notes,
      label: label.long,
    });
    const { session } = await startReplay(recording, lesson, {
      update: (s) => reporter.update(s),
      fact: (f) => reporter.fact(f),
      problem: (m) => reporter.problem(m),
    }, pace).done;
    reporter.finish(session);
    return 0;
  }
  const reporter = new PlainReporter((line) => writeLine(safeText(line)), {
    label: label.long,
    notes: recording.header.notes,
  });
  const problems: string[] = [];
  const { session } = await startReplay(recording, lesson, {
    update: (s) => reporter.update(s),
    problem: (m) => problems.push(m),
  }, pace).done;
  reporter.finish(session, problems);
  return 0;
}
