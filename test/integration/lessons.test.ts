// Every lesson, run for real through the built app, as a learner would.
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { facts, type JsonLine, listening, ndjson, processGone, runCli } from "../helpers/cli.ts";

const LESSONS = fileURLToPath(new URL("../../lessons/", import.meta.url));

const DATA_BYTES = 136_314_880;
/**
 * Two facts from the two samplers (the tracer's sockets, the app's /proc) can
 * land within one sampling interval in either order; beyond that, out of order
 * is a clock bug.
 */
const SAMPLE_MS = 20;

function one(lines: JsonLine[], name: string, program?: string): JsonLine {
  const found = facts(lines, name, program);
  assert.equal(found.length, 1, `one ${name}${program ? ` of ${program}` : ""}: got ${found.length}`);
  return found[0]!;
}

function inOrder(lines: JsonLine[], names: string[]): void {
  const all = facts(lines).map((f) => f.fact);
  let from = 0;
  for (const name of names) {
    const at = all.indexOf(name, from);
    assert.ok(at >= 0, `${name} after ${all.slice(0, from).join(",")}; facts: ${all.join(", ")}`);
    from = at + 1;
  }
}

function pick(line: JsonLine, fields: string[]): Record<string, unknown> {
  return Object.fromEntries(fields.map((f) => [f, line[f]]));
}

/**
 * The narration's beats, as printed, come in the order their facts happened.
 * A program's exit is dated when the app saw the process gone (so a beat's
 * moment shows it exited, with all it printed), which lags the exit by as
 * much as the app is busy (48 ms here, more under load): it happened when
 * the tracer's exit hook ran, which its evidence gives. Facts resting on
 * samples from different sources (the app's /proc reading that sees the
 * sleep, the tracer's queue readings that see the buffer full) are each
 * sampled every 20 ms at their own phase, and the app's sampler runs late
 * when its event loop is busy: two such beats may land up to two samples
 * apart either way (23 ms once on a quiet machine).
 */
function beatsInTimeOrder(lines: JsonLine[]): void {
  const happened = (beat: JsonLine): number => {
    if (beat.fact !== "program.exited") return beat.t as number;
    const fact = lines.find((l) => l.type === "fact" && l.fact === "program.exited" && l.program === beat.program);
    const hook = (fact?.evidence as { source: string; t: number }[] | undefined)?.find((e) => e.source === "trace");
    return hook?.t ?? (beat.t as number);
  };
  const times = lines.filter((l) => l.type === "beat" && l.fact !== null).map((l) => [l.index, happened(l)] as const);
  for (let i = 1; i < times.length; i++) {
    assert.ok(
      times[i]![1]! as number >= (times[i - 1]![1] as number) - 2 * SAMPLE_MS,
      `beat ${times[i]![0]} at ${times[i]![1]} ms before beat ${times[i - 1]![0]} at ${times[i - 1]![1]} ms`,
    );
  }
}

function assertNothingLeft(lines: JsonLine[]): void {
  const lesson = lines.find((l) => l.type === "lesson")!;
  for (const started of facts(lines, "program.started")) {
    assert.ok(processGone(started.pid as number), `${started.program} (pid ${started.pid}) still runs`);
  }
  assert.equal(listening(lesson.port as number), false, `something still listens on port ${lesson.port}`);
}

