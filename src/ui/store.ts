// Batch before React: the runner produces hundreds of observations a second
// (kernel samples every 20 ms per program, output, trace events); the store
// keeps only the latest state and tells React at most every FLUSH_INTERVAL_MS.
// Components read it with useSyncExternalStore. Ink's maxFps is the last guard.
import { useSyncExternalStore } from "react";

/**
 * 10 updates a second. At 20 (50 ms) the full 120x40 frame's rendering took
 * enough of a 2-core machine to slow blocking-send from 3.7 s to 5.0 s; keys
 * do not wait for this (they re-render at once), so only the live gauges and
 * lanes tick less often.
 */
export const FLUSH_INTERVAL_MS = 100;

export interface StoreClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realClock: StoreClock = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export class BatchedStore<T> {
  private current: T;
  private pending: T | null = null;
  private timer: unknown = null;
  private lastFlush = Number.NEGATIVE_INFINITY;
  private readonly listeners = new Set<() => void>();
  /** How many times listeners were told (for tests and the benchmark). */
  flushes = 0;

  constructor(initial: T, private readonly intervalMs = FLUSH_INTERVAL_MS, private readonly clock = realClock) {
    this.current = initial;
  }

  readonly getSnapshot = (): T => this.current;

  readonly subscribe = (listener: () => void): () => void => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /**
   * A new state. Batched: listeners hear of it at most every intervalMs,
   * always of the latest one. `urgent` (a key press) flushes now.
   */
  update(next: T | ((previous: T) => T), urgent = false): void {
    const base = this.pending ?? this.current;
    this.pending = typeof next === "function" ? (next as (p: T) => T)(base) : next;
    if (urgent) {
      this.flush();
      return;
    }
    if (this.timer !== null) return;
    const wait = this.lastFlush + this.intervalMs - this.clock.now();
    if (wait <= 0) this.flush();
    else this.timer = this.clock.setTimeout(() => this.flush(), wait);
  }

  flush(): void {
    if (this.timer !== null) {
      this.clock.clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.pending === null) return;
    this.current = this.pending;
    this.pending = null;
    this.lastFlush = this.clock.now();
    this.flushes++;
    for (const listener of [...this.listeners]) listener();
  }

  /** Drops a pending update and its timer (the store's owner is done with it). */
  dispose(): void {
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
    this.pending = null;
  }
}

export function useStore<T>(store: BatchedStore<T>): T {
  return useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot);
}
