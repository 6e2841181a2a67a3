// The fact detector on recordings of real runs (test/fixtures/recordings), and
// on small hand-made streams for the edges a recording rarely shows. What a
// test expects is computed here from the raw observations or from the lesson
// programs themselves, never copied from the detector's output.
import assert from "node:assert/strict";
import { test } from "node:test";
import { FactDetector } from "../../src/facts/detect.ts";
import type { Fact } from "../../src/facts/types.ts";
import type { Observation } from "../../src/observations.ts";
import type { ProcSample } from "../../src/probe/types.ts";
import type { InCall, SocketTotals, TraceEvent } from "../../src/trace/events.ts";
import { recordedObservations } from "../helpers/recordings.ts";

/** The whole stream through one detector, as the runner feeds it. */
function detectFacts(observations: Iterable<Observation>): Fact[] {
  const detector = new FactDetector();
  return [...observations].flatMap((obs) => detector.push(obs));
}

/** block_client.py's data: "Hello Python\n" * 10 * 1024 * 1024. */
const DATA_BYTES = 10 * 1024 * 1024 * "Hello Python\n".length; // 136,314,880

function all(facts: Fact[], name: string, program?: string): Fact[] {
  return facts.filter((f) => f.fact === name && (program === undefined || f.values.program === program));
}

function one(facts: Fact[], name: string, program?: string): Fact {
  const found = all(facts, name, program);
  assert.equal(found.length, 1, `exactly one ${name}${program ? ` of ${program}` : ""}, got ${found.length}`);
  return found[0]!;
}

function order(facts: Fact[], names: string[]): void {
  const positions = names.map((name) => facts.findIndex((f) => f.fact === name));
  for (const [i, pos] of positions.entries()) assert.ok(pos >= 0, `${names[i]} missing`);
  assert.deepEqual([...positions].sort((a, b) => a - b), positions, `order: ${names.join(" < ")}`);
}

type TraceOf<E extends TraceEvent["ev"]> = Extract<TraceEvent, { ev: E }>;

function traceEvents<E extends TraceEvent["ev"]>(obs: Observation[], program: string, ev: E): TraceOf<E>[] {
  return obs.flatMap((
    o,
  ) => (o.kind === "trace" && o.program === program && o.event.ev === ev ? [o.event as TraceOf<E>] : []));
}

test("blocking-send recording: the facts of the lesson, in order", () => {
  const facts = detectFacts(recordedObservations("blocking-send"));
  order(facts, [
    "accept.called",
    "send.called",
    "send.blocked",
    "send.woke",
    "send.returned",
    "peer.closed",
    "transfer.ended",
  ]);
  assert.ok(facts.findIndex((f) => f.fact === "sendq.filled") < facts.findIndex((f) => f.fact === "send.returned"));
  assert.equal(one(facts, "send.called").values.bytes, DATA_BYTES);
  assert.equal(one(facts, "send.returned").values.bytes, DATA_BYTES);
  assert.equal(one(facts, "send.blocked").values.syscall, "sendto");
  for (const program of ["client", "server"]) assert.equal(one(facts, "program.exited", program).values.code, 0);
});

test("blocking-send recording: send.returned carries the kernel's counts of that call, not samples", () => {
  const observations = recordedObservations("blocking-send");
  const returned = one(detectFacts(observations), "send.returned");
  const raw = traceEvents(observations, "client", "ret").find((e) => e.call === "send")!;
  assert.equal(returned.values.sleeps, raw.sleeps);
  assert.equal(returned.values.cpu_ms, raw.cpu_ms);
  // A blocking send of 130 MiB through a 4 MiB buffer sleeps many times and is mostly off a CPU.
  assert.ok((returned.values.sleeps as number) >= 10, `sleeps ${returned.values.sleeps}`);
  assert.ok((returned.values.cpu_ms as number) < (returned.values.ms as number) / 5);
  const procSleeps = observations.filter((o) =>
    o.kind === "proc" && o.program === "client" && o.sample.state === "S" &&
    o.t >= returned.t - (returned.values.ms as number) &&
    o.t <= returned.t
  ).length;
  assert.ok(procSleeps > 0, "the 50 Hz probe saw it asleep at least once");
});

