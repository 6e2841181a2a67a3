// One program's calls -> <call>.<phase> facts. Pure.
//
// Two sources meet here. The tracer says what the program asked for (it is
// inside send() #1 since t, on line 19, with 136,314,880 bytes) and what the
// call did (returned after 1,563 ms, asleep 88 times); the /proc probe says
// what the kernel did with the program at one instant (asleep in sendto,
// wchan wait_woken). A proc sample says nothing about which call the thread
// was in: it is matched to a call only once the trace proves that call was
// in progress at the sample's instant (it began before and returned after, or
// a later trace sample still found it inside). Until then it waits; if the
// trace never proves it, no fact is made of it.
import type { ProcSample } from "../probe/types.ts";
import type { CallFields, InCall, TimeoutMode, TraceEvent } from "../trace/events.ts";
import { waitSyscalls } from "../trace/registry.ts";
import type { Evidence, FactValue } from "./types.ts";
import { callFact, type ERROR_CLASSES, type Phase } from "./vocabulary.ts";

/** Still inside a call after this long, per the tracer: the program is waiting on it. */
export const WAITING_MS = 200;
/**
 * A proc sample is matched once the trace is this far past it. The tracer's
 * two threads (the program's and the sampler) write in turns, so an event
 * can reach the channel a little after a later one; this covers it.
 */
export const RESOLVE_SLACK_MS = 25;
/** Calls that ended this long before the trace's latest time are forgotten (memory stays flat). */
const KEEP_ENDED_MS = 2000;

export type Emit = (fact: string, t: number, values: Record<string, FactValue>, evidence: Evidence[]) => void;

interface CallRecord {
  readonly call: string;
  readonly nth: number;
  readonly fd: number | null;
  readonly line: number | null;
  /** The tracer's id when the call is reported in full; null on a hot line. */
  readonly id: number | null;
  /** Bytes it was handed or asked for, and what its arguments said (from its call event). */
  readonly asked: number | null;
  readonly args: CallFields;
  mode: TimeoutMode | null;
  timeoutS: number | null;
  /** Run ms: when it began, when it returned or raised, the latest instant it was known to be inside. */
  since: number;
  end: number | null;
  seenUntil: number;
  /** A hot call: first trace sample no longer inside it. */
  goneBy: number | null;
  waiting: boolean;
  blocked: boolean;
  woke: boolean;
}

type Located = Extract<TraceEvent, { ev: "call" | "ret" | "err" }>;

export class CallTracker {
  private readonly records = new Map<string, CallRecord>();
  private readonly pending: { readonly t: number; readonly sample: ProcSample }[] = [];
  /** Hot lines that already gave their one waiting or blocked fact: "call|line|phase". */
  private readonly hotTold = new Set<string>();
  /** The latest time the trace has spoken for. */
  private horizon = Number.NEGATIVE_INFINITY;

  constructor(private readonly program: string, private readonly emit: Emit) {}

  onCall(ev: Extract<TraceEvent, { ev: "call" }>): void {
    const record: CallRecord = {
      call: ev.call,
      nth: ev.nth,
      fd: ev.fd,
      line: ev.line,
      id: ev.id,
      asked: ev.bytes,
      args: ev.fields,
      mode: ev.mode,
      timeoutS: ev.timeout_s,
      since: ev.t,
      end: null,
      seenUntil: ev.t,
      goneBy: null,
      waiting: false,
      blocked: false,
      woke: false,
    };
    this.records.set(key(ev.call, ev.nth), record);
    this.emit(callFact(ev.call, "called"), ev.t, { ...this.base(record), bytes: ev.bytes, ...ev.fields }, [
      traced(
        ev.t,
        `${ev.call}() #${ev.nth} called on line ${ev.line}${ev.bytes === null ? "" : ` with ${ev.bytes} bytes`}`,
      ),
    ]);
    this.advance(ev.t);
  }

