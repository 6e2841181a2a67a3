import assert from "node:assert/strict";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { createProbe } from "../../src/probe/index.ts";
import { createLinuxProbe, isProcessGone, readProcStartTime } from "../../src/probe/linux.ts";
import { createNoProbe } from "../../src/probe/none.ts";
import type { ProcStat } from "../../src/probe/parse.ts";
import type { ProcSample } from "../../src/probe/types.ts";

// A fake procRoot of real files captured by test/fixtures/proc/capture.py.
const FIXTURES = fileURLToPath(new URL("../fixtures/proc/", import.meta.url));

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
