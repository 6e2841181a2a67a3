// What the app shows of the kernel, against independent witnesses on this
// machine: `ss` for the socket queues the tracer reads, a child asleep in a
// known system call for the /proc probe. Skipped, with the reason, where this
// machine lacks what a test needs.
import assert from "node:assert/strict";
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { test } from "node:test";
import { setTimeout as delay } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { loadLesson } from "../../src/lessons/load.ts";
import { createProbe } from "../../src/probe/index.ts";
import { createLinuxProbe, isProcessGone, readProcStartTime } from "../../src/probe/linux.ts";
import { findFreePort } from "../../src/runner/ports.ts";
import { tracerFiles } from "../../src/runner/program.ts";
import { findPython } from "../../src/runner/python.ts";
import { LessonRun } from "../../src/runner/run-lesson.ts";
import type { SockSample } from "../../src/trace/events.ts";

const WITNESS = fileURLToPath(new URL("../fixtures/lessons-witness/", import.meta.url));
const linux = process.platform === "linux";
const probe = linux ? createLinuxProbe() : null;
const hasSs = spawnSync("ss", ["-V"]).status === 0;

async function waitFor<T>(what: string, check: () => T | null, withinMs = 5000): Promise<T> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const value = check();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await delay(10);
  }
}

const canSeeSyscalls = probe?.capabilities.syscall && probe.capabilities.wchan;
test("the probe: a child asleep in clock_nanosleep, then gone once reaped", {
  skip: canSeeSyscalls ? false : "needs Linux with readable /proc/PID/syscall and wchan names",
}, async () => {
  const child = spawn("sleep", ["30"], { stdio: "ignore" });
  const pid = child.pid ?? assert.fail("sleep did not start");
  const startTime = readProcStartTime(pid);
  try {
    const asleep = await waitFor("sleep to block", () => {
      const s = probe!.sample(pid);
      return s !== "gone" && s.syscall.kind === "in-syscall" && s.syscall.name === "clock_nanosleep" ? s : null;
    });
    assert.deepEqual(asleep.syscall, {
      kind: "in-syscall",
      nr: process.arch === "arm64" ? 115 : 230,
      name: "clock_nanosleep",
    });
    assert.equal(asleep.state, "S");
    assert.equal(asleep.wchan, "hrtimer_nanosleep");
    assert.equal(isProcessGone(pid, startTime ?? -1), false);
  } finally {
    child.kill("SIGKILL");
    await once(child, "exit");
  }
  assert.equal(probe!.sample(pid), "gone");
  assert.equal(isProcessGone(pid, startTime ?? -1), true);
  const quick = spawnSync("true");
  assert.equal(probe!.sample(quick.pid ?? -1), "gone", "an exited, reaped child");
});

interface SsRow {
  readonly recvQ: number;
  readonly sendQ: number;
  readonly local: string;
  readonly peer: string;
}

function ssRows(): SsRow[] {
  return execFileSync("ss", ["-tnH"], { encoding: "utf8" }).split("\n").filter((l) => l.trim()).map((l) => {
    const [, recvQ = "", sendQ = "", local = "", peer = ""] = l.trim().split(/\s+/);
    return { recvQ: Number(recvQ), sendQ: Number(sendQ), local, peer };
  });
}

test("the socket queues the app shows are the kernel's: SIOCOUTQ/SIOCINQ agree with ss on a stalled transfer", {
  skip: !linux ? "needs Linux (the socket queue ioctls)" : !hasSs ? "needs ss (Debian's iproute2)" : false,
}, async () => {
  const loaded = loadLesson(WITNESS, "slow-reader");
  assert.ok("lesson" in loaded);
  const latest = new Map<string, { t: number; sock: SockSample }>(); // "program" -> its connected socket
  const run = new LessonRun(loaded.lesson, {
    python: findPython().command,
    tracer: tracerFiles(),
    port: await findFreePort(),
    probe: createProbe("auto"),
    onObservation: (obs) => {
      if (obs.kind !== "trace" || obs.event.ev !== "sample") return;
      const sock = obs.event.socks.find((s) => s.state === "ESTABLISHED");
      if (sock) latest.set(obs.program, { t: obs.event.t, sock });
    },
  });
  const done = run.run();
  try {
    // The receiver sleeps 3 s: wait until both queues have been still for 300 ms
    // (longer than Linux's longest delayed ACK, 200 ms), then ask ss.
    let last = "";
    let stillSince = Date.now();
    const settled = await waitFor("both queues full and still", () => {
      const sender = latest.get("sender")?.sock;
      const receiver = latest.get("receiver")?.sock;
      if (!sender?.sndq || !receiver?.rcvq) return null;
      const now = `${sender.sndq}/${receiver.rcvq}`;
      if (now !== last) [last, stillSince] = [now, Date.now()];
      return Date.now() - stillSince >= 300 ? { sender, receiver } : null;
    }, 2500);
    const rows = ssRows();
    const after = `${latest.get("sender")!.sock.sndq}/${latest.get("receiver")!.sock.rcvq}`;
    assert.equal(after, last, "the queues moved while ss ran");
    const senderRow = rows.find((r) => r.local === settled.sender.local && r.peer === settled.sender.peer);
    const receiverRow = rows.find((r) => r.local === settled.receiver.local && r.peer === settled.receiver.peer);
    assert.ok(senderRow && receiverRow, `ss shows ${settled.sender.local} -> ${settled.sender.peer}`);
    assert.equal(settled.sender.sndq, senderRow.sendQ, "the sender's Send-Q");
    assert.equal(settled.receiver.rcvq, receiverRow.recvQ, "the receiver's Recv-Q");
    assert.ok(settled.sender.sndq! > 100_000 && settled.receiver.rcvq! > 10_000, last);
  } finally {
    await run.stop("test over");
    await done;
  }
});
