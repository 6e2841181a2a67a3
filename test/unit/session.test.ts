// The session reducer, its beat matching and the narration every view
// renders, on real recordings and on hand-made lessons and facts.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Fact, FactValue } from "../../src/facts/types.ts";
import { type Lesson, parseLesson } from "../../src/lessons/schema.ts";
import type { Observation } from "../../src/observations.ts";
import type { ProbeCapabilities } from "../../src/probe/types.ts";
import type { TraceEvent } from "../../src/trace/events.ts";
import { PlainReporter } from "../../src/report/plain.ts";
import { narrationEntries } from "../../src/session/narration.ts";
import { createSession, reduceSession, type SessionState } from "../../src/session/session.ts";
import { atFact, lessonById, readRecording, replay } from "../helpers/recordings.ts";

const DATA_BYTES = 136_314_880;

function lessonOf(
  beats: string,
  programs = "  - name: server\n    file: s.py\n  - name: client\n    file: c.py\n",
): Lesson {
  const text = `title: T\nsummary: S\nprograms:\n${programs}beats:\n${beats}`;
  const result = parseLesson(
    { id: "t", dir: "/l/t", file: "/l/t/lesson.yaml", displayFile: "lesson.yaml", text },
    () => true,
  );
  if (!("lesson" in result)) throw new Error(JSON.stringify(result.errors));
  return result.lesson;
}

class Feed {
  state: SessionState;
  constructor(lesson: Lesson) {
    this.state = createSession(lesson);
  }
  fact(fact: string, values: Record<string, FactValue>, t: number): this {
    const f: Fact = { fact, t, values, evidence: [] };
    this.state = reduceSession(this.state, { type: "fact", fact: f });
    return this;
  }
  obs(o: Observation): this {
    this.state = reduceSession(this.state, { type: "observation", obs: o });
    return this;
  }
  run(probe: Partial<ProbeCapabilities> = {}): this {
    const caps = { proc: true, wchan: true, syscall: true, off: null, notes: [], ...probe };
    return this.obs({ kind: "run", t: 0, lesson: "t", port: 1, probe: caps, sampleMs: 20 });
  }
  caps(sockQueues: boolean, rusageThread = true): this {
    return this.obs({
      kind: "trace",
      t: 1,
      program: "server",
      event: {
        ev: "caps",
        sock_queues: sockQueues,
        tcp_info: sockQueues,
        tcp_window: sockQueues,
        rusage_thread: rusageThread,
        platform: "x",
      },
    });
  }
  titles(): (string | null)[] {
    return this.state.beats.map((b) => b.title);
  }
}

test("blocking-send recording: every beat is reached, in lesson order, with the measured numbers", () => {
  const state = replay("blocking-send", "blocking-send");
  assert.deepEqual(state.beats.map((b) => b.index), state.lesson.beats.map((_, i) => i));
  assert.match(state.beats[3]!.text, /sock\.send\(data\) with 136,314,880 bytes \(130\.0 MiB\), on a\nblocking socket/);
  assert.match(state.beats[7]!.text, /taken 136,314,880 bytes of the\n136,314,880 bytes it was handed/);
  assert.deepEqual(state.counters, { intended: DATA_BYTES, handed: DATA_BYTES, delivered: DATA_BYTES });
  assert.ok(state.lanes.every((l) => l.status === "exited" && l.exit?.code === 0));
  assert.equal(state.lanes.find((l) => l.name === "server")!.stdout.tail.at(-1), "All Data Received");
  assert.equal(state.sampleMs, 20);
});

test("the gauges keep the highest send queue seen", () => {
  let highestSample = 0;
  let shownPeak = 0;
  replay("blocking-send", "blocking-send", (_line, s) => {
    const g = s.sockets.find((x) => x.program === "client");
    if (g) {
      highestSample = Math.max(highestSample, g.sndq ?? 0);
      shownPeak = g.peakSndq;
    }
    return false;
  });
  assert.ok(highestSample > 100_000);
  assert.equal(shownPeak, highestSample);
});

