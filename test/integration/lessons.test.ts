// Every lesson, run for real through the built app, as a learner would.
import assert from "node:assert/strict";
import { test } from "node:test";
import { facts, type JsonLine, listening, ndjson, processGone, runCli } from "../helpers/cli.ts";

const DATA_BYTES = 136_314_880;

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
  inOrder(lines, [
    "accept.waiting",
    "send.called",
    "sendq.filled",
    "send.blocked",
    "send.woke",
    "send.returned",
    "recv.total",
  ]);
  assert.equal(one(lines, "send.called").bytes, DATA_BYTES);
  assert.ok((one(lines, "sendq.filled").peak as number) > 100_000);
  assert.ok(["sendto", "send"].includes(one(lines, "send.blocked").syscall as string));
  assert.equal(one(lines, "send.returned").sent, DATA_BYTES);
  assert.equal(one(lines, "recv.total").bytes, DATA_BYTES);
  for (const program of ["server", "client"]) assert.equal(one(lines, "program.exited", program).code, 0);
  assert.equal(lines.at(-1)?.type, "end");
  assert.deepEqual(lines.at(-1)?.unobserved, []);
  assertNothingLeft(lines);
});

test("run non-blocking-send --json: send() returns early with part of the data; the rest is lost", async () => {
  const result = await runCli(["run", "non-blocking-send", "--json"]);
  assert.equal(result.code, 0, result.stderr);
  const lines = ndjson(result.stdout);
  const returned = one(lines, "send.returned");
  const sent = returned.sent as number;
  assert.ok(sent > 0 && sent < DATA_BYTES, `sent ${sent}`);
  assert.ok((returned.ms as number) < 100, `send() took ${returned.ms} ms`);
  assert.equal(one(lines, "recv.total").bytes, sent);
  const lost = one(lines, "data.lost");
  assert.equal(lost.intended, DATA_BYTES);
  assert.equal(lost.sent, sent);
  assert.equal(lost.lost, DATA_BYTES - sent);
  const beat = lines.find((l) => l.type === "beat" && l.fact === "data.lost");
  assert.match(String(beat?.text), /ignored send\(\)'s return value/);
  assert.match(String(beat?.text), /sendall/);
  assertNothingLeft(lines);
});

test("run cancel-connect --json: connect() blocks in connect, the deadline cancels, nothing is accepted", async () => {
  const result = await runCli(["run", "cancel-connect", "--json"]);
  assert.equal(result.code, 0, result.stderr);
  const lines = ndjson(result.stdout);
  inOrder(lines, ["connect.blocked", "connect.cancelled"]);
  assert.equal(one(lines, "connect.blocked").syscall, "connect");
  assert.ok((one(lines, "connect.cancelled").after_ms as number) >= 2000);
  assert.equal(facts(lines, "accept.returned").length, 0);
  assert.equal(one(lines, "program.exited", "stopper").code, 0);
  assertNothingLeft(lines);
});

test("run <id> --plain reads as a walkthrough with this run's numbers", async () => {
  const blocking = await runCli(["run", "blocking-send", "--plain"]);
  assert.equal(blocking.code, 0, blocking.stderr);
  assert.match(blocking.stdout, /^Blocking send\n=+\n/);
  assert.match(blocking.stdout, /sock\.send\(data\) with 136,314,880 bytes/);
  assert.match(blocking.stdout, /asleep inside the sendto system call/);
  assert.match(blocking.stdout, /send\(\) returned 136,314,880 bytes of 136,314,880 bytes after [\d,.]+ m?s/);
  assert.match(blocking.stdout, /received 136,314,880 bytes/);
  assert.match(blocking.stdout, /Lesson over after .*: every program exited\.\n$/);

  const nonBlocking = await runCli(["run", "non-blocking-send", "--plain"]);
  assert.equal(nonBlocking.code, 0, nonBlocking.stderr);
  assert.match(nonBlocking.stdout, /it took [\d,]+ bytes of 136,314,880 bytes/);
  assert.match(nonBlocking.stdout, /were never sent/);

  const cancel = await runCli(["run", "cancel-connect", "--plain"]);
  assert.equal(cancel.code, 0, cancel.stderr);
  assert.match(cancel.stdout, /asleep in connect/);
  assert.match(cancel.stdout, /returns at once with EINPROGRESS/);
  assert.match(cancel.stdout, /The deadline passed after 2,0\d\d ms/);
});

test("list and list --json", async () => {
  const json = await runCli(["list", "--json"]);
  assert.equal(json.code, 0);
  assert.deepEqual(JSON.parse(json.stdout), [
    { id: "blocking-send", title: "Blocking send" },
    { id: "non-blocking-send", title: "Non-blocking send" },
    { id: "cancel-connect", title: "Cancel a connect" },
  ]);
  const text = await runCli(["list"]);
  assert.match(text.stdout, /^blocking-send +Blocking send\n/);
});
