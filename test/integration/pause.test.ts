// "p": the app stops reading the server's output. Real backpressure: the
// server blocks writing to its stdout, stops calling recv(), the client's send
// queue fills and the client sleeps. Nothing piles up in the app meanwhile,
// and after resuming every byte arrives.
import assert from "node:assert/strict";
import { test } from "node:test";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import type { Fact } from "../../src/facts/types.ts";
import { defaultLessonsDir, loadLesson } from "../../src/lessons/load.ts";
import type { Observation } from "../../src/observations.ts";
import { createProbe } from "../../src/probe/index.ts";
import { findFreePort } from "../../src/runner/ports.ts";
import { tracerFiles } from "../../src/runner/program.ts";
import { findPython } from "../../src/runner/python.ts";
import { LessonRun } from "../../src/runner/run-lesson.ts";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;
const PAUSE_MS = 1500;

test("paused output: the server stops in write, the app holds < 10 MB more, and resumes to all 136,314,880 bytes", async () => {
  const loaded = loadLesson(defaultLessonsDir(), "blocking-send");
  assert.ok("lesson" in loaded);
  let serverState = "";
  let serverSyscall = "";
  const facts: Fact[] = [];
  let paused: { bytes: number; rss: number } | null = null;
  let duringPause = { maxBytes: 0, maxRss: 0, sawServerInWrite: false };
  let resolveBlocked!: () => void;
  const blocked = new Promise<void>((r) => (resolveBlocked = r));
  const run = new LessonRun(loaded.lesson, {
    python: findPython().command,
    tracer: tracerFiles(),
    port: await findFreePort(),
    probe: createProbe("auto"),
    onObservation: (obs: Observation) => {
      if (obs.kind === "proc" && obs.program === "server") {
        serverState = obs.sample.state;
        serverSyscall = obs.sample.syscall.kind === "in-syscall"
          ? obs.sample.syscall.name ?? ""
          : obs.sample.syscall.kind;
        if (paused && serverState === "S" && serverSyscall === "write") duringPause.sawServerInWrite = true;
      }
    },
    onFact: (fact) => {
      facts.push(fact);
      // The transfer is under way once the client's send queue has filled.
      if (fact.fact === "sendq.filled" && fact.values.program === "client") resolveBlocked();
    },
  });
  const done = run.run();
  await blocked;
  gc();
  run.setOutputPaused(true);
  paused = { bytes: run.stdoutBytes("server"), rss: process.memoryUsage().rss };
  const watch = setInterval(() => {
    duringPause = {
      ...duringPause,
      maxBytes: Math.max(duringPause.maxBytes, run.stdoutBytes("server") - paused!.bytes),
      maxRss: Math.max(duringPause.maxRss, process.memoryUsage().rss - paused!.rss),
    };
  }, 20);
  await new Promise((r) => setTimeout(r, PAUSE_MS));
  clearInterval(watch);
  run.setOutputPaused(false);
  await done;
  console.log(
    `paused ${PAUSE_MS} ms: ${duringPause.maxBytes} bytes of output reached the app, rss +${
      (duringPause.maxRss / 1024 / 1024).toFixed(1)
    } MB`,
  );
  assert.ok(duringPause.sawServerInWrite, "the probe saw the server asleep in write()");
  // A socketpair's buffers (a few hundred KiB) plus Node's 64 KiB stream buffer.
  assert.ok(duringPause.maxBytes < 1024 * 1024, `${duringPause.maxBytes} bytes arrived while paused`);
  assert.ok(duringPause.maxRss < 10 * 1024 * 1024, `rss grew ${duringPause.maxRss} bytes`);
  const recv = facts.find((f) => f.fact === "peer.closed");
  assert.equal(recv?.values.bytes, 136_314_880);
});
