// The lessons beyond the tutorial (issue 12), run for real through the built
// app. Each test asserts the facts that carry its lesson's claims; what it
// expects is computed from the lesson's own programs (their data sizes, their
// sleeps, their deadlines) or from other facts of the same run, never copied
// from a recording.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { formatMs } from "../../src/lessons/template.ts";
import { facts, type JsonLine, listening, ndjson, processGone, runCli } from "../helpers/cli.ts";

const LESSONS = fileURLToPath(new URL("../../lessons/", import.meta.url));
const LINE = "Hello Python\n";
/** The tutorial's data: "Hello Python\n" * 10 * 1024 * 1024. */
const TUTORIAL_BYTES = LINE.length * 10 * 1024 * 1024;
/** A tenth of it: "Hello Python\n" * 1024 * 1024 (select-writable, slow-reader). */
const TENTH_BYTES = LINE.length * 1024 * 1024;

function source(lesson: string, file: string): string {
  return readFileSync(`${LESSONS}${lesson}/${file}`, "utf8");
}

/** The program's own words, so a test fails if the program changes under it. */
function programSays(lesson: string, file: string, code: string): void {
  assert.ok(source(lesson, file).includes(code), `${lesson}/${file} has ${code}`);
}

/** The line of the program that holds `code` (1-based). */
function lineOf(lesson: string, file: string, code: string): number {
  const at = source(lesson, file).split("\n").findIndex((l) => l.includes(code));
  assert.ok(at >= 0, `${lesson}/${file} has ${code}`);
  return at + 1;
}

function one(lines: JsonLine[], name: string, program?: string, where: Record<string, unknown> = {}): JsonLine {
  const found = facts(lines, name, program).filter((f) => Object.entries(where).every(([k, v]) => f[k] === v));
  assert.equal(found.length, 1, `one ${name} ${program ?? ""} ${JSON.stringify(where)}: got ${found.length}`);
  return found[0]!;
}

function first(lines: JsonLine[], name: string, program?: string): JsonLine {
  const found = facts(lines, name, program);
  assert.ok(found.length > 0, `${name} of ${program ?? "any program"}`);
  return found[0]!;
}

/** The last call of that name by that program (its nth is how many it made). */
function lastCall(lines: JsonLine[], name: string, program: string): JsonLine {
  return facts(lines, name, program).reduce((a, b) => ((b.nth as number) > (a.nth as number) ? b : a));
}

function num(line: JsonLine, field: string): number {
  const v = line[field];
  assert.equal(typeof v, "number", `${line.fact}.${field} is ${JSON.stringify(v)}`);
  return v as number;
}

function before(a: JsonLine, b: JsonLine): void {
  assert.ok((a.t as number) <= (b.t as number), `${a.fact} (${a.t}) before ${b.fact} (${b.t})`);
}

function beatOn(lines: JsonLine[], title: string): JsonLine {
  const beat = lines.find((l) => l.type === "beat" && l.title === title);
  assert.ok(beat, `a beat titled "${title}"`);
  return beat;
}

/** Exit 0, every beat told from its own fact, nothing left running. */
async function runLesson(id: string): Promise<JsonLine[]> {
  const r = await runCli(["run", id, "--json"]);
  assert.equal(r.code, 0, r.stderr);
  const lines = ndjson(r.stdout);
  const end = lines.at(-1)!;
  assert.equal(end.type, "end");
  assert.deepEqual(end.unobserved, []);
  const beats = lines.filter((l) => l.type === "beat");
  const lesson = source(id, "lesson.yaml");
  assert.equal(beats.length, lesson.match(/^ {2}- on: /gm)!.length, "every beat of the lesson file was told");
  for (const beat of beats) {
    assert.equal(beat.unobservable, null, `beat ${beat.index} seen here`);
    assert.ok(!/unknown/.test(String(beat.text)), `beat ${beat.index} has every value: ${beat.text}`);
  }
  assertNothingLeft(lines);
  return lines;
}

function assertNothingLeft(lines: JsonLine[]): void {
  const port = lines.find((l) => l.type === "lesson")!.port as number;
  for (const started of facts(lines, "program.started")) {
    assert.ok(processGone(started.pid as number), `${started.program} (pid ${started.pid}) still runs`);
  }
  assert.equal(listening(port), false, `something still listens on port ${port}`);
}

