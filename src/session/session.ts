// The session: one state that every view (TUI, --plain, --json) shows.
// A pure reducer over observations and facts: no I/O, no clock, no React.
import { type Capability, type Fact, FACT_NEEDS, type FactName } from "../facts/types.ts";
import type { Beat, Lesson } from "../lessons/schema.ts";
import { fillTemplate } from "../lessons/template.ts";
import type { Observation } from "../observations.ts";
import type { ProbeCapabilities, ProcSample } from "../probe/types.ts";
import type { SocketFn, SockSample } from "../runner/trace-events.ts";

/** Facts kept for views that list them; older ones are dropped (memory stays flat). */
export const MAX_FACTS_KEPT = 200;

export interface CurrentCall {
  readonly fn: SocketFn;
  readonly line: number | null;
  readonly since: number; // run clock, ms
}

export interface StreamView {
  readonly bytes: number;
  readonly tail: readonly string[];
}

export interface Lane {
  readonly name: string;
  readonly role: string | null;
  readonly file: string;
  readonly pid: number | null;
  readonly status: "waiting" | "running" | "exited";
  readonly proc: ProcSample | null;
  readonly call: CurrentCall | null;
  readonly stdout: StreamView;
  readonly stderr: StreamView;
  readonly exit:
    | { readonly code: number | null; readonly signal: string | null; readonly stoppedBy: string | null }
    | null;
}

export interface SocketGauge extends SockSample {
  readonly program: string;
  readonly peakSndq: number;
  readonly peakRcvq: number;
  readonly t: number;
}

export interface BeatView {
  readonly index: number;
  readonly title: string | null;
  readonly text: string;
  readonly fact: FactName;
  readonly t: number;
  /**
   * Set when this machine cannot observe the beat's own fact: says what is
   * missing. The text is then the lesson's `instead:` (from the trace), or,
   * without one, only this note.
   */
  readonly unobservable: string | null;
}

export interface Counters {
  readonly intended: number | null; // bytes the client asked send() to take
  readonly handed: number | null; // bytes send() reported as taken
  readonly delivered: number | null; // bytes the server's recv() returned
}

export interface SessionState {
  readonly lesson: Lesson;
  readonly port: number | null;
  readonly probe: ProbeCapabilities | null;
  /** Whether the tracer can read socket queue sizes here (from its caps line); null until it says. */
  readonly sockQueues: boolean | null;
  readonly now: number;
  readonly lanes: readonly Lane[];
  readonly sockets: readonly SocketGauge[];
  readonly counters: Counters;
  /** Beats whose fact has arrived, in lesson order, without gaps: what may be shown. */
  readonly beats: readonly BeatView[];
  /** Beats whose fact arrived while an earlier beat still waits (shown once the gap fills). */
  readonly early: readonly (BeatView | null)[];
  readonly facts: readonly Fact[];
  readonly ended: { readonly reason: string; readonly t: number } | null;
}

export type SessionEvent =
  | { readonly type: "observation"; readonly obs: Observation }
  | { readonly type: "fact"; readonly fact: Fact };

const EMPTY_STREAM: StreamView = { bytes: 0, tail: [] };

export function createSession(lesson: Lesson): SessionState {
  return {
    lesson,
    port: null,
    probe: null,
    sockQueues: null,
    now: 0,
    lanes: lesson.programs.map((p) => ({
      name: p.name,
      role: p.role ?? null,
      file: p.file,
      pid: null,
      status: "waiting",
      proc: null,
      call: null,
      stdout: EMPTY_STREAM,
      stderr: EMPTY_STREAM,
      exit: null,
    })),
    sockets: [],
    counters: { intended: null, handed: null, delivered: null },
    beats: [],
    early: lesson.beats.map(() => null),
    facts: [],
    ended: null,
  };
}

export function reduceSession(state: SessionState, event: SessionEvent): SessionState {
  return event.type === "fact" ? onFact(state, event.fact) : onObservation(state, event.obs);
}

function updateLane(state: SessionState, name: string, change: (lane: Lane) => Lane): readonly Lane[] {
  return state.lanes.map((lane) => (lane.name === name ? change(lane) : lane));
}

function onObservation(state: SessionState, obs: Observation): SessionState {
  const now = Math.max(state.now, obs.t);
  switch (obs.kind) {
    case "run":
      return advance({ ...state, now, port: obs.port, probe: obs.probe });
    case "spawned":
      return {
        ...state,
        now,
        lanes: updateLane(state, obs.program, (l) => ({ ...l, pid: obs.pid, status: "running" })),
      };
    case "proc":
      return { ...state, now, lanes: updateLane(state, obs.program, (l) => ({ ...l, proc: obs.sample })) };
    case "output":
      return {
        ...state,
        now,
        lanes: updateLane(state, obs.program, (l) => ({ ...l, [obs.stream]: { bytes: obs.bytes, tail: obs.tail } })),
      };
    case "exited":
      return {
        ...state,
        now,
        lanes: updateLane(state, obs.program, (l) => ({
          ...l,
          status: "exited",
          call: null,
          exit: { code: obs.code, signal: obs.signal, stoppedBy: obs.stoppedBy },
        })),
      };
    case "stopped":
      return { ...state, now, ended: { reason: obs.reason, t: obs.t } };
    case "trace": {
      const ev = obs.event;
      if (ev.ev === "caps" && state.sockQueues === null) return advance({ ...state, now, sockQueues: ev.sock_queues });
      if (ev.ev === "sample") {
        return {
          ...state,
          now,
          lanes: updateLane(state, obs.program, (l) => ({
            ...l,
            call: ev.in ? { fn: ev.in.fn, line: ev.in.line, since: ev.in.since } : null,
          })),
          sockets: mergeSockets(state.sockets, obs.program, ev.t, ev.socks),
        };
      }
      if (ev.ev === "call") {
        return {
          ...state,
          now,
          lanes: updateLane(state, obs.program, (l) => ({ ...l, call: { fn: ev.fn, line: ev.line, since: ev.t } })),
        };
      }
      if (ev.ev === "ret" || ev.ev === "err") {
        return {
          ...state,
          now,
          lanes: updateLane(state, obs.program, (l) => (l.call?.fn === ev.fn ? { ...l, call: null } : l)),
        };
      }
      return { ...state, now };
    }
  }
}

