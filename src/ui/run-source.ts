// What the player plays: a live run of a lesson (live-run.ts) or a replay of
// a recorded one (replay-run.ts). Both feed the same snapshot store and take
// the same requests; the player never asks which it has, except to say so:
// a replay's snapshot carries its label, shown on every screen.
import type { KnobSettings } from "../lessons/knobs.ts";
import type { LiveSnapshot } from "./live-run.ts";
import type { BatchedStore } from "./store.ts";

export interface RunSource {
  readonly store: BatchedStore<LiveSnapshot>;
  /** Starts playing; resolves when it has started (or failed to). */
  start(): Promise<void>;
  /** r: from the beginning again. */
  restart(): Promise<void>;
  /** The learner moved past beat `index` (holds let their programs go on). */
  passed(index: number): void;
  /** h: holds off or on. */
  toggleHolds(): void;
  /** p: stop or resume reading the programs' output. */
  setPaused(paused: boolean): void;
  /** s: whether the knob form may open (a replay says why not, and it does not). */
  canChangeKnobs(): boolean;
  /** The knob form's Enter: from the beginning again, with these knobs set (checked by the form). */
  restartWith(settings: KnobSettings): Promise<void>;
  /** Stops everything; the store stays readable but gets no more updates. */
  dispose(reason: string): Promise<void>;
}
