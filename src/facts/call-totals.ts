// One program's calls of each name, added up -> <call>.totals when it ends.
// Pure.
//
// Every call is counted once: a call reported in full by its `ret` or `err`,
// a call on a hot line by the tracer's `sum` of that line. The `ret` that
// tells the last call of a hot run (it carries `run_calls`) repeats a call a
// sum already counted, and is skipped. The kernel's counts (sleeps, cpu_ms)
// add up only while every call counted has them: a hot line's calls have
// them only when the run asked the tracer to count that call (an exercise
// judging "never asleep inside send()"); one call without them makes the
// total unknown (null), never a smaller number.
import type { TraceEvent } from "../trace/events.ts";
import type { Emit } from "./calls.ts";
import type { FactValue } from "./types.ts";

interface Tally {
  calls: number;
  raised: number;
  bytes: number;
  ms: number;
  sleeps: number | null;
  cpuMs: number | null;
  asleepMs: number | null;
  /** Calls told in full and calls summarised, for the evidence. */
  full: number;
  summarised: number;
}

type Counted = Extract<TraceEvent, { ev: "ret" | "err" | "sum" }>;

export class CallTotals {
  private readonly tallies = new Map<string, Tally>();

  constructor(private readonly program: string, private readonly emit: Emit) {}

  add(ev: Counted): void {
    if (ev.ev === "ret" && ev.run_calls !== undefined) return; // a hot run's last call: its sum counted it
    const tally = this.tally(ev.call);
    if (ev.ev === "sum") {
      tally.calls += ev.calls;
      tally.summarised += ev.calls;
      tally.raised += Object.values(ev.errors ?? {}).reduce((a, b) => a + b, 0);
      tally.bytes += ev.bytes;
      tally.ms += ev.ms;
      addCounts(tally, ev.sleeps ?? null, ev.cpu_ms ?? null, ev.asleep_ms ?? null);
      return;
    }
    tally.calls += 1;
    tally.full += 1;
    tally.ms += ev.ms;
    if (ev.ev === "err") tally.raised += 1;
    else tally.bytes += ev.bytes ?? 0;
    addCounts(tally, ev.sleeps ?? null, ev.cpu_ms ?? null, ev.asleep_ms ?? null);
  }

  /**
   * The program ended: one fact per call name it used. `complete`: the tracer
   * flushed its last summaries at the program's exit; a program stopped from
   * outside may have had up to a summary interval (100 ms) of calls untold.
   */
  finish(t: number, complete: boolean): void {
    for (const [call, tally] of this.tallies) {
      const values: Record<string, FactValue> = {
        program: this.program,
        call,
        calls: tally.calls,
        raised: tally.raised,
        bytes: tally.bytes,
        ms: round(tally.ms),
        sleeps: tally.sleeps,
        cpu_ms: tally.cpuMs === null ? null : round(tally.cpuMs),
        // Each call's reading may be a few us below 0 (counters read just outside it): only the sum is clamped.
        asleep_ms: tally.asleepMs === null ? null : Math.max(0, round(tally.asleepMs)),
        complete,
      };
      const counts = tally.sleeps === null
        ? "the kernel's counts not taken for every call"
        : `${tally.sleeps} voluntary context switches, ${
          round(tally.cpuMs ?? 0)
        } ms CPU in all (getrusage RUSAGE_THREAD)${
          tally.asleepMs === null ? "" : `, ${round(tally.asleepMs)} ms asleep (schedstat)`
        }`;
      this.emit(`${call}.totals`, t, values, [{
        source: "trace",
        t,
        what: `${tally.calls} ${call}() calls (${tally.full} told one by one, ${tally.summarised} summarised), ` +
          `${tally.raised} raised; ${counts}${complete ? "" : "; stopped from outside: its last calls may be untold"}`,
      }]);
    }
    this.tallies.clear();
  }

  private tally(call: string): Tally {
    let tally = this.tallies.get(call);
    if (!tally) {
      tally = { calls: 0, raised: 0, bytes: 0, ms: 0, sleeps: 0, cpuMs: 0, asleepMs: 0, full: 0, summarised: 0 };
      this.tallies.set(call, tally);
    }
    return tally;
  }
}

function addCounts(tally: Tally, sleeps: number | null, cpuMs: number | null, asleepMs: number | null): void {
  tally.sleeps = tally.sleeps === null || sleeps === null ? null : tally.sleeps + sleeps;
  tally.cpuMs = tally.cpuMs === null || cpuMs === null ? null : tally.cpuMs + cpuMs;
  tally.asleepMs = tally.asleepMs === null || asleepMs === null ? null : tally.asleepMs + asleepMs;
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