test("blocking-recv: accept() and recv() asleep in the kernel, woken by the data; recv returns what was sent", async () => {
  programSays("blocking-recv", "late_client.py", "time.sleep(2.0)");
  programSays("blocking-recv", "late_client.py", 'sock.send(b"Hello Python\\n")');
  const lines = await runLesson("blocking-recv");
  const acceptBlocked = one(lines, "accept.blocked", "server");
  assert.ok(["accept", "accept4"].includes(acceptBlocked.syscall as string), String(acceptBlocked.syscall));
  const accepted = one(lines, "accept.returned", "server");
  // The client starts only after 200 ms in accept(), so the wait is at least that.
  assert.ok(num(accepted, "ms") >= 200, `accept() took ${accepted.ms} ms`);
  const recvBlocked = one(lines, "recv.blocked", "server");
  assert.equal(recvBlocked.syscall, "recvfrom");
  assert.equal(recvBlocked.mode, "blocking");
  const woke = one(lines, "recv.woke", "server");
  const returned = one(lines, "recv.returned", "server");
  before(acceptBlocked, accepted);
  before(accepted, recvBlocked);
  before(recvBlocked, woke);
  before(woke, returned);
  // The client's 2 s nap, give or take its connect and send.
  assert.ok(num(returned, "ms") >= 1900 && num(returned, "ms") < 3000, `recv() took ${returned.ms} ms`);
  assert.ok(num(returned, "cpu_ms") < num(returned, "ms") / 20, `cpu ${returned.cpu_ms} of ${returned.ms} ms`);
  assert.equal(returned.bytes, LINE.length);
  assert.equal(one(lines, "send.returned", "client").bytes, LINE.length);
  const transfer = one(lines, "transfer.ended", undefined, { from: "client" });
  assert.deepEqual([transfer.sent, transfer.received, transfer.lost], [LINE.length, LINE.length, 0]);
});

test("send-all: the loop takes the data in many send() calls, sendall() in one; every byte arrives both times", async () => {
  programSays("send-all", "send_loop_client.py", 'data = ("Hello Python\\n" * 10 * 1024 * 1024).encode()');
  programSays("send-all", "sendall_client.py", 'data = ("Hello Python\\n" * 10 * 1024 * 1024).encode()');
  const lines = await runLesson("send-all");
  const firstSend = one(lines, "send.returned", "loop", { nth: 1 });
  assert.equal(firstSend.mode, "timeout");
  assert.equal(firstSend.asked, TUTORIAL_BYTES);
  assert.ok(num(firstSend, "bytes") > 0 && num(firstSend, "bytes") < TUTORIAL_BYTES, `took ${firstSend.bytes}`);
  const second = one(lines, "send.returned", "loop", { nth: 2 });
  assert.equal(second.asked, TUTORIAL_BYTES - num(firstSend, "bytes"), "the second send() is handed the rest");
  const last = lastCall(lines, "send.returned", "loop");
  assert.ok(num(last, "nth") >= 3, `${last.nth} send() calls`);
  const beat = beatOn(lines, "The last send()");
  assert.match(String(beat.text), new RegExp(`It took ${num(last, "nth")} send\\(\\) calls`));
  for (const from of ["loop", "sendall"]) {
    const t = one(lines, "transfer.ended", undefined, { from });
    assert.deepEqual([t.to, t.intended, t.sent, t.received, t.lost], [
      "server",
      TUTORIAL_BYTES,
      TUTORIAL_BYTES,
      TUTORIAL_BYTES,
      0,
    ]);
  }
  const peers = facts(lines, "peer.closed", "server");
  assert.deepEqual(peers.map((p) => p.bytes), [TUTORIAL_BYTES, TUTORIAL_BYTES]);
  const sendall = one(lines, "sendall.returned", "sendall");
  assert.equal(sendall.bytes, TUTORIAL_BYTES);
  assert.equal(sendall.mode, "timeout");
  assert.equal(facts(lines, "send.called", "sendall").length, 0, "sendall() is one call from Python");
});

