// What the run looked like over time, source by source: each program's
// kernel samples, the call it was inside, its holds and output, each of its
// sockets' queues; the counters. A moment (the panes as they were at a beat's
// time) is, for each source, its latest observation at or before that time:
// nothing is interpolated. The timeline draws from the same series. Pure.
import type { Observation } from "../observations.ts";
import type { ProcSample } from "../probe/types.ts";
import { append, atOrBefore, emptySeries, type Series } from "./series.ts";
import type { Counters, CurrentCall, HeldAt, Lane, SessionState, SocketGauge, StreamView } from "./session.ts";

type Totals = SessionState["totals"];

export interface ProgramHistory {
  readonly proc: Series<{ readonly t: number; readonly sample: ProcSample }>;
  readonly calls: Series<{ readonly t: number; readonly call: CurrentCall | null }>;
  readonly held: Series<{ readonly t: number; readonly held: HeldAt | null }>;
  readonly output: Series<{ readonly t: number; readonly stdout: StreamView; readonly stderr: StreamView }>;
  readonly sockets: Series<{ readonly t: number; readonly gauges: readonly SocketGauge[] }>;
  readonly spawned: { readonly t: number; readonly pid: number } | null;
  readonly exited: { readonly t: number; readonly exit: NonNullable<Lane["exit"]> } | null;
}

export interface History {
  readonly programs: Readonly<Record<string, ProgramHistory>>;
  /** The counters and the per-socket totals they are summed from, changed together. */
  readonly counters: Series<{ readonly t: number; readonly counters: Counters; readonly totals: Totals }>;
}

export interface Moment {
  readonly t: number;
  readonly lanes: readonly Lane[];
  readonly sockets: readonly SocketGauge[];
  readonly counters: Counters;
  readonly totals: Totals;
}

const EMPTY_PROGRAM: ProgramHistory = {
  proc: emptySeries(),
  calls: emptySeries(),
  held: emptySeries(),
  output: emptySeries(),
  sockets: emptySeries(),
  spawned: null,
  exited: null,
};

export function emptyHistory(): History {
  return { programs: {}, counters: emptySeries() };
}

function change(history: History, program: string, fn: (p: ProgramHistory) => ProgramHistory): History {
  return { ...history, programs: { ...history.programs, [program]: fn(history.programs[program] ?? EMPTY_PROGRAM) } };
}

/** Records what changed in `lane` (after `obs`), from the source that observed it. */
export function recordLane(history: History, obs: Observation, lane: Lane, gauges: readonly SocketGauge[]): History {
  const t = obs.t;
  switch (obs.kind) {
    case "spawned":
      return change(history, obs.program, (p) => ({ ...p, spawned: { t, pid: obs.pid } }));
    case "exited":
      return change(history, obs.program, (p) => ({ ...p, exited: { t, exit: lane.exit! } }));
    case "proc":
      return change(history, obs.program, (p) => ({ ...p, proc: append(p.proc, { t, sample: obs.sample }) }));
    case "output":
      return change(history, obs.program, (p) => ({
        ...p,
        output: append(p.output, { t, stdout: lane.stdout, stderr: lane.stderr }),
      }));
    case "trace": {
      const ev = obs.event;
      if (ev.ev === "held" || ev.ev === "released") {
        return change(history, obs.program, (p) => ({ ...p, held: append(p.held, { t, held: lane.held }) }));
      }
      const callChanged = ev.ev === "call" || ev.ev === "ret" || ev.ev === "err" || ev.ev === "sample";
      const socketsChanged = ev.ev === "sample" || (ev.ev === "call" && ev.call === "close") || ev.ev === "exit" ||
        (ev.ev === "ret" && ev.sample !== undefined && ev.sample !== null);
      if (!callChanged && !socketsChanged) return history;
      return change(history, obs.program, (p) => ({
        ...p,
        calls: callChanged ? append(p.calls, { t, call: lane.call }) : p.calls,
        sockets: socketsChanged ? append(p.sockets, { t, gauges }) : p.sockets,
      }));
    }
    default:
      return history;
  }
}

export function recordCounters(history: History, t: number, counters: Counters, totals: Totals): History {
  return { ...history, counters: append(history.counters, { t, counters, totals }) };
}

const NO_COUNTERS: Counters = { intended: null, handed: null, delivered: null };

/** The panes as they were at time t: each source's latest observation at or before it. */
export function momentAt(history: History, lanes: readonly Lane[], t: number): Moment {
  const atT = lanes.map((lane): Lane => {
    const p = history.programs[lane.name];
    if (!p?.spawned || p.spawned.t > t) {
      return { ...lane, pid: null, status: "waiting", proc: null, call: null, held: null, exit: null };
    }
    const output = atOrBefore(p.output, t);
    const exited = p.exited !== null && p.exited.t <= t;
    return {
      ...lane,
      pid: p.spawned.pid,
      status: exited ? "exited" : "running",
      proc: exited ? null : (atOrBefore(p.proc, t)?.sample ?? null),
      call: exited ? null : (atOrBefore(p.calls, t)?.call ?? null),
      held: exited ? null : (atOrBefore(p.held, t)?.held ?? null),
      stdout: output?.stdout ?? { bytes: 0, tail: [] },
      stderr: output?.stderr ?? { bytes: 0, tail: [] },
      exit: exited ? p.exited!.exit : null,
    };
  });
  const sockets = lanes.flatMap((lane) => {
    const p = history.programs[lane.name];
    return p ? (atOrBefore(p.sockets, t)?.gauges ?? []) : [];
  });
  const counted = atOrBefore(history.counters, t);
  return { t, lanes: atT, sockets, counters: counted?.counters ?? NO_COUNTERS, totals: counted?.totals ?? {} };
}