  onReturn(ev: Extract<TraceEvent, { ev: "ret" }>): void {
    const record = this.ended(ev);
    const values = {
      ...this.base(record, ev),
      ...record?.args,
      ms: ev.ms,
      result: ev.result,
      bytes: ev.bytes,
      asked: record?.asked ?? null,
      sleeps: ev.sleeps ?? null,
      cpu_ms: ev.cpu_ms ?? null,
      asleep_ms: asleep(ev.asleep_ms),
      ...ev.fields,
    };
    const run = ev.run_calls === undefined ? "" : `, the last of ${ev.run_calls} calls on that line`;
    this.emit(callFact(ev.call, "returned"), ev.t, values, [
      traced(ev.t, `${ev.call}() #${ev.nth} returned after ${ev.ms.toFixed(2)} ms${run}`),
      ...(ev.sleeps != null
        ? [traced(ev.t, `getrusage(RUSAGE_THREAD): ${ev.sleeps} voluntary context switches, ${ev.cpu_ms} ms CPU`)]
        : []),
    ]);
    this.advance(ev.t);
  }

  onRaise(ev: Extract<TraceEvent, { ev: "err" }>): void {
    const record = this.ended(ev);
    this.emit(callFact(ev.call, "raised"), ev.t, {
      ...this.base(record, ev),
      ms: ev.ms,
      errno: ev.errno,
      error: errorClass(ev.errno, ev.exc),
      message: ev.message,
      sleeps: ev.sleeps,
      cpu_ms: ev.cpu_ms,
      asleep_ms: asleep(ev.asleep_ms),
    }, [traced(ev.t, `${ev.call}() #${ev.nth} raised ${ev.exc} (${ev.errno}) after ${ev.ms.toFixed(2)} ms`)]);
    this.advance(ev.t);
  }

  /** The tracer's sample: the call the program is inside now, if any. */
  onSample(t: number, inCall: InCall | null): void {
    const current = inCall ? this.inside(t, inCall) : null;
    for (const record of this.records.values()) {
      if (record !== current && record.id === null && record.end === null && record.goneBy === null) {
        record.goneBy = t;
      }
    }
    if (current && !current.waiting && t - current.since >= WAITING_MS && this.mayTell(current, "waiting")) {
      current.waiting = true;
      this.emit(callFact(current.call, "waiting"), t, { ...this.base(current), ms: t - current.since }, [
        traced(
          t,
          `still inside ${current.call}() #${current.nth} on line ${current.line} after ${
            (t - current.since).toFixed(0)
          } ms`,
        ),
      ]);
    }
    this.advance(t);
  }

  /** A /proc sample: held until the trace says which call (if any) it was taken in. */
  onProc(t: number, sample: ProcSample): void {
    this.pending.push({ t, sample });
    this.resolve(false);
  }

  /** The program exited: what can still be matched is matched, the rest dropped. */
  finish(): void {
    this.resolve(true);
    this.records.clear();
  }

  private inside(t: number, inCall: InCall): CallRecord {
    const k = key(inCall.call, inCall.nth);
    let record = this.records.get(k);
    if (!record) {
      record = {
        call: inCall.call,
        nth: inCall.nth,
        fd: inCall.fd,
        line: inCall.line,
        id: inCall.id,
        asked: null,
        args: {},
        mode: inCall.mode,
        timeoutS: inCall.timeout_s,
        since: inCall.since,
        end: null,
        seenUntil: t,
        goneBy: null,
        waiting: false,
        blocked: false,
        woke: false,
      };
      this.records.set(k, record);
    }
    record.seenUntil = Math.max(record.seenUntil, t);
    record.mode = inCall.mode;
    record.timeoutS = inCall.timeout_s;
    return record;
  }

  private ended(ev: Located): CallRecord | null {
    const record = this.records.get(key(ev.call, ev.nth)) ?? null;
    if (record === null) return null;
    record.end = ev.t;
    record.seenUntil = Math.max(record.seenUntil, ev.t);
    // Proc samples taken while it ran can now be settled; then the return
    // itself is the proof that a blocked call was woken.
    for (const p of this.pending.filter((p) => p.t >= record.since && p.t <= ev.t)) {
      this.pending.splice(this.pending.indexOf(p), 1);
      this.match(record, p.t, p.sample);
    }
    if (record.blocked && !record.woke) {
      record.woke = true;
      this.emit(callFact(record.call, "woke"), ev.t, this.base(record), [
        traced(ev.t, `${record.call}() #${record.nth} returned, so the kernel had woken the program`),
      ]);
    }
    return record;
  }

