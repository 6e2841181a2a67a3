// An append-only, time-ordered list that a pure reducer can grow cheaply:
// full chunks are frozen and shared between states, only the short tail is
// copied on each append. Bounded: past MAX_ITEMS the oldest half is thinned
// (every other item dropped), and the series says so. Pure.

export interface Timed {
  readonly t: number;
}

export interface Series<T extends Timed> {
  readonly chunks: readonly (readonly T[])[];
  readonly tail: readonly T[];
  readonly size: number;
  /** How many times the oldest half was thinned to stay within MAX_ITEMS (0: every item kept). */
  readonly thinned: number;
}

const CHUNK = 64;
/** A long run (4 minutes of 20 ms samples) keeps full resolution; past that the oldest half is thinned. */
export const MAX_ITEMS = 12_000;

export function emptySeries<T extends Timed>(): Series<T> {
  return { chunks: [], tail: [], size: 0, thinned: 0 };
}

/** Adds an item; one earlier than the last is placed at the last's time (a source's clock never goes back). */
export function append<T extends Timed>(series: Series<T>, item: T): Series<T> {
  const last = lastItem(series);
  const placed = last !== null && item.t < last.t ? { ...item, t: last.t } : item;
  const grown: Series<T> = series.tail.length < CHUNK
    ? { ...series, tail: [...series.tail, placed], size: series.size + 1 }
    : { ...series, chunks: [...series.chunks, series.tail], tail: [placed], size: series.size + 1 };
  return grown.size > MAX_ITEMS ? thin(grown) : grown;
}

export function lastItem<T extends Timed>(series: Series<T>): T | null {
  return series.tail.at(-1) ?? series.chunks.at(-1)?.at(-1) ?? null;
}

/** The latest item at or before t: what had been observed by then. */
export function atOrBefore<T extends Timed>(series: Series<T>, t: number): T | null {
  if (series.tail.length > 0 && series.tail[0]!.t <= t) return lastAtOrBefore(series.tail, t);
  let lo = 0;
  let hi = series.chunks.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (series.chunks[mid]![0]!.t <= t) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found < 0 ? null : lastAtOrBefore(series.chunks[found]!, t);
}

export function items<T extends Timed>(series: Series<T>): T[] {
  return [...series.chunks.flat(), ...series.tail];
}

function lastAtOrBefore<T extends Timed>(list: readonly T[], t: number): T | null {
  let lo = 0;
  let hi = list.length - 1;
  let found: T | null = null;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]!.t <= t) {
      found = list[mid]!;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

function thin<T extends Timed>(series: Series<T>): Series<T> {
  const all = items(series);
  const half = Math.floor(all.length / 2);
  const kept = [...all.slice(0, half).filter((_, i) => i % 2 === 0), ...all.slice(half)];
  const chunks: T[][] = [];
  for (let i = 0; i < kept.length; i += CHUNK) chunks.push(kept.slice(i, i + CHUNK));
  const tail = chunks.pop() ?? [];
  return { chunks, tail, size: kept.length, thinned: series.thinned + 1 };
}