test("run blocking-send --json: the client fills the buffer, sleeps in sendto, wakes, sends it all", async () => {
  const result = await runCli(["run", "blocking-send", "--json"]);
  assert.equal(result.code, 0, result.stderr);
  const lines = ndjson(result.stdout);
  inOrder(lines, ["accept.called", "send.called", "send.blocked", "send.woke", "send.returned", "peer.closed"]);
  assert.equal(one(lines, "send.called").bytes, DATA_BYTES);
  assert.ok((one(lines, "sendq.filled", "client").peak as number) > 100_000);
  assert.ok(["sendto", "send"].includes(one(lines, "send.blocked").syscall as string));
  const returned = one(lines, "send.returned");
  assert.equal(returned.bytes, DATA_BYTES);
  assert.ok((returned.cpu_ms as number) < (returned.ms as number) / 5, `cpu ${returned.cpu_ms} of ${returned.ms} ms`);
  assert.equal(one(lines, "peer.closed").bytes, DATA_BYTES);
  assert.deepEqual(pick(one(lines, "transfer.ended"), ["from", "to", "intended", "received", "lost"]), {
    from: "client",
    to: "server",
    intended: DATA_BYTES,
    received: DATA_BYTES,
    lost: 0,
  });
  for (const program of ["server", "client"]) assert.equal(one(lines, "program.exited", program).code, 0);
  assert.equal(lines.at(-1)?.type, "end");
  assert.deepEqual(lines.at(-1)?.unobserved, []);
  beatsInTimeOrder(lines);
  assertNothingLeft(lines);
});

