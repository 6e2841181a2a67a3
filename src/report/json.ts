// --json: NDJSON, one object a line, each with a "type". The schema is in
// docs/architecture.md; facts carry their measured values at the top level.
import type { Fact } from "../facts/types.ts";
import { narrationEntries } from "../session/narration.ts";
import type { BeatView, SessionState } from "../session/session.ts";
import type { NextSteps } from "../session/next-step.ts";

/** What a replay's --json says it is (the `lesson` line's `replay`): null in a live run. */
export interface JsonReplay {
  readonly file: string;
  readonly recordedAt: string;
  readonly machine: { readonly platform: string; readonly kernel: string; readonly python: string | null };
  /** What was done to the recorded run (holds, paused output). */
  readonly notes: readonly string[];
  /** The label the other views show. */
  readonly label: string;
}

export class JsonReporter {
  private printedBeats = 0;
  private started = false;

  constructor(private readonly write: (line: string) => void, private readonly replay: JsonReplay | null = null) {}

  private out(obj: Record<string, unknown>): void {
    this.write(JSON.stringify(obj));
  }

  fact(fact: Fact): void {
    this.out({
      type: "fact",
      fact: fact.fact,
      ...fact.values,
      t: round(fact.t),
      evidence: fact.evidence.map((e) => ({ ...e, t: round(e.t) })),
    });
  }

  private readonly held = new Map<string, number>();

  /** A program held by the lesson, and its release: socket-lessons' doing, reported as such. */
  private holds(state: SessionState): void {
    for (const lane of state.lanes) {
      const since = this.held.get(lane.name);
      if (lane.held && since !== lane.held.since) {
        this.held.set(lane.name, lane.held.since);
        const { call, when, line } = lane.held;
        this.out({ type: "hold", program: lane.name, call, when, line, t: round(lane.held.since) });
      } else if (!lane.held && since !== undefined) {
        this.held.delete(lane.name);
        this.out({ type: "release", program: lane.name, t: round(state.now) });
      }
    }
  }

  update(state: SessionState): void {
    if (!this.started && state.port !== null) {
      this.started = true;
      this.out({
        type: "lesson",
        id: state.lesson.id,
        title: state.lesson.title,
        port: state.port,
        host: "127.0.0.1",
        programs: state.lesson.programs.map((p) => p.name),
        // The knobs set (name: value), only when there are some: the lesson's knobs and defaults are in its file.
        ...(Object.keys(state.lesson.settings).length > 0 ? { settings: state.lesson.settings } : {}),
        probe: state.probe,
        replay: this.replay,
      });
    }
    while (this.printedBeats < state.beats.length) this.beat(state.beats[this.printedBeats++]!);
    this.holds(state);
  }

  private beat(beat: BeatView, late = false): void {
    this.out({
      type: "beat",
      index: beat.index,
      title: beat.title,
      fact: beat.fact,
      program: beat.program,
      text: beat.text,
      t: round(beat.t),
      unobservable: beat.unobservable,
      ...(beat.question ? { question: beat.question } : {}),
      ...(late ? { late: true } : {}),
    });
  }

  problem(message: string): void {
    this.out({ type: "problem", message });
  }

  finish(state: SessionState, next?: NextSteps): void {
    this.update(state);
    const unobserved = [];
    for (const entry of narrationEntries(state).slice(this.printedBeats)) {
      if (entry.kind === "beat") this.beat(entry.beat, entry.late);
      else {unobserved.push({
          index: entry.beat.index,
          on: entry.beat.on,
          program: entry.beat.program,
          why: entry.beat.why,
        });}
    }
    this.printedBeats = state.lesson.beats.length;
    this.out({
      type: "end",
      reason: state.ended?.reason ?? "stopped",
      t: round(state.ended?.t ?? state.now),
      unobserved,
      recap: state.recap.filter((line) => line !== null),
      replay: this.replay !== null,
      ...(next ? { next } : {}),
    });
  }
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
