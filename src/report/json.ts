// --json: NDJSON, one object a line, each with a "type". The schema is in
// the README; facts carry their measured values at the top level.
import type { Fact } from "../facts/types.ts";
import type { SessionState } from "../session/session.ts";

export class JsonReporter {
  private printedBeats = 0;
  private started = false;

  constructor(private readonly write: (line: string) => void) {}

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
        probe: state.probe,
      });
    }
    while (this.printedBeats < state.beats.length) {
      const beat = state.beats[this.printedBeats++]!;
      this.out({
        type: "beat",
        index: beat.index,
        title: beat.title,
        fact: beat.fact,
        text: beat.text,
        t: round(beat.t),
        unobservable: beat.unobservable,
      });
    }
  }

  problem(message: string): void {
    this.out({ type: "problem", message });
  }

  finish(state: SessionState): void {
    this.update(state);
    const unobserved = state.lesson.beats.flatMap((beat, index) =>
      index >= state.beats.length && !state.early[index] ? [{ index, on: beat.on }] : []
    );
    for (let i = this.printedBeats; i < state.lesson.beats.length; i++) {
      const late = state.early[i];
      if (late) {
        this.out({
          type: "beat",
          index: late.index,
          title: late.title,
          fact: late.fact,
          text: late.text,
          t: round(late.t),
          unobservable: late.unobservable,
        });
      }
    }
    this.out({
      type: "end",
      reason: state.ended?.reason ?? "stopped",
      t: round(state.ended?.t ?? state.now),
      unobserved,
    });
  }
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
