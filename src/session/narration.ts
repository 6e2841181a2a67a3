// The narration as every view tells it: the beats shown so far and, once the
// run is over, the rest: beats whose fact came after a gap that never closed
// ("late"), and beats never observed, with why. Computed here once; --plain,
// --json and the TUI only render it. Pure.
import { factSeen } from "../facts/describe.ts";
import type { BeatView, SessionState } from "./session.ts";

export interface UnobservedBeat {
  readonly index: number;
  readonly title: string | null;
  readonly on: string;
  readonly program: string | null;
  /** Why, in words (the fact said as a sentence, never by its name). */
  readonly why: string;
}

export type NarrationEntry =
  | { readonly kind: "beat"; readonly beat: BeatView; readonly late: boolean }
  | { readonly kind: "unobserved"; readonly beat: UnobservedBeat };

export function narrationEntries(state: SessionState): NarrationEntry[] {
  const entries: NarrationEntry[] = state.beats.map((beat) => ({ kind: "beat", beat, late: false }));
  if (state.ended === null) return entries;
  for (const beat of state.lesson.beats.slice(state.beats.length)) {
    const late = state.slots[beat.index];
    entries.push(
      late ? { kind: "beat", beat: late, late: true } : { kind: "unobserved", beat: unobserved(state, beat.index) },
    );
  }
  return entries;
}

function unobserved(state: SessionState, index: number): UnobservedBeat {
  const beat = state.lesson.beats[index]!;
  const which = beat.nth === undefined ? "" : beat.nth === "last" ? " (the last one)" : ` (number ${beat.nth})`;
  const where = beat.where
    ? ` with ${Object.entries(beat.where).map(([k, v]) => `${k} ${JSON.stringify(v)}`).join(", ")}`
    : "";
  return {
    index,
    title: beat.title ?? null,
    on: beat.on,
    program: beat.program ?? null,
    why: `nothing showed ${factSeen(beat.on, beat.program)}${which}${where}`,
  };
}