test("blocking-send recording: send.blocked rests on a /proc sample inside the traced call", () => {
  const observations = recordedObservations("blocking-send");
  const facts = detectFacts(observations);
  const blocked = one(facts, "send.blocked");
  const sample = observations.find((o) => o.kind === "proc" && o.t === blocked.t && o.program === "client");
  assert.ok(sample && sample.kind === "proc");
  assert.equal(sample.sample.state, "S");
  assert.equal(sample.sample.syscall.kind === "in-syscall" && sample.sample.syscall.name, "sendto");
  const call = traceEvents(observations, "client", "call").find((e) => e.call === "send")!;
  const ret = traceEvents(observations, "client", "ret").find((e) => e.call === "send")!;
  assert.ok(call.t <= blocked.t && blocked.t <= ret.t, "the sample falls between send()'s call and return");
  const woke = one(facts, "send.woke");
  assert.ok(woke.t > blocked.t && woke.t <= ret.t);
});

test("blocking-send recording: sendq.filled comes when the queue, at least half full, stops growing", () => {
  const observations = recordedObservations("blocking-send");
  const filled = one(detectFacts(observations), "sendq.filled", "client");
  // Every reading of the client's socket, in the order they came: the sampler's, and those with a call's return.
  const readings = observations.flatMap((o) => {
    if (o.kind !== "trace" || o.program !== "client") return [];
    const ev = o.event;
    if (ev.ev === "sample") return ev.socks.map((s) => ({ t: ev.t, s }));
    if (ev.ev === "ret" && ev.sample) return [{ t: ev.t, s: ev.sample }];
    return [];
  }).filter(({ s }) => s.sndq !== undefined && s.sndbuf !== undefined);
  const half = readings.findIndex(({ s }) => s.sndq! >= s.sndbuf! / 2);
  const top = readings.findIndex(({ s }, i) => i > half && s.sndq! <= readings[i - 1]!.s.sndq!);
  assert.ok(half >= 0 && top > half, "the queue rose past half and then stopped growing");
  const peak = Math.max(...readings.slice(0, top + 1).map(({ s }) => s.sndq!));
  assert.equal(filled.values.peak, peak);
  assert.equal(filled.t, readings[top]!.t);
  // Its evidence also dates the first reading within 5% of the peak, on the climb past half full.
  const near = readings.findIndex(({ s }, i) => i >= half && s.sndq! >= 0.95 * peak);
  assert.ok(near >= half && near < top);
  assert.equal(filled.evidence[0]!.t, readings[near]!.t);
  assert.equal(filled.values.limit, readings[top]!.s.sndbuf);
});

test("blocking-send recording: peer.closed and transfer.ended count what the programs' calls moved", () => {
  const observations = recordedObservations("blocking-send");
  const facts = detectFacts(observations);
  const closed = one(facts, "peer.closed", "server");
  // Every recv() the server made: reported one by one, summarised, and the last (0 bytes).
  const rets = traceEvents(observations, "server", "ret").filter((e) => e.call === "recv" && e.run_calls === undefined);
  const sums = traceEvents(observations, "server", "sum").filter((e) => e.call === "recv");
  const calls = rets.length + sums.reduce((n, s) => n + s.calls, 0);
  const bytes = rets.reduce((n, e) => n + (e.bytes ?? 0), 0) + sums.reduce((n, s) => n + s.bytes, 0);
  assert.equal(closed.values.bytes, DATA_BYTES);
  assert.equal(bytes, DATA_BYTES);
  assert.equal(closed.values.calls, calls);
  const transfer = one(facts, "transfer.ended");
  assert.deepEqual(transfer.values, {
    from: "client",
    to: "server",
    intended: DATA_BYTES,
    sent: DATA_BYTES,
    received: DATA_BYTES,
    lost: 0,
  });
});

