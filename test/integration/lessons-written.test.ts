// Lessons written from the README's "Writing a lesson" section alone (by a
// reader who saw nothing else), kept as tests of the open engine: a lesson
// about any traced call is a folder, never a code change.
import assert from "node:assert/strict";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { facts, type JsonLine, ndjson, runCli } from "../helpers/cli.ts";

const WRITTEN = fileURLToPath(new URL("../fixtures/lessons-written/", import.meta.url));

async function run(id: string, extra: string[] = []): Promise<JsonLine[]> {
  const result = await runCli(["run", id, "--json", "--lessons", WRITTEN, ...extra]);
  assert.equal(result.code, 0, result.stderr);
  const lines = ndjson(result.stdout);
  assert.deepEqual(lines.at(-1)?.unobserved, [], `${id}: every beat told`);
  return lines;
}

function one(lines: JsonLine[], name: string, program: string): JsonLine {
  const found = facts(lines, name, program);
  assert.equal(found.length >= 1, true, `${name} of ${program}`);
  return found[0]!;
}

test("recv-blocked: the server asleep in recvfrom while the client sleeps 1.5 s, then recv() returns after ~1,500 ms", async () => {
  const lines = await run("recv-blocked");
  const blocked = one(lines, "recv.blocked", "server");
  assert.equal(blocked.syscall, "recvfrom");
  const sleep = one(lines, "sleep.called", "client");
  assert.ok((blocked.t as number) >= (sleep.t as number) - 25, "asleep in recv while the client sleeps");
  const returned = facts(lines, "recv.returned", "server").find((f) => f.nth === 1)!;
  assert.ok(Math.abs((returned.ms as number) - 1500) < 150, `recv() took ${returned.ms} ms`);
});

test("recv-timeout: recv() raises a timeout ~1,000 ms after settimeout(1.0), asleep in poll meanwhile", async () => {
  const lines = await run("recv-timeout");
  const raised = one(lines, "recv.raised", "client");
  assert.equal(raised.error, "timeout");
  assert.ok(Math.abs((raised.ms as number) - 1000) < 100, `raised after ${raised.ms} ms`);
  assert.equal(raised.timeout_s, 1);
  assert.equal(raised.mode, "timeout");
  // With a timeout CPython waits in poll() before recvfrom(): the kernel shows that.
  assert.ok(["poll", "ppoll"].includes(one(lines, "recv.blocked", "client").syscall as string));
});

test("select-send: a non-blocking sender asleep in select() inside its loop, every byte delivered", async () => {
  const lines = await run("select-send");
  const blocked = one(lines, "select.blocked", "sender");
  assert.ok(["select", "pselect6"].includes(blocked.syscall as string));
  assert.equal(one(lines, "send.raised", "sender").error, "would_block");
  const transfer = facts(lines, "transfer.ended").find((f) => f.from === "sender")!;
  assert.deepEqual([transfer.intended, transfer.received, transfer.lost], [64 * 1024 * 1024, 64 * 1024 * 1024, 0]);
});

test("the README's worked example, accept-wait: asleep in accept until the client comes a second later", async () => {
  const lines = await run("accept-wait");
  assert.equal(one(lines, "accept.blocked", "server").syscall, "accept4");
  assert.ok((one(lines, "accept.returned", "server").ms as number) >= 1000);
  const told = lines.filter((l) => l.type === "beat").map((l) => l.title);
  assert.deepEqual(told, ["Listening", "Asleep in accept()", "The client dawdles", "A client", "Hello", "The end"]);
});

test("trace-only: the written lessons tell their stand-ins and end, nothing unobserved", async () => {
  for (const id of ["recv-blocked", "recv-timeout"]) {
    const lines = await run(id, ["--probe", "trace-only"]);
    const standIns = lines.filter((l) => l.type === "beat" && l.unobservable !== null);
    assert.ok(standIns.length > 0 && standIns.every((b) => String(b.fact).endsWith(".waiting")), id);
  }
});
