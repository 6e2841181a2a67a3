import assert from "node:assert/strict";
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import net, { type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { setTimeout as delay } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { createProbe } from "../../src/probe/index.ts";
import { createLinuxProbe, isProcessGone, readProcStartTime } from "../../src/probe/linux.ts";
import { createNoProbe } from "../../src/probe/none.ts";
import { type NetTcpRow, parseNetTcp, type ProcStat } from "../../src/probe/parse.ts";
import type { ProcSample } from "../../src/probe/types.ts";

// A fake procRoot of real files captured by test/fixtures/proc/capture.py.
const FIXTURES = fileURLToPath(new URL("../fixtures/proc/", import.meta.url));
const POLL_MS = 10;
const WAIT_MS = 5_000;
/** Longer than Linux's longest delayed ACK (TCP_DELACK_MAX, 200 ms). */
const SETTLE_MS = 300;

interface Expected {
  readonly arch: string;
  readonly self: number;
  readonly processes: readonly { scenario: string; pid: number; stat: ProcStat; sample: ProcSample }[];
}

const expected = JSON.parse(readFileSync(join(FIXTURES, "expected.json"), "utf8")) as Expected;

function scenario(name: string) {
  const found = expected.processes.find((p) => p.scenario === name);
  assert.ok(found, `expected.json has no scenario ${name}`);
  return found;
}

/** A throwaway procRoot holding copies of some fixture process folders. */
function tempRoot(...pids: number[]): string {
  const root = mkdtempSync(join(tmpdir(), "probe-proc-"));
  for (const pid of pids) cpSync(join(FIXTURES, String(pid)), join(root, String(pid)), { recursive: true });
  return root;
}

async function waitFor<T>(what: string, check: () => T | null): Promise<T> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const value = check();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await delay(POLL_MS);
  }
}

test("the probe samples each captured process as expected.json says", () => {
  const probe = createLinuxProbe({ procRoot: FIXTURES, arch: expected.arch });
  for (const p of expected.processes) assert.deepEqual(probe.sample(p.pid), p.sample, p.scenario);
  const sender = scenario("send-blocked");
  assert.deepEqual(probe.sample(sender.pid), {
    pid: sender.pid,
    state: "S",
    wchan: "wait_woken",
    syscall: { kind: "in-syscall", nr: expected.arch === "aarch64" ? 206 : 44, name: "sendto" },
  });
});

test("a zombie is sampled, not gone, but counts as gone for the PID check", () => {
  const zombie = scenario("zombie");
  const probe = createLinuxProbe({ procRoot: FIXTURES, arch: expected.arch });
  assert.deepEqual(probe.sample(zombie.pid), {
    pid: zombie.pid,
    state: "Z",
    wchan: null,
    syscall: { kind: "not-in-syscall" },
  });
  assert.equal(isProcessGone(zombie.pid, zombie.stat.startTime, FIXTURES), true);
});

test("capabilities come from the fake root's self and its sleeping parent", () => {
  const probe = createLinuxProbe({ procRoot: FIXTURES, arch: expected.arch });
  assert.deepEqual(probe.capabilities, { proc: true, wchan: true, syscall: true, off: null, notes: [] });
});

test('wchan that only ever reads "0" stays usable but says names may be hidden', () => {
  const self = scenario("self-reading-own-proc");
  const root = tempRoot(self.pid); // no parent folder: nothing shows a name
  try {
    cpSync(join(FIXTURES, "self"), join(root, "self"), { recursive: true });
    const { capabilities } = createLinuxProbe({ procRoot: root });
    assert.equal(capabilities.wchan, true);
    assert.equal(capabilities.notes.length, 1);
    assert.match(capabilities.notes[0] ?? "", /wchan read only "0"/);
  } finally {
    rmSync(root, { recursive: true });
  }
});

test("a sleeping thread of our own shows a name: no note, even with a busy parent", () => {
  const self = scenario("self-reading-own-proc");
  const root = tempRoot(self.pid); // no parent folder, as if the parent were running (wchan "0")
  try {
    cpSync(join(FIXTURES, "self"), join(root, "self"), { recursive: true });
    mkdirSync(join(root, "self", "task", "4242"), { recursive: true });
    writeFileSync(join(root, "self", "task", "4242", "wchan"), "futex_wait_queue");
    const { capabilities } = createLinuxProbe({ procRoot: root });
    assert.equal(capabilities.wchan, true);
    assert.deepEqual(capabilities.notes, []);
  } finally {
    rmSync(root, { recursive: true });
  }
});

test("Yama ptrace_scope 3 turns the syscall capability off, with a sentence", () => {
  const root = mkdtempSync(join(tmpdir(), "probe-proc-"));
  try {
    cpSync(FIXTURES, root, { recursive: true });
    mkdirSync(join(root, "sys/kernel/yama"), { recursive: true });
    writeFileSync(join(root, "sys/kernel/yama/ptrace_scope"), "3\n");
    const { capabilities } = createLinuxProbe({ procRoot: root });
    assert.deepEqual(capabilities, {
      proc: true,
      wchan: true,
      syscall: false,
      off: null,
      notes: ["Yama ptrace_scope is 3, so the lesson cannot show which system call a blocked program is in."],
    });
  } finally {
    rmSync(root, { recursive: true });
  }
});

