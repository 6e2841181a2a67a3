// Holds: a lesson's programs wait at the points its beats name while the
// learner reads, so the screen shows the moment live (a full queue stays
// full, a sender stays asleep). This decides when each hold is armed and
// released; the tracer does the waiting (src/runner/tracer/tracer.py).
//
// - off: no hold is armed (--auto, --plain and --json without --hold).
// - step: a hold lasts until the learner moves past its beat (the TUI).
// - timed: each hold lasts `ms` once the program reaches it (--hold SECONDS).
// A hold without nth is armed when its beat's fact comes (or the fact its
// from: names) and takes the program's next such call; with nth it is armed
// before the program starts. Each is released when the learner passes its beat.
// No hold outlives HOLD_MAX_MS or the run.
import { selects } from "../facts/select.ts";
import type { Fact } from "../facts/types.ts";
import type { HoldSpec, Lesson } from "../lessons/schema.ts";
import type { HoldRequest } from "../trace/events.ts";

/** One id per hold of the lesson: beat 5's second hold is 601 (beats count from 0). */
function holdId(beat: number, i: number): number {
  return (beat + 1) * 100 + i;
}

export type HoldMode = { readonly kind: "off" } | { readonly kind: "step" } | {
  readonly kind: "timed";
  readonly ms: number;
};

/** How long a hold lasts with --hold and no number, where nobody presses Enter. */
export const DEFAULT_HOLD_S = 5;

/**
 * The holds of a run: in the player's step mode the learner releases them
 * (Enter); with --auto, --plain and --json only when --hold asks, for its
 * seconds each.
 */
export function holdModeFor(hold: boolean | number | undefined, learnerSteps: boolean): HoldMode {
  if (learnerSteps) return { kind: "step" };
  if (hold === undefined || hold === false) return { kind: "off" };
  return { kind: "timed", ms: (hold === true ? DEFAULT_HOLD_S : hold) * 1000 };
}

/** A learner who walks away does not keep programs waiting for ever. */
export const HOLD_MAX_MS = 10 * 60_000;

export interface HoldTarget {
  hold(program: string, request: HoldRequest): void;
  release(program: string, id: number): void;
}

interface Armed {
  readonly id: number;
  readonly beat: number;
  readonly program: string;
  readonly request: HoldRequest;
  engaged: boolean;
  timer: ReturnType<typeof setTimeout> | null;
}

export class HoldController {
  private readonly armed = new Map<number, Armed>();
  private readonly armedBeats = new Set<number>();
  private readonly fromArmed = new Set<number>();
  private target: HoldTarget | null = null;
  /** Beats the learner has moved past (step mode): their holds are released at once. */
  private passedThrough = -1;

  constructor(private readonly lesson: Lesson, private mode: HoldMode) {}

  get kind(): HoldMode["kind"] {
    return this.mode.kind;
  }

  /** Holds at a given call, for the runner to hand each program before it starts. */
  atStart(): Map<string, HoldRequest[]> {
    const byProgram = new Map<string, HoldRequest[]>();
    if (this.mode.kind === "off") return byProgram;
    for (const beat of this.lesson.beats) {
      beat.holds?.forEach((spec, i) => {
        if (spec.nth === undefined) return;
        const request = this.remember(beat.index, i, spec.program, spec);
        byProgram.set(spec.program, [...(byProgram.get(spec.program) ?? []), request]);
      });
    }
    return byProgram;
  }

  attach(target: HoldTarget): void {
    this.target = target;
  }

  /** A beat's fact has come: its holds without nth or from are armed for the program's next such call. */
  beatReached(index: number): void {
    if (this.mode.kind === "off" || this.armedBeats.has(index) || index <= this.passedThrough) return;
    this.armedBeats.add(index);
    this.lesson.beats[index]?.holds?.forEach((spec, i) => {
      if (spec.nth === undefined && spec.from === undefined) this.arm(index, i, spec);
    });
  }

  /** Any fact: holds with `from:` are armed when theirs comes (once). */
  factCame(fact: Fact): void {
    if (this.mode.kind === "off") return;
    for (const beat of this.lesson.beats) {
      if (beat.index <= this.passedThrough) continue;
      beat.holds?.forEach((spec, i) => {
        const id = holdId(beat.index, i);
        if (spec.from !== undefined && !this.fromArmed.has(id) && selects(spec.from, fact)) {
          this.fromArmed.add(id);
          this.arm(beat.index, i, spec);
        }
      });
    }
  }

  private arm(beat: number, i: number, spec: HoldSpec): void {
    this.target?.hold(spec.program, this.remember(beat, i, spec.program, spec));
  }

  /** The tracer says a program waits at hold `id`. */
  engaged(id: number): void {
    const armed = this.armed.get(id);
    if (!armed) return;
    armed.engaged = true;
    const ms = this.mode.kind === "timed" ? this.mode.ms : HOLD_MAX_MS;
    if (this.mode.kind === "off" || armed.beat <= this.passedThrough) this.release(armed);
    else armed.timer = setTimeout(() => this.release(armed), ms);
  }

  /** The learner moved past beat `index` (and every one before it). */
  passed(index: number): void {
    if (index <= this.passedThrough) return;
    this.passedThrough = index;
    for (const armed of [...this.armed.values()]) if (armed.beat <= index) this.release(armed);
  }

  /** The learner turned holds on or off (h). */
  setMode(mode: HoldMode): void {
    this.mode = mode;
    if (mode.kind === "off") this.releaseAll();
  }

  releaseAll(): void {
    for (const armed of [...this.armed.values()]) this.release(armed);
  }

  private remember(beat: number, i: number, program: string, spec: Omit<HoldRequest, "id">): HoldRequest {
    const id = holdId(beat, i);
    const request: HoldRequest = {
      id,
      call: spec.call,
      when: spec.when,
      ...(spec.nth === undefined ? {} : { nth: spec.nth }),
    };
    this.armed.set(id, { id, beat, program, request, engaged: false, timer: null });
    return request;
  }

  private release(armed: Armed): void {
    if (armed.timer) clearTimeout(armed.timer);
    this.armed.delete(armed.id);
    this.target?.release(armed.program, armed.id);
  }
}
