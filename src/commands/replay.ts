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
import { type JsonReplay, JsonReporter } from "../report/json.ts";
import { PlainReporter } from "../report/plain.ts";
import { UserError } from "../runner/errors.ts";
import { safeJson, safeText } from "../text/sanitize.ts";
import type { SessionState } from "../session/session.ts";
import type { OutputMode } from "./run.ts";
import { checkHandoutWritable, markdownPath, writeHandout } from "./run-outputs.ts";

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

/** A terminal on both ends, and not CI: the player. */
function interactive(): boolean {
  return process.stdout.isTTY === true && process.stdin.isTTY === true && process.env.CI !== "true";
}

function writeLine(line: string): void {
  process.stdout.write(`${line}\n`);
}

export async function replayCommand(file: string, values: CliValues, mode: OutputMode): Promise<number> {
  const replay = loadReplay(file);
  const handout = markdownPath(values, replay.lesson.id);
  if (handout !== null) checkHandoutWritable(handout);
  const pace: ReplayPace = values.instant ? "instant" : "real-time";
  let session: SessionState;
  if (mode === "json") session = await replayAsJson(replay, writeLine, pace);
  else if (mode === "plain") session = await replayAsPlain(replay, writeLine, pace);
  else if (handout !== null) {
    // Only the handout was asked for: nothing to watch, so the recording is played at once.
    session = (await startReplay(replay.recording, replay.lesson, { update: () => {} }, "instant").done).session;
  } else if (interactive()) {
    const { startTui } = await import("../ui/start.tsx");
    return startTui(null, values, replay);
  } else {
    // No terminal to play it in: as text.
    session = await replayAsPlain(replay, writeLine, pace);
  }
  if (handout !== null) {
    const said = writeHandout(session, replay.recording.header, handout, file);
    process.stderr.write(`socket-lessons: ${safeText(said)}\n`);
  }
  return 0;
}

/** What a replay's --json says it is: the `lesson` line's `replay`. */
export function jsonReplayInfo({ file, recording }: LoadedReplay): JsonReplay {
  const { recordedAt, machine, notes } = recording.header;
  return {
    file,
    recordedAt,
    machine: { platform: machine.platform, kernel: machine.kernel, python: machine.python },
    notes,
    label: replayLabel(recording.header).long,
  };
}

/** The replay as --json prints it: the same lines as the live run's, its `lesson` line saying it is a replay. */
export async function replayAsJson(replay: LoadedReplay, write: (line: string) => void, pace: ReplayPace) {
  const reporter = new JsonReporter((line) => write(safeJson(line)), jsonReplayInfo(replay));
  const { session } = await startReplay(replay.recording, replay.lesson, {
    update: (s) => reporter.update(s),
    fact: (f) => reporter.fact(f),
    problem: (m) => reporter.problem(m),
  }, pace).done;
  reporter.finish(session);
  return session;
}

/** The replay as --plain prints it, opening with what it is (a replay of a run recorded on ... at ...). */
export async function replayAsPlain(replay: LoadedReplay, write: (line: string) => void, pace: ReplayPace) {
  const { recording } = replay;
  const reporter = new PlainReporter((line) => write(safeText(line)), {
    label: replayLabel(recording.header).long,
    notes: recording.header.notes,
  });
  const problems: string[] = [];
  const { session } = await startReplay(recording, replay.lesson, {
    update: (s) => reporter.update(s),
    problem: (m) => problems.push(m),
  }, pace).done;
  await reporter.finish(session, problems);
  return session;
}