test("a root without /proc: every capability false, each with a sentence", () => {
  const missing = join(FIXTURES, "no-such-proc");
  const { capabilities } = createLinuxProbe({ procRoot: missing });
  assert.deepEqual([capabilities.proc, capabilities.wchan, capabilities.syscall], [false, false, false]);
  assert.deepEqual(capabilities.notes, [
    `${missing}/self/stat is not readable (ENOENT), so the lesson cannot show whether a program runs or sleeps in the kernel.`,
  ]);
});

test("a PID with no folder is gone, for sample, start time and the gone check", () => {
  const probe = createLinuxProbe({ procRoot: FIXTURES, arch: expected.arch });
  assert.equal(probe.sample(999_999_999), "gone");
  assert.equal(readProcStartTime(999_999_999, FIXTURES), null);
  assert.equal(isProcessGone(999_999_999, 1, FIXTURES), true);
});

test("a PID reused by a newer process counts as gone; the original does not", () => {
  const sender = scenario("send-blocked");
  assert.equal(readProcStartTime(sender.pid, FIXTURES), sender.stat.startTime);
  assert.equal(isProcessGone(sender.pid, sender.stat.startTime, FIXTURES), false);
  assert.equal(isProcessGone(sender.pid, sender.stat.startTime - 1, FIXTURES), true);
});

test("an unreadable syscall file is unknown with the reason; a missing one too", () => {
  const sender = scenario("send-blocked");
  const accept = scenario("accept-blocked");
  const root = tempRoot(sender.pid, accept.pid);
  try {
    // /proc/sys/vm/drop_caches is write-only and refuses reads with EACCES
    // even to root: a real EACCES from procfs, like a denied syscall file.
    const denied = join(root, String(sender.pid), "syscall");
    rmSync(denied);
    symlinkSync("/proc/sys/vm/drop_caches", denied);
    rmSync(join(root, String(accept.pid), "syscall"));
    rmSync(join(root, String(accept.pid), "wchan"));
    const probe = createLinuxProbe({ procRoot: root, arch: expected.arch });
    assert.deepEqual(probe.sample(sender.pid), {
      pid: sender.pid,
      state: "S",
      wchan: "wait_woken",
      syscall: { kind: "unknown", why: `${denied}: EACCES: reading it needs ptrace access to the process` },
    });
    assert.deepEqual(probe.sample(accept.pid), {
      pid: accept.pid,
      state: "S",
      wchan: null,
      syscall: { kind: "unknown", why: `${join(root, String(accept.pid), "syscall")}: this kernel has no such file` },
    });
  } finally {
    rmSync(root, { recursive: true });
  }
});

test("createProbe: trace-only and non-Linux fall back to the no-probe, saying why", () => {
  const traceOnly = createProbe("trace-only");
  assert.equal(traceOnly.capabilities.proc, false);
  assert.match(traceOnly.capabilities.notes[0] ?? "", /\(--probe trace-only\)/);
  assert.match(createProbe("auto", { platform: "darwin" }).capabilities.notes[0] ?? "", /darwin has no \/proc/);
  const noRoot = createProbe("auto", { procRoot: join(FIXTURES, "no-such-proc") });
  assert.match(noRoot.capabilities.notes[0] ?? "", /no-such-proc is not readable/);
  const fixtureProbe = createProbe("auto", { procRoot: FIXTURES, arch: expected.arch, platform: "linux" });
  assert.deepEqual(fixtureProbe.sample(scenario("busy-running").pid), scenario("busy-running").sample);
});

test("the no-probe reports unknown, never a made-up state or gone", () => {
  const probe = createNoProbe("no /proc on darwin");
  assert.deepEqual(probe.capabilities, {
    proc: false,
    wchan: false,
    syscall: false,
    off: null,
    notes: [
      "No kernel probe (no /proc on darwin), so the lesson shows what the programs asked for, not what the kernel did with them.",
    ],
  });
  assert.deepEqual(probe.sample(42), {
    pid: 42,
    state: "?",
    wchan: null,
    syscall: { kind: "unknown", why: "no /proc on darwin" },
  });
});

