// Collects a run as it happens into a Recording (format.ts). Pure: the
// caller says what machine this is and writes the result where it wants.
import type { Fact } from "../facts/types.ts";
import type { Observation } from "../observations.ts";
import { type Recording, RECORDING_VERSION, type RecordingHeader, type RecordingLine } from "./format.ts";

export class Recorder {
  private readonly lines: RecordingLine[] = [];
  private python: string | null = null;

  constructor(
    private readonly lesson: string,
    private readonly machine: Omit<RecordingHeader["machine"], "python">,
    private readonly recordedAt: string,
  ) {}

  observation(obs: Observation): void {
    if (obs.kind === "trace" && obs.event.ev === "hello") this.python ??= obs.event.python;
    this.lines.push({ type: "observation", obs });
  }

  fact(fact: Fact): void {
    this.lines.push({ type: "fact", fact });
  }

  finish(endReason: string | null, notes: readonly string[] = []): Recording {
    const header: RecordingHeader = {
      type: "recording",
      version: RECORDING_VERSION,
      lesson: this.lesson,
      recordedAt: this.recordedAt,
      machine: { ...this.machine, python: this.python },
      endReason,
      notes,
    };
    return { header, lines: [...this.lines] };
  }
}
