// The session: one state that every view (TUI, --plain, --json) shows.
// A pure reducer over observations and facts: no I/O, no clock, no React.
import type { Fact } from "../facts/types.ts";
import type { Beat, Lesson } from "../lessons/schema.ts";
import { knobValues } from "../lessons/knobs.ts";
import type { KnobValues } from "../lessons/template.ts";
import type { Observation } from "../observations.ts";
import type { ProbeCapabilities, ProcSample } from "../probe/types.ts";
import type { SocketTotals, SockSample } from "../trace/events.ts";
import { callDirection } from "../trace/registry.ts";
import { emptyHistory, type History, recordCounters, recordLane } from "./history.ts";
import {
  type BeatProgress,
  type BeatView,
  beatView,
  type Capabilities,
  fillFrom,
  nthVerdict,
  selects,
  type TracerCaps,
  trigger,
  unobservableView,
} from "./beats.ts";

export type { BeatView, TracerCaps } from "./beats.ts";
export { missingFor } from "./beats.ts";

/** Facts kept for views that list them; older ones are dropped (memory stays flat). */
export const MAX_FACTS_KEPT = 200;

export interface CurrentCall {
  readonly call: string;
  readonly line: number | null;
  readonly since: number; // run clock, ms
}

export interface StreamView {
  readonly bytes: number;
  readonly tail: readonly string[];
}

/** A hold the program waits at now: socket-lessons' doing, not the program's. */
export interface HeldAt {
  readonly call: string;
  readonly when: "before" | "after";
  readonly line: number | null;
  readonly since: number;
}

export interface Lane {
  readonly name: string;
  readonly role: string | null;
  readonly file: string;
  readonly pid: number | null;
  readonly status: "waiting" | "running" | "exited";
  readonly proc: ProcSample | null;
  readonly call: CurrentCall | null;
  /**
   * When `call` was last known (a call, return or sample). The tracer's
   * sampling thread and the program's own thread write to the channel
   * separately, so a sample taken just before a call can arrive just after
   * it: it must not undo what the call event said.
   */
  readonly callKnownAt?: number;
  readonly held: HeldAt | null;
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

export interface Counters {
  readonly intended: number | null; // the most bytes one send call was handed
  readonly handed: number | null; // bytes the programs' send calls took, all sockets
  readonly delivered: number | null; // bytes their recv calls returned, all sockets
}

export interface SessionState {
  readonly lesson: Lesson;
  readonly port: number | null;
  readonly probe: ProbeCapabilities | null;
  readonly tracer: TracerCaps;
  /** How often the kernel and the sockets were sampled in this run, ms; null until the run says. */
  readonly sampleMs: number | null;
  readonly now: number;
  readonly lanes: readonly Lane[];
  readonly sockets: readonly SocketGauge[];
  /** What each socket carried so far ("program|fd"), from the tracer's totals: the one source of counters. */
  readonly totals: Readonly<Record<string, SocketTotals>>;
  readonly counters: Counters;
  /** Beats whose fact has arrived, in lesson order, without gaps: what may be shown. */
  readonly beats: readonly BeatView[];
  /** Each beat once filled (early ones wait here for the gap before them). */
  readonly slots: readonly (BeatView | null)[];
  readonly progress: readonly BeatProgress[];
  /** The lesson's end summary, a line each once its fact came (recap: in the lesson file). */
  readonly recap: readonly (string | null)[];
  readonly recapProgress: readonly BeatProgress[];
  readonly facts: readonly Fact[];
  readonly ended: { readonly reason: string; readonly t: number } | null;
  /** Every source over time: the moments behind the live edge and the timeline (history.ts). */
  readonly history: History;
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
    tracer: { sockQueues: null, rusageThread: null, tcpWindow: null },
    sampleMs: null,
    now: 0,
    lanes: lesson.programs.map((p) => ({
      name: p.name,
      role: p.role ?? null,
      file: p.file,
      pid: null,
      status: "waiting",
      proc: null,
      call: null,
      held: null,
      stdout: EMPTY_STREAM,
      stderr: EMPTY_STREAM,
      exit: null,
    })),
    sockets: [],
    totals: {},
    counters: { intended: null, handed: null, delivered: null },
    beats: [],
    slots: lesson.beats.map(() => null),
    progress: lesson.beats.map(() => ({ count: 0, last: null })),
    recap: lesson.recap.map(() => null),
    recapProgress: lesson.recap.map(() => ({ count: 0, last: null })),
    facts: [],
    ended: null,
    history: emptyHistory(),
  };
}

