// Collects a run as it happens into a Recording (format.ts): every
// observation, fact and problem in the order the runner reported them. Pure:
// the caller says what machine this is, hands over the lesson's files, and
// writes the result where it wants (src/recording/file.ts).
import type { Fact } from "../facts/types.ts";
import type { Observation } from "../observations.ts";
import {
  type RecordedFiles,
  type Recording,
  RECORDING_VERSION,
  type RecordingHeader,
  type RecordingLine,
} from "./format.ts";

/** What a run tells whoever records it (src/engine/start.ts feeds it). */
export interface RunSink {
  observation(obs: Observation): void;
  fact(fact: Fact): void;
  problem(message: string): void;
}

export class Recorder implements RunSink {
  private readonly lines: RecordingLine[] = [];
  private readonly notes: string[] = [];
  private python: string | null = null;

  constructor(
    private readonly lesson: string,
    private readonly machine: Omit<RecordingHeader["machine"], "python">,
    private readonly recordedAt: string,
    private readonly files: RecordedFiles,
    /** The lesson's knobs as set for this run (lessons/knobs.ts); {}: none. */
    private readonly settings: Readonly<Record<string, number>> = {},
  ) {}

  observation(obs: Observation): void {
    if (obs.kind === "trace" && obs.event.ev === "hello") this.python ??= obs.event.python;
    this.lines.push({ type: "observation", obs });
  }

  fact(fact: Fact): void {
    this.lines.push({ type: "fact", fact });
  }

  problem(message: string): void {
    this.lines.push({ type: "problem", message });
  }

  /** Something done to the run that its observations do not say (the learner paused output at 1.2 s). */
  note(text: string): void {
    this.notes.push(text);
  }

  /** How many lines so far. */
  get size(): number {
    return this.lines.length;
  }

  finish(endReason: string | null, notes: readonly string[] = []): Recording {
    const header: RecordingHeader = {
      type: "recording",
      version: RECORDING_VERSION,
      lesson: this.lesson,
      recordedAt: this.recordedAt,
      machine: { ...this.machine, python: this.python },
      endReason,
      notes: [...this.notes, ...notes],
      files: this.files,
      ...(Object.keys(this.settings).length > 0 ? { settings: this.settings } : {}),
    };
    return { header, lines: [...this.lines] };
  }
}