test("a beat waits for the ones before it; facts out of order are held, not lost", () => {
  const feed = new Feed(lessonById("non-blocking-send")).run();
  feed.fact("setblocking.called", { program: "client", value: 0, line: 17 }, 5);
  assert.equal(feed.state.beats.length, 0);
  feed.fact("accept.called", { program: "server", line: 17 }, 1);
  assert.equal(feed.state.beats.length, 1);
  feed.fact("program.started", { program: "client", pid: 42 }, 2);
  assert.deepEqual(feed.state.beats.map((b) => b.index), [0, 1, 2]);
});

test("where: and nth: pick the fact; nth on a call fact is the call's ordinal", () => {
  const lesson = lessonOf(
    "  - on: recv.returned\n    nth: 2\n    title: second recv\n    text: '{bytes}'\n" +
      "  - on: recv.raised\n    where: { error: timeout }\n    title: timeout\n    text: '{ms|ms}'\n" +
      "  - on: program.started\n    nth: 2\n    title: second start\n    text: '{program}'\n",
  );
  const feed = new Feed(lesson).run();
  feed.fact("recv.returned", { program: "server", call: "recv", nth: 1, bytes: 10 }, 1);
  feed.fact("recv.raised", { program: "server", call: "recv", nth: 3, error: "would_block", ms: 0 }, 2);
  assert.deepEqual(feed.titles(), []);
  feed.fact("recv.returned", { program: "server", call: "recv", nth: 2, bytes: 20 }, 3);
  assert.deepEqual(feed.titles(), ["second recv"]);
  assert.equal(feed.state.beats[0]!.text, "20");
  feed.fact("recv.raised", { program: "server", call: "recv", nth: 4, error: "timeout", ms: 1000 }, 4);
  feed.fact("program.started", { program: "server", pid: 1 }, 5);
  feed.fact("program.started", { program: "client", pid: 2 }, 6);
  assert.deepEqual(feed.titles(), ["second recv", "timeout", "second start"]);
  assert.equal(feed.state.beats[2]!.text, "client");
});

test("nth: last is settled when its program exits, before that program's exit beat", () => {
  const lesson = lessonOf(
    "  - on: send.returned\n    program: client\n    nth: last\n    title: last send\n    text: '#{nth} took {bytes}'\n" +
      "  - on: program.exited\n    program: client\n    title: exit\n    text: 'code {code}'\n",
  );
  const feed = new Feed(lesson).run();
  for (const nth of [1, 2, 3]) {
    feed.fact("send.returned", { program: "client", call: "send", nth, bytes: nth * 10 }, nth);
  }
  assert.deepEqual(feed.titles(), []);
  feed.fact("program.exited", { program: "client", code: 0, signal: null }, 9);
  assert.deepEqual(feed.state.beats.map((b) => b.text), ["#3 took 30", "code 0"]);
});

test("a null is 'none' where it means none and 'unknown' where it was not measured", () => {
  const lesson = lessonOf("  - on: program.exited\n    text: 'signal {signal}, cpu {cpu_ms|ms}, by {stopped_by}'\n");
  const feed = new Feed(lesson).run();
  feed.fact("program.exited", { program: "server", code: 0, signal: null, stopped_by: null, cpu_ms: null }, 1);
  assert.equal(feed.state.beats[0]!.text, "signal none, cpu unknown, by none");
});

const SLEEP_BEATS = "  - on: send.called\n    title: called\n    text: x\n" +
  "  - on: send.blocked\n    title: blocked\n    text: asleep in {syscall}\n" +
  "    instead: { on: send.waiting, title: stuck, text: 'inside after {ms|ms}' }\n" +
  "  - on: send.woke\n    title: woke\n    text: x\n" +
  "  - on: send.returned\n    title: returned\n    text: x\n";