test("select-writable: EAGAIN, asleep in select/epoll not sendto, all bytes; the busy loop costs >= 5 x the CPU", async () => {
  for (const file of ["busy_client.py", "select_client.py", "selectors_client.py"]) {
    programSays("select-writable", file, 'data = b"Hello Python\\n" * 1024 * 1024');
  }
  const lines = await runLesson("select-writable");
  for (const program of ["busy", "select", "selectors"]) {
    const eagain = first(lines, "send.raised", program);
    assert.deepEqual([eagain.errno, eagain.error], ["EAGAIN", "would_block"], program);
    const t = one(lines, "transfer.ended", undefined, { from: program });
    assert.deepEqual([t.intended, t.sent, t.received, t.lost], [TENTH_BYTES, TENTH_BYTES, TENTH_BYTES, 0], program);
  }
  const asleep = first(lines, "select.blocked", "select");
  assert.ok(["select", "pselect6"].includes(asleep.syscall as string), String(asleep.syscall));
  assert.equal(asleep.line, lineOf("select-writable", "select_client.py", "select.select([], [sock], [])"));
  assert.ok(String(first(lines, "selector.blocked", "selectors").syscall).startsWith("epoll_"));
  assert.equal(facts(lines, "send.blocked", "select").length, 0, "never asleep in sendto");
  assert.equal(facts(lines, "send.blocked", "selectors").length, 0, "never asleep in sendto");
  const woken = one(lines, "select.returned", "select", { nth: 1 });
  assert.equal(woken.writable, 1);
  assert.ok(num(woken, "cpu_ms") < num(woken, "ms") / 10, `select(): cpu ${woken.cpu_ms} of ${woken.ms} ms`);

  // The kernel's count of each program's CPU time, in the same run, for the same data.
  const cpu = (program: string) => num(one(lines, "program.exited", program), "cpu_ms");
  const [busy, select, selectors] = [cpu("busy"), cpu("select"), cpu("selectors")];
  console.log(`select-writable CPU: busy ${busy} ms, select ${select} ms, selectors ${selectors} ms`);
  assert.ok(busy >= 5 * select, `busy ${busy} ms vs select ${select} ms`);
  assert.ok(busy >= 5 * selectors, `busy ${busy} ms vs selectors ${selectors} ms`);
  // ... and the narration quotes both numbers.
  assert.ok(String(beatOn(lines, "The CPU the busy loop cost").text).includes(formatMs(busy)));
  assert.ok(String(beatOn(lines, "The CPU select() cost").text).includes(formatMs(select)));
  // Every retry is a send() call: the busy loop makes far more of them.
  const busyCalls = num(lastCall(lines, "send.returned", "busy"), "nth");
  const selectCalls = num(lastCall(lines, "send.returned", "select"), "nth");
  assert.ok(busyCalls > 100 * selectCalls, `send() calls: busy ${busyCalls}, select ${selectCalls}`);
});

test("timeouts: recv() and connect() asleep in poll with a deadline, raised after it; non-blocking at once", async () => {
  programSays("timeouts", "timeout_client.py", "sock.settimeout(2.0)  # recv() may wait at most 2 s");
  programSays("timeouts", "timeout_client.py", "sock.settimeout(2.0)  # connect() may wait at most 2 s");
  const lines = await runLesson("timeouts");
  const forever = one(lines, "recv.blocked", "blocking");
  assert.deepEqual([forever.syscall, forever.mode, forever.timeout_s], ["recvfrom", "blocking", null]);
  const withDeadline = one(lines, "recv.blocked", "timeout");
  assert.ok(["poll", "ppoll"].includes(withDeadline.syscall as string), String(withDeadline.syscall));
  assert.deepEqual([withDeadline.mode, withDeadline.timeout_s], ["timeout", 2]);
  const timedOut = one(lines, "recv.raised", "timeout", { nth: 1 });
  assert.equal(timedOut.error, "timeout");
  assert.ok(num(timedOut, "ms") >= 2000 && num(timedOut, "ms") < 2300, `recv() gave up after ${timedOut.ms} ms`);
  const atOnce = one(lines, "recv.raised", "timeout", { nth: 2 });
  assert.deepEqual([atOnce.errno, atOnce.error, atOnce.mode], ["EAGAIN", "would_block", "non-blocking"]);
  assert.ok(num(atOnce, "ms") < 50, `non-blocking recv() took ${atOnce.ms} ms`);
  const queue = one(lines, "acceptq.filled", "server");
  assert.deepEqual([queue.peak, queue.limit], [1, 1]);
  const connecting = one(lines, "connect.blocked", "timeout");
  assert.ok(["poll", "ppoll"].includes(connecting.syscall as string), String(connecting.syscall));
  const gaveUp = one(lines, "connect.raised", "timeout");
  assert.equal(gaveUp.error, "timeout");
  assert.ok(num(gaveUp, "ms") >= 2000 && num(gaveUp, "ms") < 2300, `connect() gave up after ${gaveUp.ms} ms`);
  before(queue, connecting);
  assert.equal(one(lines, "close.called", "timeout", { nth: 2 }).state, "SYN_SENT");
  // Blocking: it never returned, and had to be stopped.
  assert.equal(facts(lines, "recv.returned", "blocking").length, 0);
  const stopped = one(lines, "program.exited", "blocking");
  assert.deepEqual([stopped.stopped_by, stopped.signal], ["lesson over", "SIGTERM"]);
  assert.ok(num(stopped, "wall_ms") > num(timedOut, "ms") + num(gaveUp, "ms"));
  assert.equal(one(lines, "program.exited", "timeout").code, 0);
});

