// The fact detector on observation streams recorded from real runs
// (test/fixtures/observations/record.ts), and on small hand-made streams for
// the edges a recording rarely shows. Expected values are computed here from
// the raw observations, not copied from the detector's output.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { detectFacts } from "../../src/facts/detect.ts";
import type { Fact } from "../../src/facts/types.ts";
import type { Observation } from "../../src/observations.ts";
import type { ProcSample } from "../../src/probe/types.ts";

const DATA_BYTES = 10 * 1024 * 1024 * "Hello Python\n".length; // 136,314,880

function recording(id: string): Observation[] {
  const text = readFileSync(new URL(`../fixtures/observations/${id}.ndjson`, import.meta.url), "utf8");
  return text.trim().split("\n").map((line) => JSON.parse(line) as Observation);
}

function expected(id: string): { fact: string; values: Fact["values"] }[] {
  return JSON.parse(readFileSync(new URL(`../fixtures/observations/${id}.facts.json`, import.meta.url), "utf8"));
}

function one(facts: Fact[], name: string, program?: string): Fact {
  const found = facts.filter((f) => f.fact === name && (program === undefined || f.values.program === program));
  assert.equal(found.length, 1, `exactly one ${name}${program ? ` of ${program}` : ""}, got ${found.length}`);
  return found[0]!;
}

function order(facts: Fact[], names: string[]): void {
  const positions = names.map((name) => facts.findIndex((f) => f.fact === name));
  for (const [i, pos] of positions.entries()) assert.ok(pos >= 0, `${names[i]} missing`);
  assert.deepEqual([...positions].sort((a, b) => a - b), positions, `order: ${names.join(" < ")}`);
}

test("blocking-send recording: the facts of the issue, in order", () => {
  const facts = detectFacts(recording("blocking-send"));
  order(facts, [
    "accept.waiting",
    "send.called",
    "sendq.filled",
    "send.blocked",
    "send.woke",
    "send.returned",
    "recv.total",
  ]);
  assert.equal(one(facts, "send.called").values.bytes, DATA_BYTES);
  assert.equal(one(facts, "send.returned").values.sent, DATA_BYTES);
  assert.equal(one(facts, "recv.total").values.bytes, DATA_BYTES);
  assert.equal(one(facts, "send.blocked").values.syscall, "sendto");
  for (const program of ["client", "server"]) assert.equal(one(facts, "program.exited", program).values.code, 0);
});

test("blocking-send recording: sendq.filled's peak is the highest SIOCOUTQ sampled before the sleep", () => {
  const observations = recording("blocking-send");
  const facts = detectFacts(observations);
  const called = one(facts, "send.called");
  const filled = one(facts, "sendq.filled");
  let peak = 0;
  let limit: number | undefined;
  for (const obs of observations) {
    if (obs.kind !== "trace" || obs.program !== "client" || obs.event.ev !== "sample") continue;
    if (obs.event.t < called.t || obs.event.t > filled.t) continue;
    for (const s of obs.event.socks) {
      peak = Math.max(peak, s.sndq ?? 0);
      limit = s.sndbuf ?? limit;
    }
  }
  assert.ok(peak > 100_000, `peak ${peak}`);
  assert.equal(filled.values.peak, peak);
  assert.equal(filled.values.limit, limit);
});

test("blocking-send recording: send.blocked rests on a /proc sample showing the client asleep in sendto", () => {
  const observations = recording("blocking-send");
  const blocked = one(detectFacts(observations), "send.blocked");
  const sample = observations.find((o) => o.kind === "proc" && o.t === blocked.t && o.program === "client");
  assert.ok(sample && sample.kind === "proc");
  assert.equal(sample.sample.state, "S");
  assert.deepEqual(sample.sample.syscall.kind === "in-syscall" && sample.sample.syscall.name, "sendto");
  assert.equal(blocked.values.wchan, sample.sample.wchan);
});

test("non-blocking-send recording: a partial send, all of it received, the rest lost", () => {
  const facts = detectFacts(recording("non-blocking-send"));
  const returned = one(facts, "send.returned");
  const sent = returned.values.sent as number;
  assert.ok(sent > 0 && sent < DATA_BYTES, `sent ${sent}`);
  assert.ok((returned.values.ms as number) < 100, `ms ${returned.values.ms}`);
  assert.equal(one(facts, "recv.total").values.bytes, sent);
  assert.deepEqual(one(facts, "data.lost").values, {
    intended: DATA_BYTES,
    sent,
    received: sent,
    lost: DATA_BYTES - sent,
  });
  assert.equal(facts.filter((f) => f.fact === "send.blocked").length, 0);
});

test("cancel-connect recording: connect blocks in connect(), the deadline cancels, nothing is accepted", () => {
  const facts = detectFacts(recording("cancel-connect"));
  order(facts, ["listen.ready", "connect.blocked", "would_block", "connect.cancelled"]);
  assert.equal(one(facts, "connect.blocked").values.syscall, "connect");
  assert.equal(one(facts, "would_block").values.errno, "EINPROGRESS");
  const cancelled = one(facts, "connect.cancelled");
  assert.ok((cancelled.values.after_ms as number) >= 2000, `after ${cancelled.values.after_ms} ms`);
  assert.equal(facts.filter((f) => f.fact === "accept.returned").length, 0);
  assert.equal(one(facts, "program.exited", "blocking").values.signal, "SIGTERM");
});