test("the probe turned off: the trace's stand-in is told, and the note says the user turned it off", () => {
  const feed = new Feed(lessonOf(SLEEP_BEATS)).run({
    proc: false,
    wchan: false,
    syscall: false,
    off: "--probe trace-only",
  });
  feed.fact("send.called", { program: "client" }, 1);
  feed.fact("send.waiting", { program: "client", ms: 201 }, 2);
  const stuck = feed.state.beats[1]!;
  assert.deepEqual([stuck.title, stuck.text, stuck.unobservable], [
    "stuck",
    "inside after 201 ms",
    "the kernel probe is off (--probe trace-only)",
  ]);
  // woke has no stand-in: passed with a note, so it does not hold up the rest.
  assert.equal(feed.state.beats[2]!.text, "Not observable here: the kernel probe is off (--probe trace-only).");
  feed.fact("send.returned", { program: "client" }, 3);
  assert.deepEqual(feed.titles(), ["called", "stuck", "woke", "returned"]);
});

test("a machine hiding /proc/PID/syscall says so, as this machine's limit", () => {
  const feed = new Feed(lessonOf(SLEEP_BEATS)).run({ wchan: false, syscall: false });
  feed.fact("send.called", { program: "client" }, 1).fact("send.waiting", { program: "client", ms: 250 }, 2);
  assert.equal(feed.state.beats[1]!.unobservable, "this machine does not show /proc/PID/syscall");
});

test("an instead: that itself needs the kernel does not hold back the beats after it", () => {
  const beats = "  - on: send.blocked\n    title: blocked\n    text: x\n" +
    "    instead: { on: sendq.filled, text: 'queue {peak}' }\n" +
    "  - on: send.returned\n    title: returned\n    text: x\n";
  const feed = new Feed(lessonOf(beats)).run({ proc: false, syscall: false, off: "--probe trace-only" }).caps(false);
  feed.fact("send.returned", { program: "client" }, 3);
  assert.deepEqual(feed.titles(), ["blocked", "returned"]);
  assert.match(feed.state.beats[0]!.text, /^Not observable here/);
});

test("a tracer without socket queue sizes: the queue beat is marked, not invented", () => {
  const beats = "  - on: sendq.filled\n    title: filled\n    text: '{peak}'\n";
  const feed = new Feed(lessonOf(beats)).run().caps(false);
  assert.equal(
    feed.state.beats[0]!.text,
    "Not observable here: this machine does not show socket queue sizes (SIOCOUTQ).",
  );
});

test("after the run: late beats and never-observed beats, with why, computed once for every view", () => {
  const lesson = lessonOf(
    "  - on: accept.called\n    title: a\n    text: x\n" +
      "  - on: recv.blocked\n    program: server\n    title: b\n    text: x\n" +
      "  - on: program.exited\n    title: c\n    text: x\n",
  );
  const feed = new Feed(lesson).run();
  feed.fact("accept.called", { program: "server" }, 1).fact("program.exited", { program: "server" }, 2);
  assert.deepEqual(narrationEntries(feed.state).map((e) => e.kind), ["beat"]);
  feed.obs({ kind: "stopped", t: 3, reason: "every program exited" });
  const entries = narrationEntries(feed.state);
  assert.deepEqual(entries.map((e) => [e.kind, e.kind === "beat" ? e.late : null]), [
    ["beat", false],
    ["unobserved", null],
    ["beat", true],
  ]);
  const unobserved = entries.flatMap((e) => (e.kind === "unobserved" ? [e.beat.why] : []));
  assert.deepEqual(unobserved, ["nothing showed the server's recv() block"]);
});

test("plain reporter: the walkthrough of a real run, then how it ended", () => {
  const lines: string[] = [];
  const reporter = new PlainReporter((l) => lines.push(l));
  const state = replay("non-blocking-send", "non-blocking-send", (_line, s) => {
    reporter.update(s);
    return false;
  });
  reporter.finish(state, []);
  const text = lines.join("\n");
  assert.match(text, /^Non-blocking send\n=+\n/);
  assert.match(text, /\[9\] But most of the data never arrived/);
  assert.match(text, /Lesson over after [\d.]+ (s|ms): every program exited\.$/);
});

