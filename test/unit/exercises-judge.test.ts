// Judging an exercise's run: a pure function of facts. On a recording of a
// real run (the tutorial's non-blocking client, the starter of send-it-all)
// and on hand-made facts for each kind of measure and comparison. What a
// test expects is computed from the raw observations or written out, never
// copied from the judge.
import assert from "node:assert/strict";
import { test } from "node:test";
import { judge, judgeCriterion } from "../../src/exercises/judge.ts";
import { outcomeOf } from "../../src/exercises/outcome.ts";
import { countedCalls } from "../../src/exercises/counted-calls.ts";
import { FactDetector } from "../../src/facts/detect.ts";
import type { Fact, FactValue } from "../../src/facts/types.ts";
import type { Capabilities } from "../../src/session/beats.ts";
import { type Lesson, parseLesson } from "../../src/lessons/schema.ts";
import { lessonById, recordedObservations } from "../helpers/recordings.ts";

const LINUX: Capabilities = {
  probe: { proc: true, wchan: true, syscall: true, off: null, notes: [] },
  tracer: { sockQueues: true, rusageThread: true, tcpWindow: true },
};

function groupDigits(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

test("send-it-all on the recorded run of the tutorial's client: ✗ bytes with the server's own count", () => {
  const observations = recordedObservations("non-blocking-send");
  const detector = new FactDetector();
  const facts = observations.flatMap((obs) => detector.push(obs));
  // The server's recv() calls, added up from its trace events: the bytes that arrived.
  let received = 0;
  for (const obs of observations) {
    if (obs.kind !== "trace" || obs.program !== "server") continue;
    const ev = obs.event;
    if (ev.ev === "sum" && ev.call === "recv") received += ev.bytes;
    if (ev.ev === "ret" && ev.call === "recv" && ev.run_calls === undefined) received += ev.bytes ?? 0;
  }
  assert.ok(received > 0 && received < 136_314_880);
  const exercise = lessonById("non-blocking-send").exercises.find((e) => e.id === "send-it-all")!;
  const verdict = judge(exercise, facts, LINUX);
  assert.equal(verdict.passed, false);
  const [bytes, asleep, cpu] = verdict.results;
  assert.equal(bytes!.status, "fail");
  assert.equal(bytes!.evidence, `${groupDigits(received)} bytes of 136,314,880 bytes`);
  assert.equal(bytes!.measured, received);
  assert.equal(bytes!.expected, 136_314_880);
  assert.ok(bytes!.hint?.includes("send() returns how many bytes it took"));
  // Recorded before the tracer measured time asleep and the run-queue wait: said, not guessed.
  assert.equal(asleep!.status, "unmeasured");
  assert.match(asleep!.evidence, /^not measured/);
  assert.equal(cpu!.status, "unmeasured");
  assert.equal(cpu!.evidence, "not measured: ready_ms unknown in this run");
});

function fact(name: string, t: number, values: Record<string, FactValue>): Fact {
  return { fact: name, t, values, evidence: [] };
}

/** One exercise with the given criteria (YAML), in a lesson with a server and three clients. */
function exerciseWith(criteria: string): Lesson["exercises"][number] {
  const text = `title: T
summary: S
programs:
  - { name: server, file: server.py }
  - { name: client-1, file: client.py, start: listen.returned }
  - { name: client-2, file: client.py, start: listen.returned }
beats:
  - { on: listen.returned, text: x }
exercises:
  - id: e
    title: E
    task: T
    program: server
    solution: s.py
    criteria:
${criteria}`;
  const result = parseLesson(
    { id: "t", dir: "/t", file: "/t/lesson.yaml", displayFile: "lesson.yaml", text },
    () => true,
  );
  assert.ok("lesson" in result, JSON.stringify(result));
  return result.lesson.exercises[0]!;
}

const RUN: Fact[] = [
  fact("recv.returned", 10, { program: "client-1", call: "recv", nth: 1, ms: 12, bytes: 5 }),
  fact("recv.returned", 11, { program: "client-2", call: "recv", nth: 1, ms: 1_012, bytes: 5 }),
  fact("recv.returned", 12, { program: "client-2", call: "recv", nth: 2, ms: 3_000, bytes: 4 }),
  fact("program.exited", 20, { program: "client-1", code: 0, cpu_ms: 30, wall_ms: 1_100, ready_ms: 100 }),
  fact("program.exited", 21, { program: "client-2", code: 1, cpu_ms: 900, wall_ms: 1_100, ready_ms: null }),
  fact("selector.totals", 30, { program: "server", call: "selector", calls: 7, asleep_ms: 1_500, sleeps: 7 }),
  fact("epoll.totals", 30, { program: "server", call: "epoll", calls: 2, asleep_ms: 20, sleeps: 1 }),
  fact("acceptq.filled", 5, { program: "server", peak: 1, limit: 1 }),
];

test("measures: the largest of a field, the number of facts, a sum over several facts, a fact that came", () => {
  const e = exerciseWith(`      - title: no wait
        on: recv.returned
        where: { program: [client-1, client-2], nth: 1 }
        max: ms
        below: 500
        evidence: "{ms|ms} ({program})"
      - title: served
        on: program.exited
        where: { code: 0 }
        count: true
        equals: 2
      - title: asleep
        on: [selector.totals, epoll.totals]
        program: server
        sum: asleep_ms
        above: 500
      - title: full
        on: acceptq.filled
        evidence: "{peak} of {limit}"
`);
  const [wait, served, asleep, full] = judge(e, RUN, LINUX).results;
  assert.deepEqual([wait!.status, wait!.evidence], ["fail", "1,012 ms (client-2)"]);
  assert.deepEqual([served!.status, served!.evidence], ["fail", "count 1, not 2"]);
  assert.deepEqual([asleep!.status, asleep!.evidence], ["pass", "asleep_ms in all 1,520 ms, above 500 ms"]);
  assert.deepEqual([full!.status, full!.evidence], ["pass", "1 of 1"]);
});

test("comparisons: an expression of the fact's fields, between, a literal; any: passes on one alternative", () => {
  const e = exerciseWith(`      - title: cpu 1
        on: program.exited
        program: client-1
        value: cpu_ms
        below: 0.5 * (wall_ms - ready_ms)
      - title: cpu 2
        on: program.exited
        program: client-2
        value: cpu_ms
        below: 0.5 * (wall_ms - ready_ms)
      - title: second recv
        on: recv.returned
        program: client-2
        nth: 2
        value: ms
        between: [2500, 3500]
      - title: either
        any:
          - on: recv.raised
            value: ms
            below: 10
          - on: program.exited
            program: client-2
            value: code
            equals: 1
`);
  const [cpu1, cpu2, second, either] = judge(e, RUN, LINUX).results;
  assert.deepEqual([cpu1!.status, cpu1!.evidence, cpu1!.expected], ["pass", "cpu_ms 30 ms, below 500 ms", 500]);
  assert.equal(cpu2!.status, "unmeasured", "ready_ms is unknown: the bound cannot be computed");
  assert.deepEqual([second!.status, second!.evidence], ["pass", "ms 3,000 ms, between 2,500 ms and 3,500 ms"]);
  assert.deepEqual([either!.status, either!.evidence], ["pass", "code 1, equal to 1"]);
});

test("a fact that never came fails its criterion, saying which; an unknown value is not measured", () => {
  const e = exerciseWith(`      - title: raised
        on: recv.raised
        program: client-1
        where: { error: timeout }
        value: ms
        between: [700, 1300]
      - title: sleeps
        on: selector.totals
        program: server
        value: sleeps
        equals: 0
`);
  const facts = [fact("selector.totals", 1, { program: "server", call: "selector", sleeps: null })];
  const [raised, sleeps] = judge(e, facts, { ...LINUX, tracer: { ...LINUX.tracer, rusageThread: false } }).results;
  assert.deepEqual([raised!.status, raised!.evidence], [
    "fail",
    'no recv.raised from client-1 with error "timeout" happened in this run',
  ]);
  assert.deepEqual([sleeps!.status, sleeps!.evidence], [
    "unmeasured",
    "not measured: this machine does not show per-thread kernel counters (getrusage RUSAGE_THREAD)",
  ]);
});

test("judgeCriterion of any: shows the alternative whose fact came when none passes", () => {
  const e = exerciseWith(`      - title: gives up
        any:
          - on: recv.raised
            value: ms
            below: 10
          - on: recv.returned
            program: client-2
            nth: 2
            value: ms
            below: 10
`);
  const r = judgeCriterion(e.criteria[0]!, RUN, LINUX);
  assert.deepEqual([r.status, r.evidence], ["fail", "ms 3,000 ms, not below 10 ms"]);
});

test("the calls a check counts in full: those whose totals a criterion judges by sleeps, cpu_ms or asleep_ms", () => {
  const exercise = lessonById("non-blocking-send").exercises.find((e) => e.id === "send-it-all")!;
  assert.deepEqual([...countedCalls(exercise)], [["client", ["send", "sendall", "sendto"]]]);
  const server = lessonById("non-blocking-send").exercises.find((e) => e.id === "selectors-server")!;
  assert.deepEqual([...countedCalls(server)], [["server", ["epoll", "poll", "select", "selector"]]]);
});

test("how the learner's program fared, in words: crashed with its stderr, stopped at the limit inside a call", () => {
  const crashed = outcomeOf({
    program: "client",
    facts: [fact("program.exited", 5, {
      program: "client",
      code: 1,
      signal: null,
      stopped_by: null,
      wall_ms: 80,
      stderr: 'File "c.py", line 3\nSyntaxError: invalid syntax',
    })],
    endReason: "every program exited",
    timeoutMs: 6000,
    timedOut: false,
    lastCall: null,
  });
  assert.deepEqual(crashed.lines, [
    "client failed: exit code 1 after 80 ms.",
    "Its last lines of stderr:",
    '  File "c.py", line 3',
    "  SyntaxError: invalid syntax",
  ]);
  assert.equal(crashed.connected, false);
  const hung = outcomeOf({
    program: "blocking",
    facts: [
      fact("program.exited", 6000, {
        program: "blocking",
        code: null,
        signal: "SIGTERM",
        stopped_by: "timed out after 6 s",
        wall_ms: 5_800,
      }),
    ],
    endReason: "timed out after 6 s",
    timeoutMs: 6000,
    timedOut: true,
    lastCall: { call: "connect", line: 14, ms: 5_600 },
  });
  assert.deepEqual(hung.lines, [
    "blocking was still running at the check's time limit (6 s) and was stopped, inside connect() on line 14 for 5,600 ms.",
  ]);
  assert.equal(hung.kind, "timed-out");
});