export function reduceSession(state: SessionState, event: SessionEvent): SessionState {
  const next = event.type === "fact" ? onFact(state, event.fact) : onObservation(state, event.obs);
  return remember(state, next, event);
}

/** Keeps what changed in the history, stamped with the time it was observed. */
function remember(before: SessionState, after: SessionState, event: SessionEvent): SessionState {
  let history = after.history;
  if (event.type === "observation" && "program" in event.obs) {
    const program = event.obs.program;
    const lane = after.lanes.find((l) => l.name === program);
    if (lane) history = recordLane(history, event.obs, lane, after.sockets.filter((g) => g.program === program));
  }
  if (after.counters !== before.counters || after.totals !== before.totals) {
    const t = event.type === "fact" ? event.fact.t : event.obs.t;
    history = recordCounters(history, t, after.counters, after.totals);
  }
  return history === after.history ? after : { ...after, history };
}

export function capabilities(state: Pick<SessionState, "probe" | "tracer">): Capabilities {
  return { probe: state.probe, tracer: state.tracer };
}

function updateLane(state: SessionState, name: string, change: (lane: Lane) => Lane): readonly Lane[] {
  return state.lanes.map((lane) => (lane.name === name ? change(lane) : lane));
}

function onObservation(state: SessionState, obs: Observation): SessionState {
  const now = Math.max(state.now, obs.t);
  switch (obs.kind) {
    case "run":
      return advance({ ...state, now, port: obs.port, probe: obs.probe, sampleMs: obs.sampleMs });
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
          held: null,
          exit: { code: obs.code, signal: obs.signal, stoppedBy: obs.stoppedBy },
        })),
      };
    case "stopped":
      return advance(settleLast({ ...state, now, ended: { reason: obs.reason, t: obs.t } }, null));
    case "trace":
      return onTrace({ ...state, now }, obs.program, obs.event);
  }
}

function onTrace(state: SessionState, program: string, ev: Extract<Observation, { kind: "trace" }>["event"]) {
  switch (ev.ev) {
    case "caps":
      if (state.tracer.sockQueues !== null) return state;
      return advance({
        ...state,
        tracer: { sockQueues: ev.sock_queues, rusageThread: ev.rusage_thread, tcpWindow: ev.tcp_window ?? false },
      });
    case "sample": {
      const withTotals = ev.socks.reduce(
        (s, sock) => (sock.totals ? withSocketTotals(s, program, sock.fd, sock.totals) : s),
        state,
      );
      return {
        ...withTotals,
        lanes: updateLane(state, program, (l) =>
          (l.callKnownAt ?? -Infinity) > ev.t ? l : {
            ...l,
            call: ev.in ? { call: ev.in.call, line: ev.in.line, since: ev.in.since } : null,
            callKnownAt: ev.t,
          }),
        sockets: mergeSockets(state.sockets, program, ev.t, ev.socks),
      };
    }
    case "call": {
      const called = {
        ...state,
        lanes: updateLane(
          state,
          program,
          (l) => ({ ...l, call: { call: ev.call, line: ev.line, since: ev.t }, callKnownAt: ev.t }),
        ),
        // close() carries the socket as the kernel had it just before: its last values.
        sockets: ev.call === "close" && ev.sample ? withSample(state.sockets, program, ev.t, ev.sample) : state.sockets,
      };
      return ev.call === "close" && ev.fd !== null && ev.totals
        ? withSocketTotals(called, program, ev.fd, ev.totals)
        : called;
    }
    case "ret":
    case "err": {
      const lanes = updateLane(
        state,
        program,
        (l) => (l.call?.call === ev.call ? { ...l, call: null, callKnownAt: ev.t } : l),
      );
      // A send or recv reported in full carries its socket's queues the
      // instant it returned: a non-blocking send's full buffer, which the
      // program may leave before the next sample.
      const sockets = ev.ev === "ret" && ev.sample
        ? withSample(state.sockets, program, ev.t, ev.sample)
        : state.sockets;
      const returned = { ...state, lanes, sockets };
      return ev.ev === "ret" && ev.totals && ev.fd !== null
        ? withSocketTotals(returned, program, ev.fd, ev.totals)
        : returned;
    }
    case "held":
      return {
        ...state,
        lanes: updateLane(state, program, (l) => ({
          ...l,
          held: { call: ev.call, when: ev.when, line: ev.line, since: ev.t },
        })),
      };
    case "released":
      return { ...state, lanes: updateLane(state, program, (l) => ({ ...l, held: null })) };
    case "exit": {
      // The queues as the program left them (its last sample may be older).
      const sockets = ev.socks.reduce(
        (all, sock) => (sock.sample ? withSample(all, program, ev.t, sock.sample) : all),
        state.sockets,
      );
      return ev.socks.reduce(
        (s, sock) => (sock.totals ? withSocketTotals(s, program, sock.fd, sock.totals) : s),
        sockets === state.sockets ? state : { ...state, sockets },
      );
    }
    case "gone":
      return ev.totals ? withSocketTotals(state, program, ev.fd, ev.totals) : state;
    default:
      return state;
  }
}