test("blocking-send: send()'s sleeps are the kernel's count for that call, read independently", async () => {
  // The lesson's client, with /proc/thread-self/status read around its send(): the kernel's
  // voluntary context switches of that thread, through another interface than the tracer's getrusage.
  const dir = mkdtempSync(join(tmpdir(), "socket-lessons-witness-"));
  try {
    cpSync(join(LESSONS, "blocking-send"), join(dir, "blocking-send"), { recursive: true });
    const client = join(dir, "blocking-send", "block_client.py");
    const source = readFileSync(client, "utf8").replace(
      "assert sock.send(data)  # Send data till true",
      [
        "def switches():",
        "    with open('/proc/thread-self/status') as f:",
        "        return int(next(l for l in f if l.startswith('voluntary_ctxt_switches')).split()[1])",
        "before = switches()",
        "assert sock.send(data)  # Send data till true",
        "open('witness.txt', 'w').write(str(switches() - before))",
      ].join("\n"),
    );
    writeFileSync(client, source);
    const result = await runCli(["run", "blocking-send", "--json", "--lessons", dir]);
    assert.equal(result.code, 0, result.stderr);
    const lines = ndjson(result.stdout);
    const sleeps = one(lines, "send.returned").sleeps as number;
    const witness = Number(readFileSync(join(dir, "blocking-send", "witness.txt"), "utf8"));
    assert.ok(Number.isInteger(witness) && witness > 10, `the witness printed ${witness}`);
    assert.ok(Math.abs(sleeps - witness) <= witness * 0.1, `tracer ${sleeps}, /proc/thread-self/status ${witness}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("run non-blocking-send --json: send() returns early with part of the data; the rest is lost", async () => {
  const result = await runCli(["run", "non-blocking-send", "--json"]);
  assert.equal(result.code, 0, result.stderr);
  const lines = ndjson(result.stdout);
  const returned = one(lines, "send.returned");
  const sent = returned.bytes as number;
  assert.ok(sent > 0 && sent < DATA_BYTES, `sent ${sent}`);
  assert.ok((returned.ms as number) < 100, `send() took ${returned.ms} ms`);
  // Never asleep for room in the buffer; a switch or two can still happen inside the call (it gives up the
  // GIL while in the kernel, and the tracer's sampling thread may hold it when it wants it back).
  assert.ok((returned.sleeps as number) <= 2, `send() slept ${returned.sleeps} times`);
  assert.equal(lines.filter((l) => l.type === "fact" && l.fact === "send.blocked").length, 0, "never blocked");
  assert.equal(one(lines, "peer.closed").bytes, sent);
  assert.deepEqual(pick(one(lines, "transfer.ended"), ["intended", "sent", "received", "lost"]), {
    intended: DATA_BYTES,
    sent,
    received: sent,
    lost: DATA_BYTES - sent,
  });
  const beat = lines.find((l) => l.type === "beat" && l.fact === "transfer.ended");
  assert.match(String(beat?.text), /ignored send\(\)'s return value/);
  assert.match(String(beat?.text), /sendall/);
  beatsInTimeOrder(lines);
  assertNothingLeft(lines);
});

test("run cancel-connect --json: connect() blocks in connect, the deadline cancels, nothing is accepted", async () => {
  const result = await runCli(["run", "cancel-connect", "--json"]);
  assert.equal(result.code, 0, result.stderr);
  const lines = ndjson(result.stdout);
  inOrder(lines, ["acceptq.filled", "connect.blocked", "connect_ex.returned", "select.returned", "close.called"]);
  assert.equal(one(lines, "connect.blocked").syscall, "connect");
  assert.equal(one(lines, "connect_ex.returned").errno, "EINPROGRESS");
  assert.ok(Math.abs((one(lines, "select.returned").ms as number) - 2000) < 200);
  assert.equal(one(lines, "close.called", "stopper").state, "SYN_SENT");
  assert.equal(facts(lines, "accept.returned").length, 0);
  assert.equal(one(lines, "program.exited", "stopper").code, 0);
  assert.equal(one(lines, "program.exited", "blocking").stopped_by, "lesson over");
  assert.deepEqual(lines.at(-1)?.unobserved, []);
  beatsInTimeOrder(lines);
  assertNothingLeft(lines);
});

test("run <id> --plain reads as a walkthrough with this run's numbers", async () => {
  const blocking = await runCli(["run", "blocking-send", "--plain"]);
  assert.equal(blocking.code, 0, blocking.stderr);
  assert.match(blocking.stdout, /^Blocking send\n=+\n/);
  assert.match(blocking.stdout, /sock\.send\(data\) with 136,314,880 bytes/);
  assert.match(blocking.stdout, /asleep inside the sendto system call/);
  assert.match(
    blocking.stdout,
    /send\(\) returned after [\d,.]+ m?s, having taken 136,314,880 bytes of the\s+136,314,880 bytes/,
  );
  assert.match(blocking.stdout, /put it to sleep\s+\d+ times/);
  assert.match(blocking.stdout, /the server received 136,314,880 bytes/);
  assert.match(blocking.stdout, /0 bytes lost/);
  assert.match(blocking.stdout, /Lesson over after .*: every program exited\.\n$/);

  const nonBlocking = await runCli(["run", "non-blocking-send", "--plain"]);
  assert.equal(nonBlocking.code, 0, nonBlocking.stderr);
  assert.match(nonBlocking.stdout, /it took [\d,]+ bytes of the 136,314,880 bytes/);
  assert.match(nonBlocking.stdout, /never arrived/);

  const cancel = await runCli(["run", "cancel-connect", "--plain"]);
  assert.equal(cancel.code, 0, cancel.stderr);
  assert.match(cancel.stdout, /asleep in connect/);
  assert.match(cancel.stdout, /returns after [\d.]+ ms with EINPROGRESS/);
  assert.match(cancel.stdout, /select\(\) returned\s+after 2,0\d\d ms with no socket ready/);
});

test("list and list --json", async () => {
  const json = await runCli(["list", "--json"]);
  assert.equal(json.code, 0);
  assert.deepEqual(JSON.parse(json.stdout), [
    { id: "blocking-send", title: "Blocking send" },
    { id: "non-blocking-send", title: "Non-blocking send" },
    { id: "cancel-connect", title: "Cancel a connect" },
    { id: "blocking-recv", title: "Blocking recv" },
    { id: "send-all", title: "Send it all" },
    { id: "select-writable", title: "Wait in select(), not in a loop" },
    { id: "timeouts", title: "Timeouts" },
    { id: "one-at-a-time-vs-selectors", title: "One at a time, or all at once" },
    { id: "slow-reader", title: "A slow reader" },
  ]);
  const text = await runCli(["list"]);
  assert.match(text.stdout, /^blocking-send +Blocking send\n/);
});