function mergeSockets(
  old: readonly SocketGauge[],
  program: string,
  t: number,
  socks: readonly SockSample[],
): readonly SocketGauge[] {
  // A program's sockets are replaced by its latest sample; closed ones drop out.
  const kept = old.filter((g) => g.program !== program);
  const fresh = socks.map((s) => {
    const before = old.find((g) => g.program === program && g.fd === s.fd);
    return {
      ...s,
      program,
      t,
      peakSndq: Math.max(before?.peakSndq ?? 0, s.sndq ?? 0),
      peakRcvq: Math.max(before?.peakRcvq ?? 0, s.rcvq ?? 0),
    };
  });
  return [...kept, ...fresh];
}

function onFact(state: SessionState, fact: Fact): SessionState {
  const facts = [...state.facts, fact].slice(-MAX_FACTS_KEPT);
  return revealBeats({
    ...state,
    now: Math.max(state.now, fact.t),
    facts,
    counters: countersFrom(state.counters, fact),
  }, fact);
}

function countersFrom(c: Counters, fact: Fact): Counters {
  const v = fact.values;
  const num = (x: unknown): number | null => (typeof x === "number" ? x : null);
  switch (fact.fact) {
    case "send.called":
      return { ...c, intended: num(v.bytes) };
    case "send.returned":
      return { ...c, intended: num(v.total) ?? c.intended, handed: num(v.sent) };
    case "recv.total":
      return { ...c, delivered: num(v.bytes) };
    default:
      return c;
  }
}

const CAPABILITY_SOURCES: Record<Capability, string> = {
  proc: "/proc/PID/stat",
  syscall: "/proc/PID/syscall",
  sock_queues: "socket queue sizes (SIOCOUTQ)",
};

/** What this machine lacks to observe `fact`, or null when it can (or cannot tell yet). */
export function missingFor(fact: FactName, state: Pick<SessionState, "probe" | "sockQueues">): string | null {
  const has = (cap: Capability): boolean | null =>
    cap === "sock_queues" ? state.sockQueues : state.probe === null ? null : state.probe[cap];
  const lacking = (FACT_NEEDS[fact] ?? []).filter((cap) => has(cap) === false);
  if (lacking.length === 0) return null;
  return `this machine does not show ${lacking.map((cap) => CAPABILITY_SOURCES[cap]).join(" and ")}`;
}

/** The fact a beat waits for here: its own, or its `instead:` where its own cannot be seen. */
function trigger(beat: Beat, state: SessionState): { on: FactName; missing: string | null } | null {
  const missing = missingFor(beat.on, state);
  if (missing === null) return { on: beat.on, missing: null };
  return beat.instead ? { on: beat.instead.on, missing } : null;
}

/** Puts the fact on the first beat still waiting for it, then shows every beat up to the first gap. */
function revealBeats(state: SessionState, fact: Fact): SessionState {
  const beats = state.lesson.beats;
  const slot = beats.findIndex((beat, i) =>
    state.early[i] === null && i >= state.beats.length && trigger(beat, state)?.on === fact.fact &&
    (beat.program === undefined || beat.program === fact.values.program)
  );
  if (slot === -1) return state;
  const beat = beats[slot]!;
  const missing = trigger(beat, state)?.missing ?? null;
  const early = [...state.early];
  const told = missing !== null && beat.instead ? beat.instead : beat;
  early[slot] = {
    index: slot,
    title: told.title ?? beat.title ?? null,
    text: fillTemplate(told.template, fact.values),
    fact: fact.fact,
    t: fact.t,
    unobservable: missing,
  };
  return advance({ ...state, early });
}

/**
 * Shows beats in lesson order up to the first one still waiting. A beat this
 * machine can never show (its fact needs what the probe lacks, and it has no
 * `instead:`) is passed with a note, so it does not hold up the rest.
 */
function advance(state: SessionState): SessionState {
  const beats = state.lesson.beats;
  const shown = [...state.beats];
  const early = [...state.early];
  while (shown.length < beats.length) {
    const i = shown.length;
    const beat = beats[i]!;
    if (!early[i] && trigger(beat, state) === null) {
      early[i] = {
        index: i,
        title: beat.title ?? null,
        fact: beat.on,
        t: state.now,
        text: `Not observable here: ${missingFor(beat.on, state)}.`,
        unobservable: missingFor(beat.on, state),
      };
    }
    if (!early[i]) break;
    shown.push(early[i]!);
  }
  return shown.length === state.beats.length ? state : { ...state, early, beats: shown };
}
