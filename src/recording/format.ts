// One recording format for a run: a header, then every observation and every
// fact in the order the runner saw them. Tests replay recordings of real runs
// through the pure core; the same format is what a `--record FILE` writes.
// Pure: text in, text out.
import type { Fact } from "../facts/types.ts";
import type { Observation } from "../observations.ts";

export const RECORDING_VERSION = 1;

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
  /** Anything done to the run that a replay should know (the learner paused output at a fact...). */
  readonly notes: readonly string[];
}

export type RecordingLine =
  | { readonly type: "observation"; readonly obs: Observation }
  | { readonly type: "fact"; readonly fact: Fact };

export interface Recording {
  readonly header: RecordingHeader;
  readonly lines: readonly RecordingLine[];
}

export class RecordingError extends Error {}

export function formatRecording(recording: Recording): string {
  return [recording.header, ...recording.lines].map((line) => JSON.stringify(line)).join("\n") + "\n";
}

export function parseRecording(text: string, source = "recording"): Recording {
  const rows = text.split("\n").filter((row) => row.trim() !== "");
  const parsed = rows.map((row, i) => {
    try {
      return JSON.parse(row) as { type?: unknown };
    } catch {
      throw new RecordingError(`${source}:${i + 1}: not JSON`);
    }
  });
  const [header, ...lines] = parsed;
  if (!header || header.type !== "recording") throw new RecordingError(`${source}:1: not a socket-lessons recording`);
  const version = (header as RecordingHeader).version;
  if (version !== RECORDING_VERSION) {
    throw new RecordingError(
      `${source}:1: recording version ${version}; this socket-lessons reads ${RECORDING_VERSION}`,
    );
  }
  lines.forEach((line, i) => {
    if (line.type !== "observation" && line.type !== "fact") {
      throw new RecordingError(`${source}:${i + 2}: unknown line type ${JSON.stringify(line.type)}`);
    }
  });
  return { header: header as RecordingHeader, lines: lines as RecordingLine[] };
}

export function observationsOf(recording: Recording): Observation[] {
  return recording.lines.flatMap((line) => (line.type === "observation" ? [line.obs] : []));
}
