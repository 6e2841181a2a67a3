// <call>.totals: every call of a name counted once, on hand-made streams and
// on recordings of real runs (the expected counts computed from the raw
// trace events, not from the detector).
import assert from "node:assert/strict";
import { test } from "node:test";
import { FactDetector } from "../../src/facts/detect.ts";
import type { Fact } from "../../src/facts/types.ts";
import type { Observation } from "../../src/observations.ts";
import type { TraceEvent } from "../../src/trace/events.ts";
import { recordedObservations } from "../helpers/recordings.ts";

function detect(observations: readonly Observation[]): Fact[] {
  const detector = new FactDetector();
  return observations.flatMap((obs) => detector.push(obs));
}

function trace(t: number, event: TraceEvent): Observation {
  return { kind: "trace", t, program: "client", event };
}

const located = { fd: 3, line: 19 } as const;

function ret(t: number, nth: number, extra: Partial<Extract<TraceEvent, { ev: "ret" }>> = {}): Observation {
  return trace(t, {
    ev: "ret",
    id: nth,
    call: "send",
    ...located,
    t,
    nth,
    ms: 1,
    result: 100,
    bytes: 100,
    fields: {},
    ...extra,
  });
}

function exited(t: number): Observation {
  return { kind: "exited", t, program: "client", pid: 42, code: 0, signal: null, stoppedBy: null };
}

function exitEvent(t: number): Observation {
  return trace(t, { ev: "exit", t, left: 0, cpu_ms: 10, sleeps: 3, ready_ms: 1, socks: [] });
}

const spawned: Observation = { kind: "spawned", t: 0, program: "client", pid: 42 };

test("full calls, hot sums and errors are each counted once; a hot run's last call is not counted again", () => {
  const facts = detect([
    spawned,
    ret(1, 1, { sleeps: 2, cpu_ms: 0.5 }),
    ret(2, 2, { sleeps: 0, cpu_ms: 0.25 }),
    trace(3, {
      ev: "err",
      id: null,
      call: "send",
      ...located,
      t: 3,
      nth: 3,
      ms: 0.1,
      errno: "EAGAIN",
      exc: "BlockingIOError",
      message: "x",
      sleeps: 0,
      cpu_ms: 0.1,
    }),
    trace(4, {
      ev: "sum",
      call: "send",
      ...located,
      t: 4,
      calls: 10,
      bytes: 700,
      ms: 5,
      last: 13,
      errors: { EAGAIN: 3 },
      sleeps: 1,
      cpu_ms: 2,
    }),
    ret(5, 13, { id: null, run_calls: 10 }), // the hot run's last call, already in the sum
    exitEvent(6),
    exited(7),
  ]);
  const totals = facts.filter((f) => f.fact === "send.totals");
  assert.equal(totals.length, 1);
  const v = totals[0]!.values;
  assert.equal(v.calls, 13);
  assert.equal(v.raised, 4);
  assert.equal(v.bytes, 900);
  assert.equal(v.sleeps, 3);
  assert.equal(v.cpu_ms, 2.85);
  assert.equal(v.complete, true);
  const exit = facts.find((f) => f.fact === "program.exited")!;
  assert.ok(facts.indexOf(totals[0]!) < facts.indexOf(exit), "the totals come before the program's exit");
  assert.equal(exit.values.sleeps, 3);
  assert.equal(exit.values.ready_ms, 1);
});

test("one summary without kernel counts makes sleeps and cpu_ms unknown, not smaller", () => {
  const facts = detect([
    spawned,
    ret(1, 1, { sleeps: 5, cpu_ms: 1 }),
    trace(2, { ev: "sum", call: "send", ...located, t: 2, calls: 4, bytes: 400, ms: 1, last: 5 }),
    exited(3), // no exit event: stopped from outside
  ]);
  const v = facts.find((f) => f.fact === "send.totals")!.values;
  assert.equal(v.calls, 5);
  assert.equal(v.sleeps, null);
  assert.equal(v.cpu_ms, null);
  assert.equal(v.complete, false);
});

test("recordings: recv.totals of each program counts what its trace events say", () => {
  for (const name of ["blocking-send", "non-blocking-send", "cancel-connect"]) {
    const observations = recordedObservations(name);
    const facts = detect(observations);
    const expected = new Map<string, { calls: number; bytes: number }>();
    for (const obs of observations) {
      if (obs.kind !== "trace") continue;
      const ev = obs.event;
      const key = `${obs.program}|${"call" in ev ? ev.call : ""}`;
      const e = expected.get(key) ?? { calls: 0, bytes: 0 };
      if (ev.ev === "sum") expected.set(key, { calls: e.calls + ev.calls, bytes: e.bytes + ev.bytes });
      else if (ev.ev === "err") expected.set(key, { ...e, calls: e.calls + 1 });
      else if (ev.ev === "ret" && ev.run_calls === undefined) {
        expected.set(key, { calls: e.calls + 1, bytes: e.bytes + (ev.bytes ?? 0) });
      }
    }
    const totals = facts.filter((f) => f.fact.endsWith(".totals"));
    assert.ok(totals.length > 0, name);
    for (const fact of totals) {
      const key = `${fact.values.program}|${fact.values.call}`;
      assert.deepEqual(
        { calls: fact.values.calls, bytes: fact.values.bytes },
        expected.get(key) ?? { calls: 0, bytes: 0 },
        `${name}: ${key}`,
      );
    }
    assert.equal(totals.length, expected.size, `${name}: one totals fact per program and call`);
  }
});

test("recording of blocking-send: the server's recv() calls add up to every byte the client sent", () => {
  const facts = detect(recordedObservations("blocking-send"));
  const recv = facts.find((f) => f.fact === "recv.totals" && f.values.program === "server")!;
  const sent = facts.find((f) => f.fact === "send.returned" && f.values.program === "client")!;
  assert.equal(recv.values.bytes, sent.values.bytes);
});