test("recordings: the detector still finds what it found when they were recorded", () => {
  for (const id of ["blocking-send", "non-blocking-send", "cancel-connect"]) {
    const facts = detectFacts(recording(id)).map((f) => ({ fact: f.fact, values: f.values }));
    assert.deepEqual(facts, expected(id), id);
  }
});

// Hand-made streams for the edges.
const sleeping = (syscall: ProcSample["syscall"], wchan: string | null = "wait_woken"): ProcSample => ({
  pid: 7,
  state: "S",
  wchan,
  syscall,
});
const inSendto: ProcSample["syscall"] = { kind: "in-syscall", nr: 44, name: "sendto" };
const sendCall: Observation = {
  kind: "trace",
  t: 10,
  program: "client",
  event: { ev: "call", id: 1, fn: "send", fd: 3, line: 19, t: 10, bytes: 1000 },
};
const sockSample = (t: number, sndq: number): Observation => ({
  kind: "trace",
  t,
  program: "client",
  event: { ev: "sample", t, in: { fn: "send", line: 19, since: 10, fd: 3 }, socks: [{ fd: 3, sndq, sndbuf: 4096 }] },
});
const proc = (t: number, sample: ProcSample): Observation => ({ kind: "proc", t, program: "client", sample });
const sendRet = (t: number, result: number): Observation => ({
  kind: "trace",
  t,
  program: "client",
  event: { ev: "ret", id: 1, fn: "send", fd: 3, line: 19, t, ms: t - 10, result },
});

test("asleep in sendto before any socket sample: no guess at the queue, the facts wait for it", () => {
  const facts = detectFacts([
    sendCall,
    proc(12, sleeping(inSendto)),
    sockSample(14, 3000),
    proc(16, sleeping(inSendto)),
  ]);
  assert.deepEqual(facts.map((f) => [f.fact, f.t]), [["send.called", 10], ["sendq.filled", 16], ["send.blocked", 16]]);
  assert.deepEqual(facts[1]!.values, { program: "client", peak: 3000, limit: 4096 });
});

test("a hidden wchan is reported as unknown (null), not made up", () => {
  const facts = detectFacts([sendCall, sockSample(11, 10), proc(12, sleeping(inSendto, null))]);
  assert.equal(one(facts, "send.blocked").values.wchan, null);
});

test("without /proc/PID/syscall there is no send.blocked: sleeping alone does not say where", () => {
  const facts = detectFacts([
    sendCall,
    sockSample(11, 10),
    proc(12, sleeping({ kind: "unknown", why: "EACCES" })),
    sendRet(20, 1000),
  ]);
  assert.deepEqual(facts.map((f) => f.fact), ["send.called", "send.returned"]);
});

test("woken between samples: the return itself is the evidence of the wake-up", () => {
  const facts = detectFacts([sendCall, sockSample(11, 10), proc(12, sleeping(inSendto)), sendRet(30, 1000)]);
  const woke = one(facts, "send.woke");
  assert.equal(woke.values.asleep_ms, 18);
  assert.equal(woke.evidence[0]!.source, "trace");
  assert.equal(one(facts, "send.returned").values.sleeps, 1);
});

test("a running sample after a sleep is a wake; each new sleep is counted", () => {
  const running: ProcSample = { pid: 7, state: "R", wchan: null, syscall: { kind: "running" } };
  const facts = detectFacts([
    sendCall,
    sockSample(11, 10),
    proc(12, sleeping(inSendto)),
    proc(14, running),
    proc(16, sleeping(inSendto)),
    sendRet(20, 1000),
  ]);
  assert.equal(one(facts, "send.woke").t, 14);
  assert.equal(one(facts, "send.returned").values.sleeps, 2);
});

test("data.lost needs both the short send and the receiver's total, in either order", () => {
  const recvEof: Observation = {
    kind: "trace",
    t: 40,
    program: "server",
    event: { ev: "ret", id: null, fn: "recv", fd: 5, line: 21, t: 40, ms: 0.1, bytes: 0, received: 600 },
  };
  const before = detectFacts([sendCall, sendRet(20, 600), recvEof]);
  const after = detectFacts([recvEof, sendCall, sendRet(20, 600)]);
  for (const facts of [before, after]) {
    assert.deepEqual(one(facts, "data.lost").values, { intended: 1000, sent: 600, received: 600, lost: 400 });
  }
  assert.equal(detectFacts([sendCall, sendRet(20, 1000), recvEof]).filter((f) => f.fact === "data.lost").length, 0);
});

test("a program that crashes: program.exited carries its stderr; one stopped by the lesson does not", () => {
  const facts = detectFacts([
    {
      kind: "output",
      t: 1,
      program: "server",
      stream: "stderr",
      bytes: 60,
      tail: ["OSError: [Errno 98] Address already in use"],
    },
    { kind: "exited", t: 2, program: "server", pid: 7, code: 1, signal: null, stoppedBy: null },
    { kind: "exited", t: 3, program: "client", pid: 8, code: null, signal: "SIGTERM", stoppedBy: "lesson over" },
  ]);
  assert.equal(one(facts, "program.exited", "server").values.stderr, "OSError: [Errno 98] Address already in use");
  assert.equal(one(facts, "program.exited", "client").values.stderr, "");
});