test("one-at-a-time-vs-selectors: queued behind the blocking server, greeted at once by selectors", async () => {
  programSays("one-at-a-time-vs-selectors", "client.py", "time.sleep(0.3)  # thinking before the next line");
  const lines = await runLesson("one-at-a-time-vs-selectors");
  const clients = ["client-1", "client-2", "client-3"];
  // A client's recv() of the greeting: its 1st recv with the selectors server, its 5th with the blocking one.
  const greeting = (nth: number) =>
    clients.map((c) => one(lines, "recv.returned", c, { nth })).sort((a, b) => (a.t as number) - (b.t as number));

  // The time each connection spent in the accept queue, from the kernel's side of both
  // programs: the server's accept() return against the client's connect() return, by address.
  const connected = new Map(
    facts(lines, "connect.returned").filter((f) => clients.includes(f.program as string)).map((f) => [f.local, f]),
  );
  const queued = (accept: JsonLine) => (accept.t as number) - (connected.get(accept.peer)!.t as number);

  // selectors: each greeted within one exchange (a client's 0.3 s pause) of connecting.
  const once = greeting(1);
  for (const g of once) assert.ok(num(g, "ms") < 300, `${g.program} greeted after ${g.ms} ms by selectors`);
  const selectorsAccepts = facts(lines, "accept.returned", "server").filter((f) => (f.nth as number) <= 3);
  assert.equal(selectorsAccepts.length, 3);
  for (const a of selectorsAccepts) assert.ok(queued(a) < 300, `queued ${queued(a)} ms for selectors`);
  assert.ok(String(first(lines, "selector.blocked", "server").syscall).startsWith("epoll_"));

  // blocking: one greeting per whole conversation (three lines, 0.3 s after each: >= 900 ms), so
  // the second and third, connected by the time the first is greeted, wait about one and two of them.
  const queue = greeting(5);
  const waits = queue.map((g) => num(g, "ms"));
  const at = queue.map((g) => g.t as number);
  assert.ok(at[1]! - at[0]! >= 850 && at[2]! - at[1]! >= 850, `greeted at ${at.join(", ")} ms`);
  assert.ok(waits[1]! >= 800 && waits[2]! >= 1600, `waits ${waits.join(", ")} ms`);
  const blockingAccepts = facts(lines, "accept.returned", "server").filter((f) => (f.nth as number) >= 4)
    .sort((a, b) => (a.t as number) - (b.t as number));
  assert.equal(blockingAccepts.length, 3);
  for (const [i, a] of blockingAccepts.entries()) {
    // The client's own measure and the kernel-side one agree within a couple of samples.
    assert.equal(connected.get(a.peer)!.program, queue[i]!.program);
    assert.ok(
      Math.abs(queued(a) - waits[i]!) < 40,
      `${queue[i]!.program}: queue ${queued(a)} ms, greeting ${waits[i]}`,
    );
  }
  console.log(`accept-queue waits, blocking server: ${waits.map((w) => Math.round(w)).join(", ")} ms`);
  const nextLine = lineOf("one-at-a-time-vs-selectors", "echo_server.py", "# asleep until its next line");
  const inRecv = facts(lines, "recv.blocked", "server").filter((f) => f.line === nextLine);
  assert.ok(inRecv.length > 0 && inRecv.every((f) => f.syscall === "recvfrom"), JSON.stringify(inRecv));
  assert.ok((inRecv[0]!.t as number) > (blockingAccepts[0]!.t as number), "asleep in recv() with its first client");
  // The narration quotes each wait, in the order the clients were served.
  for (const [i, title] of ["First in line", "Second in line", "Third in line"].entries()) {
    const text = String(beatOn(lines, title).text);
    assert.ok(text.includes(queue[i]!.program as string) && text.includes(formatMs(waits[i]!)), text);
  }
});