test("non-blocking-send recording: a short send, and the rest lost", () => {
  const observations = recordedObservations("non-blocking-send");
  const facts = detectFacts(observations);
  const raw = traceEvents(observations, "client", "ret").find((e) => e.call === "send")!;
  const sent = raw.result!;
  assert.ok(sent > 0 && sent < DATA_BYTES, `sent ${sent}`);
  const returned = one(facts, "send.returned");
  assert.equal(returned.values.mode, "non-blocking");
  assert.equal(returned.values.asked, DATA_BYTES);
  assert.equal(returned.values.sleeps, 0);
  assert.equal(all(facts, "send.blocked").length, 0);
  assert.deepEqual(one(facts, "transfer.ended").values, {
    from: "client",
    to: "server",
    intended: DATA_BYTES,
    sent,
    received: sent,
    lost: DATA_BYTES - sent,
  });
});

test("cancel-connect recording: the blocked connect, a full accept queue, the deadline and the cancel", () => {
  const observations = recordedObservations("cancel-connect");
  const facts = detectFacts(observations);
  const blocked = one(facts, "connect.blocked", "blocking");
  const sample = observations.find((o) => o.kind === "proc" && o.t === blocked.t && o.program === "blocking");
  assert.ok(sample?.kind === "proc" && sample.sample.syscall.kind === "in-syscall");
  assert.equal(sample.sample.syscall.name, "connect");
  const queue = one(facts, "acceptq.filled", "server");
  assert.deepEqual([queue.values.peak, queue.values.limit], [1, 1]); // listen(0) holds one
  assert.equal(one(facts, "connect_ex.returned", "stopper").values.errno, "EINPROGRESS");
  const select = one(facts, "select.returned", "stopper");
  assert.equal(select.values.result, 0);
  assert.equal(select.values.timeout_s, 2);
  assert.ok(Math.abs((select.values.ms as number) - 2000) < 100, `select() ${select.values.ms} ms`);
  const close = one(facts, "close.called", "stopper");
  assert.equal(close.values.state, "SYN_SENT");
  assert.equal(close.values.connected, false);
});

// ---------------------------------------------------------------------------
// Hand-made streams.

function trace(program: string, event: TraceEvent): Observation {
  return { kind: "trace", t: "t" in event ? event.t : 0, program, event };
}
function proc(program: string, t: number, state: string, syscall: string | null): Observation {
  const sample: ProcSample = {
    pid: 1,
    state,
    wchan: state === "S" ? "wait_woken" : null,
    syscall: syscall === null ? { kind: "running" } : { kind: "in-syscall", nr: 0, name: syscall },
  };
  return { kind: "proc", t, program, sample };
}
function inCall(call: string, nth: number, since: number, extra: Partial<InCall> = {}): InCall {
  return { call, line: 5, since, fd: 3, nth, id: null, timeout_s: null, mode: "blocking", ...extra };
}
function sample(t: number, inside: InCall | null): TraceEvent {
  return { ev: "sample", t, in: inside, socks: [] };
}
function callEvent(id: number, call: string, t: number, extra: Partial<TraceOf<"call">> = {}): TraceOf<"call"> {
  return {
    ev: "call",
    id,
    call,
    fd: 3,
    line: 5,
    t,
    nth: id,
    timeout_s: null,
    mode: "blocking",
    bytes: null,
    fields: {},
    ...extra,
  };
}
function retEvent(id: number | null, call: string, t: number, extra: Partial<TraceOf<"ret">> = {}): TraceOf<"ret"> {
  return {
    ev: "ret",
    id,
    call,
    fd: 3,
    line: 5,
    t,
    nth: id ?? 1,
    ms: 1,
    result: null,
    bytes: null,
    fields: {},
    ...extra,
  };
}

test("a /proc sample the trace cannot place in a call makes no fact", () => {
  // send() #1 returned at 10; the program was asleep in sendto at 12, in no call the trace knows of.
  const facts = detectFacts([
    trace("c", callEvent(1, "send", 1, { bytes: 100 })),
    trace("c", retEvent(1, "send", 10, { ms: 9, result: 100, bytes: 100, sleeps: 1, cpu_ms: 0.1 })),
    proc("c", 12, "S", "sendto"),
    trace("c", sample(60, null)),
  ]);
  assert.deepEqual(all(facts, "send.blocked"), []);
});