function withSocketTotals(state: SessionState, program: string, fd: number, totals: SocketTotals): SessionState {
  const all = { ...state.totals, [`${program}|${fd}`]: totals };
  // Before any send (recv) call has returned, nothing is known to be handed
  // over (received): "—", not a made-up 0.
  let handed: number | null = null;
  let delivered: number | null = null;
  for (const t of Object.values(all)) {
    if (t.send_calls > 0 && t.sent !== null) handed = (handed ?? 0) + t.sent;
    if (t.recv_calls > 0) delivered = (delivered ?? 0) + t.received;
  }
  return { ...state, totals: all, counters: { ...state.counters, handed, delivered } };
}

function mergeSockets(
  old: readonly SocketGauge[],
  program: string,
  t: number,
  socks: readonly SockSample[],
): readonly SocketGauge[] {
  // A program's sockets are replaced by its latest sample; closed ones drop out.
  // A socket read later than this sample (a call's return carries its queues,
  // and the sampling thread's line can arrive after it) keeps that reading.
  const kept = old.filter((g) => g.program !== program);
  const fresh = socks.map((s) => {
    const before = old.find((g) => g.program === program && g.fd === s.fd);
    if (before !== undefined && before.t > t) return before;
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

/** One socket's queues at t, the others as they were; peaks kept. */
function withSample(
  sockets: readonly SocketGauge[],
  program: string,
  t: number,
  sample: SockSample,
): readonly SocketGauge[] {
  const before = sockets.find((g) => g.program === program && g.fd === sample.fd);
  const gauge: SocketGauge = {
    ...before,
    ...sample,
    program,
    t,
    peakSndq: Math.max(before?.peakSndq ?? 0, sample.sndq ?? 0),
    peakRcvq: Math.max(before?.peakRcvq ?? 0, sample.rcvq ?? 0),
  };
  return before ? sockets.map((g) => (g === before ? gauge : g)) : [...sockets, gauge];
}

function onFact(state: SessionState, fact: Fact): SessionState {
  const facts = [...state.facts, fact].slice(-MAX_FACTS_KEPT);
  let next: SessionState = {
    ...state,
    now: Math.max(state.now, fact.t),
    facts,
    counters: intendedFrom(state.counters, fact),
  };
  // A program's end settles its `nth: last` beats before its own exit is told.
  if (fact.fact === "program.exited" && typeof fact.values.program === "string") {
    next = settleLast(next, fact.values.program);
  }
  return advance(recapFrom(revealBeats(next, fact), fact));
}

const knobsOf = new WeakMap<Lesson, KnobValues>();

/** The lesson's knob values for its texts, worked out once per lesson (a run's lesson never changes). */
function lessonKnobs(lesson: Lesson): KnobValues {
  let values = knobsOf.get(lesson);
  if (values === undefined) knobsOf.set(lesson, values = knobValues(lesson));
  return values;
}

/** The end summary's lines: each takes the first fact it selects (or its nth; nth last at the end). */
function recapFrom(state: SessionState, fact: Fact): SessionState {
  let recap: (string | null)[] | null = null;
  let progress: BeatProgress[] | null = null;
  for (const line of state.lesson.recap) {
    if (state.recap[line.index] !== null || !selects(line, fact)) continue;
    recap ??= [...state.recap];
    progress ??= [...state.recapProgress];
    const verdict = nthVerdict(line, fact, progress[line.index]!);
    progress[line.index] = { count: progress[line.index]!.count + 1, last: fact };
    if (verdict === "now") recap[line.index] = fillFrom(line.template, fact, lessonKnobs(state.lesson));
  }
  return recap === null ? state : { ...state, recap, recapProgress: progress! };
}

function intendedFrom(c: Counters, fact: Fact): Counters {
  const bytes = fact.values.bytes;
  const call = fact.values.call;
  if (!fact.fact.endsWith(".called") || typeof bytes !== "number" || typeof call !== "string") return c;
  if (callDirection(call) !== "out") return c;
  return { ...c, intended: Math.max(c.intended ?? 0, bytes) };
}

/** Puts the fact on the first beat still waiting for one like it. */
function revealBeats(state: SessionState, fact: Fact): SessionState {
  const caps = capabilities(state);
  const beats = state.lesson.beats;
  const progress = [...state.progress];
  const slots = [...state.slots];
  let changed = false;
  for (const beat of beats) {
    const i = beat.index;
    if (slots[i] !== null) continue;
    const found = trigger(beat, caps);
    if (found === null || !selects(found.selector, fact)) continue;
    const verdict = nthVerdict(found.selector, fact, progress[i]!);
    progress[i] = { count: progress[i]!.count + 1, last: fact };
    changed = true;
    if (verdict === "now") {
      slots[i] = beatView(beat, fact, found, lessonKnobs(state.lesson));
      break;
    }
    // "later" (nth: last) and "no" keep looking: a later beat may want this fact now.
  }
  return changed ? { ...state, progress, slots } : state;
}

/** `nth: last` beats and recap lines: the last match is the one, now that `program` has exited (null: the run ended). */
function settleLast(state: SessionState, program: string | null): SessionState {
  return settleLastBeats(settleLastRecap(state, program), program);
}

function settleLastRecap(state: SessionState, program: string | null): SessionState {
  const recap = [...state.recap];
  let changed = false;
  for (const line of state.lesson.recap) {
    const last = state.recapProgress[line.index]!.last;
    if (recap[line.index] !== null || last === null || line.nth !== "last") continue;
    if (program !== null && line.program !== program) continue;
    recap[line.index] = fillFrom(line.template, last, lessonKnobs(state.lesson));
    changed = true;
  }
  return changed ? { ...state, recap } : state;
}

function settleLastBeats(state: SessionState, program: string | null): SessionState {
  const caps = capabilities(state);
  const slots = [...state.slots];
  let changed = false;
  for (const beat of state.lesson.beats) {
    const last = state.progress[beat.index]!.last;
    const found = trigger(beat, caps);
    if (slots[beat.index] !== null || last === null || found?.selector.nth !== "last") continue;
    // Without a program filter, any program could still add a later match: only the run's end settles it.
    if (program !== null && found.selector.program !== program) continue;
    slots[beat.index] = beatView(beat, last, found, lessonKnobs(state.lesson));
    changed = true;
  }
  return changed ? { ...state, slots } : state;
}

/** Shows beats in lesson order up to the first one still waiting; passes those this machine cannot show. */
function advance(state: SessionState): SessionState {
  const beats = state.lesson.beats;
  const caps = capabilities(state);
  const shown = [...state.beats];
  const slots = [...state.slots];
  while (shown.length < beats.length) {
    const beat: Beat = beats[shown.length]!;
    if (!slots[beat.index] && trigger(beat, caps) === null) slots[beat.index] = unobservableView(beat, caps, state.now);
    const view = slots[beat.index];
    if (!view) break;
    shown.push(view);
  }
  return shown.length === state.beats.length ? state : { ...state, slots, beats: shown };
}
