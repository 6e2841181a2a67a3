// --plain: the narration as text lines, for pipes, logs and screen readers.
// Prints each beat once, in lesson order, as soon as the session shows it.
// On a terminal, a beat's question is asked before the beat is told (the
// programs run on meanwhile; what they do is told after the answer).
import { factHeading } from "../facts/describe.ts";
import { narrationEntries } from "../session/narration.ts";
import { type AnswerVerdict, answerVerdict } from "../session/answer.ts";
import type { QuestionView } from "../session/beats.ts";
import type { NextSteps } from "../session/next-step.ts";
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

/** Asks a beat's question (a terminal): the answer (a choice's number, or the number guessed), or null: skipped. */
export interface Asker {
  ask(question: QuestionView, write: (line: string) => void): Promise<number | null>;
  /** The answer, judged against the run: to keep in the progress file. */
  answered?(beat: BeatView, question: QuestionView, answer: number, verdict: AnswerVerdict): void;
}

export class PlainReporter {
  private printedBeats = 0;
  private printedExits = new Set<string>();
  private headerDone = false;
  /** A question waiting for its answer: what would be printed meanwhile waits with it. */
  private asking: Promise<void> | null = null;
  private held: string[] = [];
  private latest: SessionState | null = null;

  constructor(
    private readonly print: (line: string) => void,
    private readonly replay: PlainReplay | null = null,
    private readonly asker?: Asker,
  ) {}

  private write(line: string): void {
    if (this.asking) this.held.push(line);
    else this.print(line);
  }

  update(state: SessionState): void {
    this.latest = state;
    if (this.asking) return; // told once the question is answered
    if (!this.headerDone && state.port !== null) this.header(state);
    while (this.printedBeats < state.beats.length) {
      const beat = state.beats[this.printedBeats++]!;
      if (beat.question && this.asker) {
        this.askBefore(beat, beat.question, this.asker);
        return;
      }
      this.beat(beat);
    }
    for (const lane of state.lanes) this.unexpectedExit(state, lane.name);
  }

  /** Predict, then observe: the question first, then the beat and the measured answer beside the learner's. */
  private askBefore(beat: BeatView, question: QuestionView, asker: Asker): void {
    this.asking = (async () => {
      const answer = await asker.ask(question, this.print);
      this.asking = null;
      this.beat(beat, false);
      if (answer !== null) {
        const verdict = answerVerdict(question, answer, beat.fact);
        this.write(`    ${verdict.line}`);
        asker.answered?.(beat, question, answer, verdict);
      }
      this.write("");
      for (const line of this.held.splice(0)) this.print(line);
      if (this.latest) this.update(this.latest);
    })();
  }

  async finish(state: SessionState, problems: readonly string[], next?: NextSteps): Promise<void> {
    while (this.asking) await this.asking;
    this.update(state);
    while (this.asking) await this.asking;
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
    if (next) this.next(next);
    const ended = state.ended;
    const over = `after ${formatMs(ended?.t ?? state.now)}: ${ended?.reason ?? "stopped"}`;
    if (this.replay === null) this.write(`Lesson over ${over}.`);
    else if (ended !== null) this.write(`Replay over: the recorded run ended ${over}.`);
    else this.write(`Replay over: the recording stops at ${formatMs(state.now)}, before the run's end (cut short).`);
  }

  /** The next step: the exercises that go with the lesson, or the next lesson. */
  private next(next: NextSteps): void {
    if (next.exercises.length === 0 && next.lesson === null) return;
    this.write("Next");
    this.write("----");
    for (const e of next.exercises) {
      this.write(`- Exercise: socket-lessons exercise ${e.id}   (${e.title})`);
    }
    if (next.lesson) {
      const or = next.exercises.length > 0 ? "Or the next lesson" : "The next lesson";
      this.write(`- ${or}: socket-lessons run ${next.lesson.id} --plain   (${next.lesson.title})`);
    }
    this.write("");
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

  private beat(beat: BeatView, blankAfter = true): void {
    const title = beat.title ?? (beat.fact === null ? "" : factHeading(beat.fact, beat.program ?? undefined));
    this.write(`[${beat.index + 1}] ${title}  (at ${formatMs(beat.t)})`);
    if (beat.unobservable && !beat.text.startsWith("Not observable")) {
      this.write(`    (What the kernel did here cannot be seen on this machine; from the trace:)`);
    }
    for (const line of beat.text.trimEnd().split("\n")) this.write(line ? `    ${line}` : "");
    if (blankAfter) this.write("");
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