test("replaying a recording: beat times are the facts' times, on the run's one clock", () => {
  const recording = readRecording("blocking-send");
  const state = replay("blocking-send", "blocking-send");
  const facts = recording.lines.flatMap((l) => (l.type === "fact" ? [l.fact] : []));
  for (const beat of state.beats) {
    assert.ok(facts.some((f) => f.fact === beat.fact && f.t === beat.t), `beat ${beat.index} has its fact's time`);
    assert.ok(beat.t <= state.ended!.t, `beat ${beat.index} at ${beat.t} is within the run (${state.ended!.t})`);
  }
  const midway = replay("blocking-send", "blocking-send", atFact("send.blocked"));
  assert.ok(midway.beats.length < state.beats.length);
});

test("a sample taken just before a call but arriving after it does not undo the call", () => {
  const feed = new Feed(lessonOf("  - on: send.called\n    program: client\n    text: t\n")).run();
  const call = {
    ev: "call",
    id: 1,
    call: "send",
    fd: 3,
    line: 19,
    t: 100,
    nth: 1,
    timeout_s: null,
    mode: "blocking",
    bytes: 10,
    fields: {},
  } as const;
  feed.obs({ kind: "trace", t: 100, program: "client", event: call });
  // The sampling thread read "no call in progress" at 99 ms; its line reaches the app after the call's.
  feed.obs({ kind: "trace", t: 99, program: "client", event: { ev: "sample", t: 99, in: null, socks: [] } });
  const lane = () => feed.state.lanes.find((l) => l.name === "client")!;
  assert.deepEqual(lane().call, { call: "send", line: 19, since: 100 });
  // A later sample still inside the call keeps it; one after it returned clears it.
  const inCall = {
    call: "send",
    line: 19,
    since: 100,
    fd: 3,
    nth: 1,
    id: 1,
    timeout_s: null,
    mode: "blocking",
  } as const;
  feed.obs({ kind: "trace", t: 120, program: "client", event: { ev: "sample", t: 120, in: inCall, socks: [] } });
  assert.deepEqual(lane().call, { call: "send", line: 19, since: 100 });
  feed.obs({ kind: "trace", t: 140, program: "client", event: { ev: "sample", t: 140, in: null, socks: [] } });
  assert.equal(lane().call, null);
});

test("a sample taken before a send returned but arriving after it does not undo the queues the return carried", () => {
  const feed = new Feed(lessonOf("  - on: send.called\n    program: client\n    text: t\n")).run();
  const sock = (sndq: number) => ({ fd: 3, sndq, sndbuf: 4_000_000, rcvq: 0, rcvbuf: 100_000 });
  const ret = {
    ev: "ret",
    id: 1,
    call: "send",
    fd: 3,
    line: 19,
    t: 100,
    nth: 1,
    ms: 1,
    bytes: 3_900_000,
    fields: {},
    sample: sock(3_900_000),
  };
  feed.obs({ kind: "trace", t: 100, program: "client", event: ret as unknown as TraceEvent });
  // The sampling thread read the socket at 99 ms, before the send; its line comes after the return's.
  feed.obs({ kind: "trace", t: 99, program: "client", event: { ev: "sample", t: 99, in: null, socks: [sock(0)] } });
  const gauge = () => feed.state.sockets.find((g) => g.program === "client" && g.fd === 3)!;
  assert.equal(gauge().sndq, 3_900_000);
  // A later sample is taken as it is.
  feed.obs({ kind: "trace", t: 120, program: "client", event: { ev: "sample", t: 120, in: null, socks: [sock(10)] } });
  assert.equal(gauge().sndq, 10);
  assert.equal(gauge().peakSndq, 3_900_000);
});
