// Lessons written from the "Writing a lesson" guide alone (by a reader who
// saw nothing else), kept as tests of the open engine: a lesson about any
// traced call is a folder, never a code change. The guide's own worked lesson
// is run from the guide's text (docs/teaching.md), so the two cannot drift.
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { facts, type JsonLine, ndjson, runCli } from "../helpers/cli.ts";
import { tempDir } from "../helpers/temp-dir.ts";

const WRITTEN = fileURLToPath(new URL("../fixtures/lessons-written/", import.meta.url));
const TEACHING = new URL("../../docs/teaching.md", import.meta.url);

/** The worked lesson's files, each the code block under its `#### \`my-lessons/accept-wait/NAME\`` heading. */
function workedLessonFromGuide(): string {
  const guide = readFileSync(TEACHING, "utf8");
  const blocks = [...guide.matchAll(/^#### `my-lessons\/accept-wait\/([\w.]+)`\n\n```\w*\n([\s\S]*?)\n```$/gm)];
  assert.deepEqual(blocks.map((b) => b[1]), ["lesson.yaml", "server.py", "client.py"], "the guide's three files");
  const lessons = tempDir("worked-");
  mkdirSync(join(lessons, "accept-wait"));
  for (const [, name, text] of blocks) writeFileSync(join(lessons, "accept-wait", name!), `${text}\n`);
  return lessons;
}

async function run(id: string, extra: string[] = [], lessons = WRITTEN): Promise<JsonLine[]> {
  const result = await runCli(["run", id, "--json", "--lessons", lessons, ...extra]);
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

test("the guide's worked lesson (docs/teaching.md), with --hold 1: every beat in order, the hold, the recap", async () => {
  const lines = await run("accept-wait", ["--hold", "1"], workedLessonFromGuide());
  assert.equal(one(lines, "accept.blocked", "server").syscall, "accept4");
  assert.ok((one(lines, "accept.returned", "server").ms as number) >= 1000);
  const told = lines.filter((l) => l.type === "beat").map((l) => l.title);
  assert.deepEqual(told, [
    "Listening",
    "Asleep in accept()",
    "The client dawdles",
    "A client",
    "Nothing to read yet",
    "Hello",
    "The end",
  ]);
  const hold = lines.find((l) => l.type === "hold")!;
  assert.deepEqual([hold.program, hold.call, hold.when, hold.line], ["server", "sendall", "before", 11]);
  assert.ok(lines.some((l) => l.type === "release" && l.program === "server"));
  const recap = lines.at(-1)!.recap as string[];
  assert.match(recap[0]!, /^accept\(\) waited [\d,]+ ms for a client\.$/);
  assert.equal(recap[1], "6 bytes of 6 bytes arrived.");
});

test("the guide's worked lesson with --probe trace-only: the two stand-ins, marked, nothing unobserved", async () => {
  const lines = await run("accept-wait", ["--hold", "1", "--probe", "trace-only"], workedLessonFromGuide());
  const standIns = lines.filter((l) => l.type === "beat" && l.unobservable !== null).map((l) => l.fact);
  assert.deepEqual(standIns, ["accept.waiting", "recv.waiting"]);
});

test("trace-only: the written lessons tell their stand-ins and end, nothing unobserved", async () => {
  for (const id of ["recv-blocked", "recv-timeout"]) {
    const lines = await run(id, ["--probe", "trace-only"]);
    const standIns = lines.filter((l) => l.type === "beat" && l.unobservable !== null);
    assert.ok(standIns.length > 0 && standIns.every((b) => String(b.fact).endsWith(".waiting")), id);
  }
});
