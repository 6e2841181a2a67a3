// --plain: the narration as text lines, for pipes, logs and screen readers.
// Prints each beat once, in lesson order, as soon as the session shows it.
import { factHeading } from "../facts/describe.ts";
import { narrationEntries } from "../session/narration.ts";
import { buildTimeline, timelineText } from "../session/timeline.ts";
import type { BeatView, SessionState } from "../session/session.ts";
import { formatMs } from "./format.ts";
import { settingsSentence } from "../lessons/knobs.ts";

/** What a replay's --plain says first and last: a recording, never a live run. */
export interface PlainReplay {
  /** The sentence that opens the output (src/recording/label.ts). */
  readonly label: string;
  /** What was done to the recorded run (holds, paused output). */
  readonly notes: readonly string[];
}

/** Columns of the --plain timeline: 72 plus its labels fits an 100-column terminal. */
const TIMELINE_COLUMNS = 72;

function narrationBeats(state: SessionState): BeatView[] {
  return narrationEntries(state).flatMap((e) => (e.kind === "beat" ? [e.beat] : []));
}

export class PlainReporter {
  private printedBeats = 0;
  private printedExits = new Set<string>();
  private headerDone = false;

  constructor(private readonly write: (line: string) => void, private readonly replay: PlainReplay | null = null) {}

  update(state: SessionState): void {
    if (!this.headerDone && state.port !== null) this.header(state);
    while (this.printedBeats < state.beats.length) this.beat(state.beats[this.printedBeats++]!);
    for (const lane of state.lanes) this.unexpectedExit(state, lane.name);
  }

  finish(state: SessionState, problems: readonly string[]): void {
    this.update(state);
    for (const entry of narrationEntries(state).slice(this.printedBeats)) {
      if (entry.kind === "beat") this.beat(entry.beat);
      else {
        const beat = entry.beat;
        const title = beat.title ?? factHeading(beat.on, beat.program ?? undefined);
        this.write(`[${beat.index + 1}] ${title}: not observed in this run (${beat.why}).`);
        for (const note of state.probe?.notes ?? []) this.write(`    ${note}`);
        this.write("");
      }
    }
    this.printedBeats = state.lesson.beats.length;
    const recap = state.recap.filter((line) => line !== null);
    if (recap.length > 0) {
      this.write("What this run measured");
      this.write("----------------------");
      for (const line of recap) this.write(`- ${line}`);
      this.write("");
    }
    this.timeline(state);
    for (const problem of problems) this.write(`! ${problem}`);
    const ended = state.ended;
    const over = `after ${formatMs(ended?.t ?? state.now)}: ${ended?.reason ?? "stopped"}`;
    if (this.replay === null) this.write(`Lesson over ${over}.`);
    else if (ended !== null) this.write(`Replay over: the recorded run ended ${over}.`);
    else this.write(`Replay over: the recording stops at ${formatMs(state.now)}, before the run's end (cut short).`);
  }

  /** The run over time, as text: what each program was doing, the queues, where each beat's fact came. */
  private timeline(state: SessionState): void {
    const end = state.ended?.t ?? state.now;
    if (!Object.values(state.history.programs).some((p) => p.spawned)) return;
    this.write(this.replay ? "Timeline (recorded)" : "Timeline");
    this.write(this.replay ? "--------------------" : "--------");
    const timeline = buildTimeline(
      state.history,
      state.lesson,
      narrationBeats(state),
      end,
      TIMELINE_COLUMNS,
      state.sampleMs,
    );
    for (const line of timelineText(timeline)) this.write(line);
    this.write("");
  }

  private header(state: SessionState): void {
    this.headerDone = true;
    const lesson = state.lesson;
    if (this.replay) {
      this.write(`REPLAY. ${this.replay.label}`);
      for (const note of this.replay.notes) this.write(`Recorded with: ${note}`);
      this.write("");
    }
    this.write(`${lesson.title}`);
    this.write(`${"=".repeat(Math.min(lesson.title.length, 72))}`);
    this.write(lesson.summary);
    this.write(
      `Programs: ${
        lesson.programs.map((p) => `${p.name} (${basename(p.file)})`).join(", ")
      }; port ${state.port} on 127.0.0.1.`,
    );
    const knobs = settingsSentence(lesson);
    if (knobs !== "") this.write(`Knobs set: ${knobs}.`);
    if (lesson.portNote) this.write(lesson.portNote.trimEnd());
    for (const note of state.probe?.notes ?? []) this.write(`Note: ${note}`);
    this.write("");
  }

  private beat(beat: BeatView): void {
    const title = beat.title ?? (beat.fact === null ? "" : factHeading(beat.fact, beat.program ?? undefined));
    this.write(`[${beat.index + 1}] ${title}  (at ${formatMs(beat.t)})`);
    if (beat.unobservable && !beat.text.startsWith("Not observable")) {
      this.write(`    (What the kernel did here cannot be seen on this machine; from the trace:)`);
    }
    for (const line of beat.text.trimEnd().split("\n")) this.write(line ? `    ${line}` : "");
    this.write("");
  }

  private unexpectedExit(state: SessionState, name: string): void {
    const lane = state.lanes.find((l) => l.name === name);
    if (!lane?.exit || this.printedExits.has(name)) return;
    this.printedExits.add(name);
    if (lane.exit.code === 0 || lane.exit.stoppedBy !== null) return;
    this.write(`! ${name} exited with ${lane.exit.signal ?? `code ${lane.exit.code}`}. Its last lines of stderr:`);
    for (const line of lane.stderr.tail) this.write(`!   ${line}`);
    this.write("");
  }
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}
