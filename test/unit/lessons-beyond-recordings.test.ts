// The lessons beyond the tutorial on their recorded runs (test/fixtures/
// recordings): the facts are detected afresh from the recorded observations
// (not read from the recording), every beat of the shipped lesson is told from
// them, and the numbers that carry each lesson are checked against the raw
// observations they rest on.
import assert from "node:assert/strict";
import { test } from "node:test";
import { FactDetector } from "../../src/facts/detect.ts";
import type { Fact } from "../../src/facts/types.ts";
import type { Observation } from "../../src/observations.ts";
import { createSession, reduceSession, type SessionState } from "../../src/session/session.ts";
import type { TraceEvent } from "../../src/trace/events.ts";
import { lessonById, recordedObservations } from "../helpers/recordings.ts";

const TENTH_BYTES = "Hello Python\n".length * 1024 * 1024;
const TUTORIAL_BYTES = TENTH_BYTES * 10;

interface Replayed {
  readonly observations: Observation[];
  readonly facts: Fact[];
  readonly state: SessionState;
}

/** The observations through a fresh detector and the session, in the runner's order. */
function replayDetected(id: string): Replayed {
  const observations = recordedObservations(id);
  const detector = new FactDetector();
  const facts: Fact[] = [];
  let state = createSession(lessonById(id));
  for (const obs of observations) {
    state = reduceSession(state, { type: "observation", obs });
    for (const fact of detector.push(obs)) {
      facts.push(fact);
      state = reduceSession(state, { type: "fact", fact });
    }
  }
  return { observations, facts, state };
}

function everyBeatTold({ state }: Replayed): void {
  const missing = state.slots.flatMap((slot, i) => (slot === null ? [i] : []));
  assert.deepEqual(missing, [], "beats never told");
  for (const slot of state.slots) assert.equal(slot!.unobservable, null, `beat ${slot!.index}`);
  assert.equal(state.beats.length, state.lesson.beats.length);
}

type TraceOf<E extends TraceEvent["ev"]> = Extract<TraceEvent, { ev: E }>;

function trace<E extends TraceEvent["ev"]>(obs: Observation[], program: string, ev: E): TraceOf<E>[] {
  return obs.flatMap((o) =>
    o.kind === "trace" && o.program === program && o.event.ev === ev ? [o.event as TraceOf<E>] : []
  );
}

function factOf(facts: Fact[], name: string, program?: string): Fact[] {
  return facts.filter((f) => f.fact === name && (program === undefined || f.values.program === program));
}

test("blocking-recv recording: every beat; recv() asleep in recvfrom per /proc, 13 bytes after the client's 2 s", () => {
  const r = replayDetected("blocking-recv");
  everyBeatTold(r);
  const recvRet = trace(r.observations, "server", "ret").find((e) => e.call === "recv")!;
  assert.equal(recvRet.bytes, "Hello Python\n".length);
  assert.ok(recvRet.ms >= 1900, `recv() ${recvRet.ms} ms`);
  const blocked = factOf(r.facts, "recv.blocked", "server")[0]!;
  const sample = r.observations.find((o) => o.kind === "proc" && o.program === "server" && o.t === blocked.t);
  assert.ok(sample?.kind === "proc" && sample.sample.state === "S");
  assert.ok(sample.sample.syscall.kind === "in-syscall" && sample.sample.syscall.name === "recvfrom");
});

test("send-all recording: every beat; the loop's first send() took part, the rest went in more calls", () => {
  const r = replayDetected("send-all");
  everyBeatTold(r);
  const sends = trace(r.observations, "loop", "ret").filter((e) => e.call === "send");
  assert.ok(sends[0]!.bytes! > 0 && sends[0]!.bytes! < TUTORIAL_BYTES);
  const calls = Math.max(...sends.map((e) => e.nth));
  assert.ok(calls >= 3);
  const last = r.state.slots.find((s) => s?.title === "The last send()")!;
  assert.match(last.text, new RegExp(`It took ${calls} send\\(\\) calls`));
  for (const t of factOf(r.facts, "transfer.ended").filter((f) => f.values.to === "server")) {
    assert.deepEqual([t.values.received, t.values.lost], [TUTORIAL_BYTES, 0]);
  }
});

test("select-writable recording: every beat; the busy client's CPU at exit is over 5 x the select client's", () => {
  const r = replayDetected("select-writable");
  everyBeatTold(r);
  const cpuAtExit = (program: string) => trace(r.observations, program, "exit")[0]!.cpu_ms!;
  const [busy, select, selectors] = [cpuAtExit("busy"), cpuAtExit("select"), cpuAtExit("selectors")];
  assert.ok(busy >= 5 * select && busy >= 5 * selectors, `busy ${busy}, select ${select}, selectors ${selectors}`);
  for (const [program, cpu] of [["busy", busy], ["select", select]] as const) {
    assert.equal(factOf(r.facts, "program.exited", program)[0]!.values.cpu_ms, cpu);
  }
  for (const program of ["busy", "select", "selectors"]) {
    const t = factOf(r.facts, "transfer.ended").find((f) => f.values.from === program)!;
    assert.deepEqual([t.values.received, t.values.lost], [TENTH_BYTES, 0], program);
  }
});

test("timeouts recording: every beat; both deadlines raised TimeoutError after 2 s, the blocking recv() never returned", () => {
  const r = replayDetected("timeouts");
  everyBeatTold(r);
  const errs = trace(r.observations, "timeout", "err");
  const timeouts = errs.filter((e) => e.exc === "TimeoutError");
  assert.deepEqual(timeouts.map((e) => e.call), ["recv", "connect"]);
  for (const e of timeouts) assert.ok(e.ms >= 2000 && e.ms < 2300, `${e.call} ${e.ms} ms`);
  assert.ok(errs.some((e) => e.call === "recv" && e.errno === "EAGAIN" && e.ms < 50));
  assert.equal(trace(r.observations, "blocking", "ret").filter((e) => e.call === "recv").length, 0);
});

test("one-at-a-time-vs-selectors recording: every beat; greeted at once by selectors, queued behind the blocking server", () => {
  const r = replayDetected("one-at-a-time-vs-selectors");
  everyBeatTold(r);
  const greetings = (nth: number) =>
    ["client-1", "client-2", "client-3"].map((c) =>
      trace(r.observations, c, "ret").find((e) => e.call === "recv" && e.nth === nth)!
    ).sort((a, b) => a.t - b.t);
  for (const g of greetings(1)) assert.ok(g.ms < 300, `selectors: ${g.ms} ms`);
  const waits = greetings(5).map((g) => g.ms);
  assert.ok(waits[1]! >= 800 && waits[2]! >= 1600, `blocking: ${waits.join(", ")} ms`);
});

test("slow-reader recording: every beat; the window closed at the first sample showing 0, with the queue full", () => {
  const r = replayDetected("slow-reader");
  everyBeatTold(r);
  const samples = trace(r.observations, "receiver", "sample").flatMap((s) =>
    s.socks.filter((k) => k.state === "ESTABLISHED").map((k) => ({ t: s.t, k }))
  );
  const zero = samples.find((s) => s.k.rcv_wnd === 0)!;
  const closed = factOf(r.facts, "window.closed", "receiver")[0]!;
  assert.equal(closed.t, zero.t);
  assert.ok(zero.k.rcvq! >= zero.k.rcvbuf! / 2, `queued ${zero.k.rcvq} of ${zero.k.rcvbuf}`);
  const sendall = trace(r.observations, "sender", "ret").find((e) => e.call === "sendall")!;
  assert.equal(sendall.bytes, TENTH_BYTES);
});
