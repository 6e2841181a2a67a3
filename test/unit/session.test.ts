// The session reducer and the plain reporter on a real recording.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { detectFacts } from "../../src/facts/detect.ts";
import { defaultLessonsDir, loadLesson } from "../../src/lessons/load.ts";
import type { Observation } from "../../src/observations.ts";
import { PlainReporter } from "../../src/report/plain.ts";
import { createSession, reduceSession, type SessionState } from "../../src/session/session.ts";

function lesson(id: string) {
  const loaded = loadLesson(defaultLessonsDir(), id);
  assert.ok("lesson" in loaded);
  return loaded.lesson;
}

function replay(id: string, onState?: (s: SessionState) => void): SessionState {
  const observations = readFileSync(new URL(`../fixtures/observations/${id}.ndjson`, import.meta.url), "utf8")
    .trim().split("\n").map((l) => JSON.parse(l) as Observation);
  let state = createSession(lesson(id));
  const facts = detectFacts(observations);
  let next = 0;
  for (const obs of observations) {
    state = reduceSession(state, { type: "observation", obs });
    while (next < facts.length && facts[next]!.t <= obs.t) {
      state = reduceSession(state, { type: "fact", fact: facts[next++]! });
    }
    onState?.(state);
  }
  while (next < facts.length) state = reduceSession(state, { type: "fact", fact: facts[next++]! });
  return state;
}

test("blocking-send: every beat is reached, in lesson order, with the measured numbers", () => {
  const state = replay("blocking-send");
  assert.equal(state.beats.length, state.lesson.beats.length);
  assert.deepEqual(state.beats.map((b) => b.index), state.lesson.beats.map((_, i) => i));
  assert.match(state.beats[3]!.text, /sock\.send\(data\) with 136,314,880 bytes \(130\.0 MiB\)/);
  assert.deepEqual(state.counters, { intended: 136_314_880, handed: 136_314_880, delivered: 136_314_880 });
  assert.ok(state.lanes.every((l) => l.status === "exited" && l.exit?.code === 0));
  assert.equal(state.lanes.find((l) => l.name === "server")!.stdout.tail.at(-1), "All Data Received");
});

test("the gauges keep the highest send queue seen", () => {
  let highestSample = 0;
  let shownPeak = 0;
  replay("blocking-send", (s) => {
    const g = s.sockets.find((x) => x.program === "client");
    if (!g) return;
    highestSample = Math.max(highestSample, g.sndq ?? 0);
    shownPeak = g.peakSndq;
  });
  assert.ok(highestSample > 100_000);
  assert.equal(shownPeak, highestSample);
});

test("a beat waits for the ones before it; facts out of order are held, not lost", () => {
  const l = lesson("non-blocking-send");
  let state = createSession(l);
  const fact = (name: string, values: Record<string, number | string | null>, t: number) =>
    reduceSession(state, { type: "fact", fact: { fact: name as never, t, values, evidence: [] } });
  state = fact("send.called", { program: "client", bytes: 10, line: 19 }, 5);
  assert.equal(state.beats.length, 0);
  state = fact("accept.waiting", { program: "server", line: 17 }, 1);
  assert.equal(state.beats.length, 1);
  state = fact("program.started", { program: "client", pid: 42 }, 2);
  assert.deepEqual(state.beats.map((b) => b.index), [0, 1, 2]);
});

test("plain reporter: the walkthrough of a real run, and unobserved beats named at the end", () => {
  const lines: string[] = [];
  const reporter = new PlainReporter((l) => lines.push(l));
  const state = replay("non-blocking-send", (s) => reporter.update(s));
  reporter.finish(state, []);
  const text = lines.join("\n");
  assert.match(text, /^Non-blocking send\n=+\n/);
  assert.match(text, /\[7\] But most of the data was never sent/);
  assert.match(text, /Lesson over after [\d.]+ s: every program exited\.$/);

  const empty: string[] = [];
  const silent = new PlainReporter((l) => empty.push(l));
  silent.finish({ ...createSession(lesson("blocking-send")), ended: { reason: "stopped", t: 5 } }, []);
  assert.match(
    empty.join("\n"),
    /\[6\] The kernel puts the client to sleep: not observed in this run \(no send\.blocked fact\)\./,
  );
});

test("a machine hiding /proc/PID/syscall (wchan 0 too): the sleep beats say so, the trace's stand-in is told instead", () => {
  let state = createSession(lesson("blocking-send"));
  const probe = { proc: true, wchan: false, syscall: false, notes: ["/proc/PID/syscall is not readable here."] };
  state = reduceSession(state, {
    type: "observation",
    obs: { kind: "run", t: 0, lesson: "blocking-send", port: 1, probe },
  });
  const fact = (name: string, values: Record<string, number | string | null>, t: number) => {
    state = reduceSession(state, { type: "fact", fact: { fact: name as never, t, values, evidence: [] } });
  };
  fact("program.started", { program: "server", pid: 1 }, 1);
  fact("accept.waiting", { program: "server", line: 17 }, 2);
  fact("program.started", { program: "client", pid: 2 }, 3);
  fact("send.called", { program: "client", bytes: 100, line: 19 }, 4);
  fact("sendq.filled", { program: "client", peak: 90, limit: 100 }, 5);
  fact("send.waiting", { program: "client", ms: 201, line: 19 }, 6);
  const stuck = state.beats[5]!;
  assert.equal(stuck.fact, "send.waiting");
  assert.equal(stuck.unobservable, "this machine does not show /proc/PID/syscall");
  assert.match(stuck.text, /still finds the client inside sock\.send\(data\) on line 19,\n201 ms after the call/);
  const woke = state.beats[6]!;
  assert.equal(woke.text, "Not observable here: this machine does not show /proc/PID/syscall.");
});

test("a tracer without socket queue sizes (not Linux): the send-buffer beat is marked, not invented", () => {
  let state = createSession(lesson("blocking-send"));
  const obs = (o: unknown) => (state = reduceSession(state, { type: "observation", obs: o as Observation }));
  obs({
    kind: "run",
    t: 0,
    lesson: "blocking-send",
    port: 1,
    probe: { proc: false, wchan: false, syscall: false, notes: [] },
  });
  obs({
    kind: "trace",
    t: 1,
    program: "server",
    event: { ev: "caps", sock_queues: false, tcp_info: false, platform: "darwin" },
  });
  for (
    const [name, values] of [
      ["program.started", { program: "server", pid: 1 }],
      ["accept.waiting", { program: "server", line: 17 }],
      ["program.started", { program: "client", pid: 2 }],
      ["send.called", { program: "client", bytes: 100, line: 19 }],
    ] as const
  ) {
    state = reduceSession(state, { type: "fact", fact: { fact: name, t: 2, values, evidence: [] } });
  }
  assert.equal(state.beats[4]!.text, "Not observable here: this machine does not show socket queue sizes (SIOCOUTQ).");
});