test("slow-reader: the receive queue fills, the window closes, the sender sleeps; all drains when reading resumes", async () => {
  programSays("slow-reader", "slow_receiver.py", "time.sleep(3.0)");
  programSays("slow-reader", "sender.py", 'data = b"Hello Python\\n" * 1024 * 1024');
  const lines = await runLesson("slow-reader");
  const filled = first(lines, "recvq.filled", "receiver");
  assert.ok(num(filled, "peak") >= num(filled, "limit") / 2);
  // The first closing; it may close again once the sender refills faster than it reads.
  const closed = first(lines, "window.closed", "receiver");
  assert.equal(closed.window, 0);
  assert.ok(num(closed, "queued") > 0);
  const sendq = first(lines, "sendq.filled", "sender");
  assert.ok(num(sendq, "peak") >= num(sendq, "limit") / 2);
  const asleep = one(lines, "sendall.blocked", "sender");
  assert.equal(asleep.syscall, "sendto");
  const resumed = one(lines, "sleep.returned", "receiver");
  const opened = first(lines, "window.opened", "receiver");
  const woke = one(lines, "sendall.woke", "sender");
  const returned = one(lines, "sendall.returned", "sender");
  before(closed, resumed);
  before(asleep, resumed);
  before(resumed, opened);
  before(resumed, returned);
  before(woke, returned);
  // Closed for (about) the receiver's 3 s: from a sample after it stopped to one after it read.
  const closedMs = (opened.t as number) - (closed.t as number);
  console.log(`slow-reader: window closed for ${Math.round(closedMs)} ms`);
  assert.ok(closedMs >= 2500 && closedMs < 3500, `window closed ${closedMs} ms`);
  assert.equal(returned.bytes, TENTH_BYTES);
  assert.ok(num(returned, "ms") >= 2500, `sendall() took ${returned.ms} ms`);
  for (const [fact, program] of [["recvq.drained", "receiver"], ["sendq.drained", "sender"]] as const) {
    assert.ok(facts(lines, fact, program).length >= 1, `${fact} of ${program}`);
  }
  const t = one(lines, "transfer.ended", undefined, { from: "sender" });
  assert.deepEqual([t.intended, t.sent, t.received, t.lost], [TENTH_BYTES, TENTH_BYTES, TENTH_BYTES, 0]);
});

test("the new lessons with --probe trace-only: each beat or its stand-in, no kernel state claimed", async () => {
  for (const id of ["blocking-recv", "select-writable", "timeouts", "one-at-a-time-vs-selectors", "slow-reader"]) {
    const r = await runCli(["run", id, "--json", "--probe", "trace-only"]);
    assert.equal(r.code, 0, r.stderr);
    const lines = ndjson(r.stdout);
    assert.deepEqual(lines.at(-1)!.unobserved, [], id);
    assert.equal(facts(lines).filter((f) => /\.(blocked|woke)$/.test(f.fact as string)).length, 0, id);
    for (const beat of lines.filter((l) => l.type === "beat" && l.unobservable !== null)) {
      const standIn = typeof beat.fact === "string" && /\.waiting$/.test(beat.fact);
      const note = beat.fact === null && /^Not observable here: the kernel probe is off/.test(String(beat.text));
      assert.ok(standIn || note, `${id} beat ${beat.index}: ${beat.fact} ${beat.text}`);
      assert.doesNotMatch(String(beat.text), /asleep|wchan|system call/, `${id} beat ${beat.index}`);
    }
    assertNothingLeft(lines);
  }
});

test("slow-reader --plain with --hold 2: the receiver held at its first recv(), the window closed the longer", async () => {
  const r = await runCli(["run", "slow-reader", "--plain", "--hold", "2"]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^A slow reader\n=+\n/);
  assert.match(r.stdout, /The receiver's is now 0 bytes, with\s+[\d,]+ bytes queued/);
  assert.match(r.stdout, /asleep in sendto \(wchan \w+\)/);
  assert.match(
    r.stdout,
    /sendall\(\) took 13,631,488 bytes of the 13,631,488 bytes;\s+the receiver's recv\(\) calls returned 13,631,488 bytes: 0 bytes lost/,
  );
  const held = /sendall\(\) returned after ([\d,]+) ms/.exec(r.stdout);
  assert.ok(held && Number(held[1]!.replaceAll(",", "")) >= 4500, `sendall() waited 3 s + the 2 s hold: ${held?.[1]}`);
  assert.match(r.stdout, /Lesson over after .*: every program exited\.\n$/);
});
