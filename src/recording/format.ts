// One recording format for a run: a header, then every observation, fact and
// problem in the order the runner saw them. `--record FILE` writes it,
// `socket-lessons replay FILE` plays it through the fact engine again, and
// tests replay recordings of real runs through the pure core.
// Pure: text in, text out (gzip and files are src/recording/file.ts).
//
// Format 2 (written now) carries the lesson as it ran: its lesson file and
// its programs' source, so a replay tells that lesson and shows that code,
// even where the lesson has since changed or was never installed. Format 1
// (the test fixtures of the pure core) has no copy of its lesson; it can be
// read, but not replayed by the app.
import type { Fact } from "../facts/types.ts";
import type { Observation } from "../observations.ts";
import { observationProblem } from "./check.ts";

export const RECORDING_VERSION = 2;
/** The oldest format this version reads (for the pure core's fixtures). */
export const OLDEST_RECORDING_VERSION = 1;

/** The lesson as it ran: what a replay tells and shows. */
export interface RecordedFiles {
  /** The lesson file's name (lesson.yaml) and its text. */
  readonly lessonFile: string;
  readonly lessonText: string;
  /** Each program's source (and every other file the lesson names: its exercises'), by its file name in the lesson folder. */
  readonly programs: Readonly<Record<string, string>>;
}

export interface RecordingHeader {
  readonly type: "recording";
  readonly version: number;
  readonly lesson: string;
  /** ISO date of the run. */
  readonly recordedAt: string;
  /** What the run was made on: the kernel, the Python, the runtime of the app. */
  readonly machine: {
    readonly platform: string;
    readonly kernel: string;
    readonly python: string | null;
    readonly runtime: string;
  };
  readonly endReason: string | null;
  /** Anything done to the run that a replay should know (holds, the learner paused output...). */
  readonly notes: readonly string[];
  /** Format 2 on: the lesson as it ran. */
  readonly files?: RecordedFiles;
  /**
   * The lesson's knobs as the run had them (--set, the player's k): name ->
   * value, only those set. Absent: none (and in recordings made before knobs).
   */
  readonly settings?: Readonly<Record<string, number>>;
}

export type RecordingLine =
  | { readonly type: "observation"; readonly obs: Observation }
  | { readonly type: "fact"; readonly fact: Fact }
  /** Something the runner reported that is not an observation (a program ignored SIGTERM...). */
  | { readonly type: "problem"; readonly message: string };

export interface Recording {
  readonly header: RecordingHeader;
  readonly lines: readonly RecordingLine[];
}

export class RecordingError extends Error {}

export function formatRecording(recording: Recording): string {
  return [recording.header, ...recording.lines].map((line) => JSON.stringify(line)).join("\n") + "\n";
}

/** The text of a recording whose lines were kept as JSON text while the run went on (recorder.ts). */
export function formatRecordingLines(header: RecordingHeader, lines: readonly string[]): string {
  return [JSON.stringify(header), ...lines].join("\n") + "\n";
}

export function parseRecording(text: string, source = "recording"): Recording {
  const rows = text.split("\n");
  const parsed: { row: number; value: { type?: unknown } & Record<string, unknown> }[] = [];
  rows.forEach((row, i) => {
    if (row.trim() === "") return;
    let value: unknown;
    try {
      value = JSON.parse(row);
    } catch {
      throw new RecordingError(
        i === 0 ? `${source} is not a socket-lessons recording (not JSON lines)` : `${source}:${i + 1}: not JSON`,
      );
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      throw new RecordingError(`${source}:${i + 1}: not a JSON object`);
    }
    parsed.push({ row: i + 1, value: value as Record<string, unknown> });
  });
  const [first, ...rest] = parsed;
  if (!first || first.value.type !== "recording") {
    throw new RecordingError(`${source} is not a socket-lessons recording (its first line is not a recording header)`);
  }
  const header = readHeader(first.value, source);
  // Format 1 predates fields the runner now sends (the exit event's `left`): its observations are the
  // pure core's fixtures, read as they are; the app replays only format 2, checked line by line.
  const strict = header.version >= 2;
  const lines = rest.map(({ row, value }) => readLine(value, `${source}:${row}`, strict));
  return { header, lines };
}