  private base(record: CallRecord | null, ev?: Located): Record<string, FactValue> {
    return {
      program: this.program,
      call: record?.call ?? ev!.call,
      fd: record?.fd ?? ev?.fd ?? null,
      line: record?.line ?? ev?.line ?? null,
      nth: record?.nth ?? ev!.nth,
      mode: record?.mode ?? null,
      timeout_s: record?.timeoutS ?? null,
    };
  }

  private advance(t: number): void {
    if (t <= this.horizon) return;
    this.horizon = t;
    this.resolve(false);
    for (const [k, record] of this.records) {
      const over = record.end ?? record.goneBy;
      if (over !== null && over < this.horizon - KEEP_ENDED_MS) this.records.delete(k);
    }
  }

  /** Settles the proc samples the trace has caught up with (all of them when `all`). */
  private resolve(all: boolean): void {
    while (this.pending.length > 0 && (all || this.pending[0]!.t <= this.horizon - RESOLVE_SLACK_MS)) {
      const { t, sample } = this.pending.shift()!;
      const record = this.callAt(t);
      if (record) this.match(record, t, sample);
    }
  }

  /** The call the trace proves was in progress at t. */
  private callAt(t: number): CallRecord | null {
    let found: CallRecord | null = null;
    for (const record of this.records.values()) {
      const until = record.end ?? record.seenUntil;
      if (record.since <= t && t <= until && (found === null || record.since > found.since)) found = record;
    }
    return found;
  }

  private match(record: CallRecord, t: number, sample: ProcSample): void {
    const asleep = sample.state === "S" || sample.state === "D";
    const syscall = sample.syscall.kind === "in-syscall" ? sample.syscall.name : null;
    const evidence = (): Evidence[] => [
      {
        source: "proc",
        t,
        what: `state ${sample.state}, syscall ${syscall ?? sample.syscall.kind}, wchan ${sample.wchan ?? "unknown"}`,
      },
      traced(
        t,
        `inside ${record.call}() #${record.nth} from ${record.since.toFixed(1)} ms to at least ${
          (record.end ?? record.seenUntil).toFixed(1)
        } ms`,
      ),
    ];
    if (asleep && syscall !== null && waitSyscalls(record.call, record.mode).includes(syscall)) {
      if (record.blocked || !this.mayTell(record, "blocked")) return;
      record.blocked = true;
      this.emit(
        callFact(record.call, "blocked"),
        t,
        { ...this.base(record), syscall, wchan: sample.wchan },
        evidence(),
      );
    } else if (record.blocked && !record.woke && sample.state === "R") {
      record.woke = true;
      this.emit(callFact(record.call, "woke"), t, this.base(record), evidence());
    }
  }

  /** A call reported in full tells each phase; a hot line tells its first waiting and blocked only. */
  private mayTell(record: CallRecord, phase: Phase): boolean {
    if (record.id !== null) return true;
    const told = `${record.call}|${record.line}|${phase}`;
    if (this.hotTold.has(told)) return false;
    this.hotTold.add(told);
    return true;
  }
}

/** The tracer reads its counters just outside the call: a call that never slept can read a few us below 0. */
function asleep(ms: number | null | undefined): number | null {
  return ms === null || ms === undefined ? null : Math.max(0, ms);
}

function key(call: string, nth: number): string {
  return `${call}#${nth}`;
}

function traced(t: number, what: string): Evidence {
  return { source: "trace", t, what };
}

const WOULD_BLOCK: ReadonlySet<string> = new Set(["EAGAIN", "EWOULDBLOCK", "EINPROGRESS", "EALREADY"]);

/** The kind of error a lesson can name in `where: {error: ...}` (one of ERROR_CLASSES). */
function errorClass(errno: string, exc: string): (typeof ERROR_CLASSES)[number] {
  if (WOULD_BLOCK.has(errno) || exc === "BlockingIOError") return "would_block";
  if (errno === "ETIMEDOUT" || exc === "TimeoutError" || exc === "timeout") return "timeout";
  if (errno === "ECONNREFUSED") return "refused";
  if (errno === "ECONNRESET" || errno === "ECONNABORTED") return "reset";
  if (errno === "EPIPE") return "broken_pipe";
  return "other";
}