test("a blocked call is told once the trace proves it was still inside: then woke, then returned", () => {
  const facts = detectFacts([
    trace("c", callEvent(1, "send", 1, { bytes: 100 })),
    proc("c", 20, "S", "sendto"), // nothing proves yet that send() #1 is still going
    trace("c", sample(25, inCall("send", 1, 1, { id: 1 }))),
    proc("c", 40, "R", null),
    trace("c", retEvent(1, "send", 50, { ms: 49, result: 100, bytes: 100, sleeps: 3, cpu_ms: 0.4 })),
  ]);
  assert.deepEqual(facts.map((f) => [f.fact, f.t]), [
    ["send.called", 1],
    ["send.blocked", 20],
    ["send.woke", 40],
    ["send.returned", 50],
  ]);
  assert.deepEqual(one(facts, "send.returned").values, {
    program: "c",
    call: "send",
    fd: 3,
    line: 5,
    nth: 1,
    mode: "blocking",
    timeout_s: null,
    ms: 49,
    result: 100,
    bytes: 100,
    asked: 100,
    sleeps: 3,
    cpu_ms: 0.4,
    asleep_ms: null, // the event carried no time asleep
  });
});

test("a hot line: its first blocked call is a fact, with the call's ordinal; later ones are not", () => {
  const facts = detectFacts([
    trace("s", sample(100, inCall("recv", 500, 95))),
    proc("s", 110, "S", "recvfrom"),
    trace("s", sample(140, inCall("recv", 500, 95))),
    trace("s", sample(160, inCall("recv", 800, 150))),
    proc("s", 170, "S", "recvfrom"),
    trace("s", sample(200, inCall("recv", 800, 150))),
  ]);
  const blocked = all(facts, "recv.blocked");
  assert.equal(blocked.length, 1);
  assert.equal(blocked[0]!.values.nth, 500);
  assert.equal(blocked[0]!.t, 110);
});

test("with a timeout set, a call asleep in poll is blocked; a blocking one in poll is not", () => {
  const stream = (mode: "timeout" | "blocking") => [
    trace("c", callEvent(1, "recv", 1, { mode, timeout_s: mode === "timeout" ? 1.5 : null, bytes: 1024 })),
    proc("c", 20, "S", "poll"),
    trace("c", sample(50, inCall("recv", 1, 1, { id: 1, mode, timeout_s: mode === "timeout" ? 1.5 : null }))),
  ];
  const timed = one(detectFacts(stream("timeout")), "recv.blocked");
  assert.equal(timed.values.syscall, "poll");
  assert.equal(timed.values.timeout_s, 1.5);
  assert.deepEqual(all(detectFacts(stream("blocking")), "recv.blocked"), []);
});

test("waiting: still inside after 200 ms, per the tracer alone", () => {
  const facts = detectFacts([
    trace("c", callEvent(1, "connect", 0)),
    trace("c", sample(150, inCall("connect", 1, 0, { id: 1 }))),
    trace("c", sample(210, inCall("connect", 1, 0, { id: 1 }))),
    trace("c", sample(230, inCall("connect", 1, 0, { id: 1 }))),
  ]);
  const waiting = one(facts, "connect.waiting");
  assert.deepEqual([waiting.t, waiting.values.ms], [210, 210]);
});

test("a hot run's last call is a returned fact, its kernel counts not measured", () => {
  const facts = detectFacts([
    trace("s", retEvent(null, "recv", 500, { nth: 4242, ms: 0.01, result: 1024, bytes: 1024, run_calls: 4000 })),
  ]);
  const returned = one(facts, "recv.returned");
  assert.deepEqual([returned.values.nth, returned.values.sleeps, returned.values.cpu_ms], [4242, null, null]);
  assert.match(returned.evidence[0]!.what, /the last of 4000 calls/);
});