function readHeader(h: Record<string, unknown>, source: string): RecordingHeader {
  const version = h.version;
  if (typeof version !== "number" || !Number.isInteger(version) || version < OLDEST_RECORDING_VERSION) {
    throw new RecordingError(
      `${source}:1: recording format ${JSON.stringify(version)} is not one socket-lessons wrote`,
    );
  }
  if (version > RECORDING_VERSION) {
    throw new RecordingError(
      `${source} was made by a newer socket-lessons (recording format ${version}; this one reads up to ${RECORDING_VERSION})`,
    );
  }
  const machine = h.machine as Record<string, unknown> | null;
  const bad = (what: string) => new RecordingError(`${source}:1: the header's ${what}`);
  if (typeof h.lesson !== "string" || h.lesson === "") throw bad("lesson is not a lesson id");
  if (typeof h.recordedAt !== "string" || Number.isNaN(Date.parse(h.recordedAt))) throw bad("recordedAt is not a date");
  if (typeof machine !== "object" || machine === null) throw bad("machine is missing");
  for (const key of ["platform", "kernel", "runtime"]) {
    if (typeof machine[key] !== "string") throw bad(`machine.${key} is not text`);
  }
  if (machine.python !== null && typeof machine.python !== "string") throw bad("machine.python is not text");
  if (h.endReason !== null && typeof h.endReason !== "string") throw bad("endReason is not text");
  if (!Array.isArray(h.notes) || !h.notes.every((n) => typeof n === "string")) throw bad("notes are not text");
  if (version >= 2) readFiles(h.files, bad);
  if (h.settings !== undefined) readSettings(h.settings, bad);
  return h as unknown as RecordingHeader;
}

function readFiles(files: unknown, bad: (what: string) => RecordingError): void {
  const f = files as Record<string, unknown> | null;
  if (typeof f !== "object" || f === null) throw bad("files (the lesson as it ran) are missing");
  if (typeof f.lessonFile !== "string" || typeof f.lessonText !== "string") throw bad("lesson file is missing");
  const programs = f.programs as Record<string, unknown> | null;
  if (
    typeof programs !== "object" || programs === null || !Object.values(programs).every((t) => typeof t === "string")
  ) {
    throw bad("programs' source is missing");
  }
}

function readSettings(settings: unknown, bad: (what: string) => RecordingError): void {
  const s = settings as Record<string, unknown> | null;
  if (typeof s !== "object" || s === null || Array.isArray(s)) throw bad("settings are not name: value");
  if (!Object.values(s).every((v) => typeof v === "number" && Number.isInteger(v))) {
    throw bad("settings are not whole numbers");
  }
}

function readLine(value: Record<string, unknown>, where: string, strict: boolean): RecordingLine {
  switch (value.type) {
    case "observation": {
      const problem = strict ? observationProblem(value.obs) : null;
      if (problem !== null) throw new RecordingError(`${where}: ${problem}`);
      return value as unknown as RecordingLine;
    }
    case "fact": {
      const fact = value.fact as Record<string, unknown> | null;
      if (typeof fact !== "object" || fact === null || typeof fact.fact !== "string" || typeof fact.t !== "number") {
        throw new RecordingError(`${where}: not a fact`);
      }
      return value as unknown as RecordingLine;
    }
    case "problem":
      if (typeof value.message !== "string") throw new RecordingError(`${where}: a problem without its message`);
      return value as unknown as RecordingLine;
    default:
      throw new RecordingError(`${where}: unknown line type ${JSON.stringify(value.type)}`);
  }
}

export function observationsOf(recording: Recording): Observation[] {
  return recording.lines.flatMap((line) => (line.type === "observation" ? [line.obs] : []));
}
