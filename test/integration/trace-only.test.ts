// --probe trace-only: the lessons run on the tracer's word alone (as on a
// machine without /proc); kernel facts give way to what the trace shows, and
// the narration says what it could not observe.
import { BLOCKING_SEND_LINE } from "../helpers/lesson-lines.ts";
import assert from "node:assert/strict";
import { test } from "node:test";
import { facts, type JsonLine, ndjson, runCli } from "../helpers/cli.ts";

const DATA_BYTES = 136_314_880;

async function traceOnly(id: string): Promise<JsonLine[]> {
  const r = await runCli(["run", id, "--json", "--probe", "trace-only"]);
  assert.equal(r.code, 0, r.stderr);
  const lines = ndjson(r.stdout);
  assert.deepEqual(lines[0]!.probe, {
    proc: false,
    wchan: false,
    syscall: false,
    off: "--probe trace-only",
    notes: [
      "The kernel probe is off (--probe trace-only), so the lesson shows what the programs asked for, not what the kernel did with them.",
    ],
  });
  for (const kernelFact of ["send.blocked", "send.woke", "connect.blocked"]) {
    assert.equal(facts(lines, kernelFact).length, 0);
  }
  return lines;
}

const beat = (lines: JsonLine[], fact: string) => lines.find((l) => l.type === "beat" && l.fact === fact);

test("blocking-send, trace-only: stuck in send() per the trace, the queue from the tracer, the sleep marked unobservable", async () => {
  const lines = await traceOnly("blocking-send");
  const waiting = facts(lines, "send.waiting")[0]!;
  assert.ok((waiting.ms as number) >= 200);
  assert.ok((facts(lines, "sendq.filled")[0]!.peak as number) > 100_000);
  const returned = facts(lines, "send.returned")[0]!;
  assert.equal(returned.bytes, DATA_BYTES);
  // The tracer's own kernel counters still count: the probe that is off is /proc.
  assert.ok((returned.sleeps as number) > 10, `sleeps ${returned.sleeps}`);
  assert.equal(facts(lines, "peer.closed")[0]!.bytes, DATA_BYTES);
  const stuck = beat(lines, "send.waiting")!;
  assert.equal(stuck.unobservable, "the kernel probe is off (--probe trace-only)");
  assert.match(
    String(stuck.text),
    new RegExp(`still finds the client inside sock\\.send\\(data\\) on line ${BLOCKING_SEND_LINE}\\b`),
  );
  const woke = lines.find((l) => l.type === "beat" && l.title === "The kernel wakes it again")!;
  assert.equal(woke.text, "Not observable here: the kernel probe is off (--probe trace-only).");
  const end = lines.at(-1)!;
  assert.deepEqual(end.unobserved, []);
});

test("non-blocking-send, trace-only: the same short send and lost data", async () => {
  const lines = await traceOnly("non-blocking-send");
  const sent = facts(lines, "send.returned")[0]!.bytes as number;
  assert.ok(sent > 0 && sent < DATA_BYTES);
  assert.equal(facts(lines, "transfer.ended")[0]!.lost, DATA_BYTES - sent);
});

test("cancel-connect, trace-only: connect() seen not returning, then the deadline cancels", async () => {
  const lines = await traceOnly("cancel-connect");
  assert.ok((facts(lines, "connect.waiting", "blocking")[0]!.ms as number) >= 200);
  assert.equal(facts(lines, "close.called", "stopper")[0]!.state, "SYN_SENT");
  assert.equal(facts(lines, "accept.returned").length, 0);
  assert.ok(beat(lines, "connect.waiting")!.unobservable);
});