test("errors are classed for where: {error: ...}", () => {
  const raise = (errno: string, exc: string) =>
    one(
      detectFacts([trace("c", {
        ev: "err",
        id: 1,
        call: "recv",
        fd: 3,
        line: 9,
        t: 1000,
        nth: 1,
        ms: 1000.4,
        errno,
        exc,
        message: "m",
        sleeps: 1,
        cpu_ms: 0.05,
      })]),
      "recv.raised",
    ).values.error;
  assert.equal(raise("TimeoutError", "TimeoutError"), "timeout");
  assert.equal(raise("EAGAIN", "BlockingIOError"), "would_block");
  assert.equal(raise("ECONNREFUSED", "ConnectionRefusedError"), "refused");
  assert.equal(raise("EPIPE", "BrokenPipeError"), "broken_pipe");
  assert.equal(raise("ECONNRESET", "ConnectionResetError"), "reset");
  assert.equal(raise("EBADF", "OSError"), "other");
});

function totals(sent: number, received: number, unsent = 0): SocketTotals {
  return { sent, received, send_calls: sent ? 1 : 0, recv_calls: received ? 1 : 0, unsent };
}

test("two connections to one server: each transfer is paired by address, not by lesson", () => {
  const closeOf = (id: number, t: number, local: string, peer: string, tot: SocketTotals): TraceOf<"call"> =>
    callEvent(id, "close", t, { totals: tot, local, peer });
  const facts = detectFacts([
    trace("a", closeOf(1, 10, "127.0.0.1:5001", "127.0.0.1:80", totals(100, 0, 50))),
    trace("b", closeOf(1, 11, "127.0.0.1:5002", "127.0.0.1:80", totals(7, 0))),
    trace("srv", closeOf(2, 12, "127.0.0.1:80", "127.0.0.1:5002", totals(0, 7))),
    trace("srv", closeOf(3, 13, "127.0.0.1:80", "127.0.0.1:5001", totals(0, 100))),
  ]);
  assert.deepEqual(all(facts, "transfer.ended").map((f) => f.values), [
    { from: "b", to: "srv", intended: 7, sent: 7, received: 7, lost: 0 },
    { from: "a", to: "srv", intended: 150, sent: 100, received: 100, lost: 50 },
  ]);
});

test("queues: filled once at least half full and no longer growing, drained at empty, once per episode", () => {
  const sock = (t: number, sndq: number) =>
    trace("c", { ev: "sample", t, in: null, socks: [{ fd: 3, sndq, sndbuf: 1000, rcvq: 0, rcvbuf: 1000 }] });
  const gone: TraceEvent = { ev: "gone", fd: 3, t: 7, totals: null, local: null, peer: null };
  const facts = detectFacts([
    sock(1, 100),
    sock(2, 600),
    sock(3, 900),
    sock(4, 300),
    sock(5, 0),
    sock(6, 700),
    trace("c", gone),
  ]);
  assert.deepEqual(facts.map((f) => [f.fact, f.t, f.values.peak]), [
    ["sendq.filled", 4, 900], // half full at 2, still growing at 3, not at 4
    ["sendq.drained", 5, 900],
    ["sendq.filled", 7, 700], // rising when the socket went: as full as it got
  ]);
});

test("program.exited: dated when the app saw it gone, the tracer's CPU count, wall time from spawn", () => {
  const facts = detectFacts([
    { kind: "spawned", t: 5, program: "c", pid: 42 },
    trace("c", { ev: "exit", left: 0, t: 90, cpu_ms: 31.5, sleeps: 12, socks: [] }),
    { kind: "exited", t: 100, program: "c", pid: 42, code: 0, signal: null, stoppedBy: null },
  ]);
  const exited = one(facts, "program.exited");
  assert.deepEqual([exited.t, exited.values.cpu_ms, exited.values.wall_ms, exited.values.signal], [
    100,
    31.5,
    95,
    null,
  ]);
  const killed = one(
    detectFacts([{ kind: "exited", t: 100, program: "c", pid: 42, code: null, signal: "SIGKILL", stoppedBy: "quit" }]),
    "program.exited",
  );
  assert.equal(killed.values.cpu_ms, null); // killed: no exit report, no count
  assert.equal(killed.t, 100); // dated when the app saw it gone
});