test("live: the real /proc shows a sleeping child in clock_nanosleep, then gone once reaped", async () => {
  const probe = createLinuxProbe();
  assert.deepEqual([probe.capabilities.proc, probe.capabilities.wchan, probe.capabilities.syscall], [true, true, true]);
  const child = spawn("sleep", ["30"], { stdio: "ignore" });
  const pid = child.pid ?? assert.fail("sleep did not start");
  const startTime = readProcStartTime(pid);
  try {
    const asleep = await waitFor("sleep to block", () => {
      const s = probe.sample(pid);
      return s !== "gone" && s.syscall.kind === "in-syscall" && s.syscall.name === "clock_nanosleep" ? s : null;
    });
    assert.deepEqual(asleep.syscall, {
      kind: "in-syscall",
      nr: process.arch === "arm64" ? 115 : 230,
      name: "clock_nanosleep",
    });
    assert.equal(asleep.state, "S");
    assert.equal(asleep.wchan, "hrtimer_nanosleep");
    assert.equal(typeof startTime, "number");
    assert.equal(isProcessGone(pid, startTime ?? -1), false);
  } finally {
    child.kill("SIGKILL");
    await once(child, "exit");
  }
  assert.equal(probe.sample(pid), "gone");
  assert.equal(isProcessGone(pid, startTime ?? -1), true);
  const quick = spawnSync("true");
  assert.equal(probe.sample(quick.pid ?? -1), "gone", "an exited, reaped child");
});

// ss names states the way iproute2 prints them.
const SS_STATES: Readonly<Record<string, string>> = {
  ESTAB: "ESTABLISHED",
  "SYN-SENT": "SYN_SENT",
  "SYN-RECV": "SYN_RECV",
  "FIN-WAIT-1": "FIN_WAIT1",
  "FIN-WAIT-2": "FIN_WAIT2",
  "TIME-WAIT": "TIME_WAIT",
  "CLOSE-WAIT": "CLOSE_WAIT",
  "LAST-ACK": "LAST_ACK",
  CLOSING: "CLOSING",
  LISTEN: "LISTEN",
};

interface SsRow {
  readonly state: string;
  readonly recvQ: number;
  readonly sendQ: number;
  readonly local: string;
  readonly peer: string;
}

function ssRows(): SsRow[] {
  return execFileSync("ss", ["-tnH"], { encoding: "utf8" })
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => {
      const [state = "", recvQ = "", sendQ = "", local = "", peer = ""] = l.trim().split(/\s+/);
      return { state: SS_STATES[state] ?? state, recvQ: Number(recvQ), sendQ: Number(sendQ), local, peer };
    });
}

/** Our connection's rows, without sl: a row's position moves as other sockets come and go. */
function procRows(port: number): Omit<NetTcpRow, "sl">[] {
  return parseNetTcp(readFileSync("/proc/net/tcp", "utf8"))
    .filter((r) => r.state !== "LISTEN" && (r.localPort === port || r.remotePort === port))
    .map(({ sl: _sl, ...row }) => row);
}

test("live: parseNetTcp agrees with ss -tnH on a loopback connection holding unread data", async () => {
  // pauseOnConnect: the accepted socket never reads, so bytes pile up in the
  // kernel: the receiver's Recv-Q fills, then the sender's Send-Q.
  const server = net.createServer({ pauseOnConnect: true });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const port = (server.address() as AddressInfo).port;
  const accepted = once(server, "connection") as Promise<[net.Socket]>;
  const client = net.connect(port, "127.0.0.1");
  await once(client, "connect");
  const [serverSide] = await accepted;
  client.write(Buffer.alloc(8 * 1024 * 1024, 120));
  try {
    const key = (r: Omit<NetTcpRow, "sl">) => `${r.localPort}>${r.remotePort}`;
    // The queues keep moving for a while after the receive window closes:
    // Send-Q counts bytes until they are acknowledged, and the receiver's
    // delayed ACK (40 to 200 ms) lags behind the bytes it already holds.
    let last = "";
    let since = Date.now();
    const rows = await waitFor("both queues to fill and settle", () => {
      const now = procRows(port);
      const snapshot = JSON.stringify(now);
      if (snapshot !== last) [last, since] = [snapshot, Date.now()];
      const full = now.length === 2 && now.every((r) => r.rxQueue + r.txQueue > 0);
      return full && Date.now() - since >= SETTLE_MS ? now : null;
    });
    const ss = ssRows();
    assert.deepEqual(procRows(port), rows, "the queues moved while ss ran");
    const receiver = rows.find((r) => r.localPort === port);
    const sender = rows.find((r) => r.remotePort === port);
    assert.ok(receiver && sender);
    assert.equal(sender.localPort, client.localPort);
    assert.ok(receiver.rxQueue > 0 && sender.txQueue > 0);
    assert.ok(receiver.rxQueue + sender.txQueue <= 8 * 1024 * 1024);
    for (const row of rows) {
      const match = ss.find((s) =>
        s.local === `127.0.0.1:${row.localPort}` && s.peer === `127.0.0.1:${row.remotePort}`
      );
      assert.ok(match, `ss shows ${key(row)}`);
      assert.deepEqual(
        { state: match.state, recvQ: match.recvQ, sendQ: match.sendQ },
        { state: row.state, recvQ: row.rxQueue, sendQ: row.txQueue },
        key(row),
      );
    }
  } finally {
    client.destroy();
    serverSide.destroy();
    server.close();
  }
});
