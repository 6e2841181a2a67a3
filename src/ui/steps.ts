// Stepping through the narration: which entry the learner looks at. The
// entries themselves come from the session (beats whose fact arrived, and,
// once the run is over, the rest: late beats and beats never observed); this
// module only moves a cursor over them. Pure.
import type { FactName } from "../facts/types.ts";
import type { BeatView, SessionState } from "../session/session.ts";

export type NarrationEntry =
  | { readonly kind: "beat"; readonly beat: BeatView }
  | { readonly kind: "unobserved"; readonly index: number; readonly title: string | null; readonly on: FactName };

/** What may be shown now: beats in order up to the first gap; after the run, every beat. */
export function narrationEntries(state: SessionState): NarrationEntry[] {
  const entries: NarrationEntry[] = state.beats.map((beat) => ({ kind: "beat", beat }));
  if (state.ended === null) return entries;
  for (let i = state.beats.length; i < state.lesson.beats.length; i++) {
    const late = state.early[i];
    const beat = state.lesson.beats[i]!;
    entries.push(
      late ? { kind: "beat", beat: late } : { kind: "unobserved", index: i, title: beat.title ?? null, on: beat.on },
    );
  }
  return entries;
}

/**
 * cursor -1 is the lesson's introduction. `following` (--auto) keeps the
 * cursor on the newest entry as entries arrive, until the learner goes back.
 */
export interface StepState {
  readonly cursor: number;
  readonly following: boolean;
  /** Entries the learner has seen (for "done"). */
  readonly seen: number;
}

export function initialSteps(auto: boolean): StepState {
  return { cursor: -1, following: auto, seen: 0 };
}

/** Where the cursor is with `count` entries available. */
export function currentIndex(steps: StepState, count: number): number {
  return steps.following ? count - 1 : Math.min(steps.cursor, count - 1);
}

export function stepNext(steps: StepState, count: number, auto: boolean): StepState {
  const at = currentIndex(steps, count);
  if (at + 1 >= count) return steps;
  const cursor = at + 1;
  return { cursor, following: auto && cursor === count - 1, seen: Math.max(steps.seen, cursor + 1) };
}

export function stepBack(steps: StepState, count: number): StepState {
  const at = currentIndex(steps, count);
  return { ...steps, cursor: Math.max(-1, at - 1), following: false };
}

/** Keeps `seen` up to date while following. */
export function seenWith(steps: StepState, count: number): number {
  return Math.max(steps.seen, currentIndex(steps, count) + 1);
}
