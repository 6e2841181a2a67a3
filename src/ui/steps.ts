// Stepping through the narration: which entry the learner looks at. The
// entries themselves come from the session (src/session/narration.ts); this
// module only moves a cursor over them. Pure.
import { narrationEntries, type NarrationEntry } from "../session/narration.ts";

export { narrationEntries, type NarrationEntry };

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
