import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { parseProcStat, parseProcSyscall, parseWchan, type ProcStat } from "../../src/probe/parse.ts";
import type { ProcSample } from "../../src/probe/types.ts";

// Real files captured by test/fixtures/proc/capture.py; expected.json was
// computed there, in Python, independently of the parsers under test.
const FIXTURES = fileURLToPath(new URL("../fixtures/proc/", import.meta.url));

interface Expected {
  readonly arch: string;
  readonly self: number;
  readonly processes: readonly { scenario: string; pid: number; stat: ProcStat; sample: ProcSample }[];
}

const expected = JSON.parse(readFileSync(join(FIXTURES, "expected.json"), "utf8")) as Expected;

function fixture(...parts: string[]): string {
  return readFileSync(join(FIXTURES, ...parts), "utf8");
}

function scenario(name: string) {
  const found = expected.processes.find((p) => p.scenario === name);
  assert.ok(found, `expected.json has no scenario ${name}`);
  return found;
}

test("parseProcStat reads every captured stat file as expected.json says", () => {
  for (const p of expected.processes) {
    assert.deepEqual(parseProcStat(fixture(String(p.pid), "stat")), p.stat, p.scenario);
  }
});

test("parseProcStat splits a comm holding spaces and ')' at the last ')'", () => {
  const odd = scenario("odd-comm-paused");
  const stat = parseProcStat(fixture(String(odd.pid), "stat"));
  assert.equal(stat.comm, "a) b (c");
  assert.equal(stat.state, "S");
  assert.equal(stat.ppid, odd.stat.ppid);
  assert.ok(stat.startTime > 0);
});

test("parseProcStat reads the zombie's state and the start time that tells a reused PID apart", () => {
  const zombie = scenario("zombie");
  const stat = parseProcStat(fixture(String(zombie.pid), "stat"));
  assert.equal(stat.state, "Z");
  assert.equal(stat.ppid, scenario("zombie-parent-reading").pid);
  // The child was forked after its parent started, so it started later.
  assert.ok(stat.startTime > scenario("zombie-parent-reading").stat.startTime);
});

test('parseWchan gives the captured names, and null for the kernel\'s "0"', () => {
  for (const p of expected.processes) {
    assert.equal(parseWchan(fixture(String(p.pid), "wchan")), p.sample.wchan, p.scenario);
  }
  assert.equal(parseWchan(fixture(String(scenario("send-blocked").pid), "wchan")), "wait_woken");
  assert.equal(parseWchan(fixture(String(scenario("busy-running").pid), "wchan")), null);
  assert.equal(parseWchan(""), null);
  assert.equal(parseWchan("0\n"), null);
  assert.equal(parseWchan("18446744071579314851"), null, "old kernels print a bare address");
});

test("parseProcSyscall reads every captured syscall file as expected.json says", () => {
  for (const p of expected.processes) {
    assert.deepEqual(parseProcSyscall(fixture(String(p.pid), "syscall"), expected.arch), p.sample.syscall, p.scenario);
  }
});

test("parseProcSyscall tells in-syscall, running and blocked-outside-a-syscall apart", () => {
  const syscallOf = (name: string) => parseProcSyscall(fixture(String(scenario(name).pid), "syscall"), expected.arch);
  const nameOf = (name: string) => {
    const call = syscallOf(name);
    return call.kind === "in-syscall" ? call.name : call.kind;
  };
  assert.equal(nameOf("send-blocked"), "sendto");
  assert.equal(nameOf("accept-blocked"), "accept4");
  assert.equal(nameOf("connect-blocked"), "connect");
  assert.equal(nameOf("zombie-parent-reading"), "read");
  assert.deepEqual(syscallOf("busy-running"), { kind: "running" });
  assert.deepEqual(syscallOf("stopped"), { kind: "not-in-syscall" });
  assert.deepEqual(syscallOf("zombie"), { kind: "not-in-syscall" });
});

test("syscall names follow the architecture: x86_64 and arm64 number them differently", () => {
  const args = "0x3 0x7f5ed5a6e030 0x2faf080 0x0 0x0 0x0 0x7ffe9887f8b8 0x7f5ed98cbb59";
  assert.deepEqual(parseProcSyscall(`206 ${args}\n`, "aarch64"), { kind: "in-syscall", nr: 206, name: "sendto" });
  assert.deepEqual(parseProcSyscall(`206 ${args}`, "arm64"), { kind: "in-syscall", nr: 206, name: "sendto" });
  assert.deepEqual(parseProcSyscall(`44 ${args}`, "x64"), { kind: "in-syscall", nr: 44, name: "sendto" });
  assert.deepEqual(parseProcSyscall(`44 ${args}`, "arm64"), { kind: "in-syscall", nr: 44, name: null });
  assert.deepEqual(parseProcSyscall(`44 ${args}`, "riscv64"), { kind: "in-syscall", nr: 44, name: null });
  assert.deepEqual(parseProcSyscall(`9999 ${args}`, "x86_64"), { kind: "in-syscall", nr: 9999, name: null });
  assert.deepEqual(parseProcSyscall(`34 ${args}`, "x86_64"), { kind: "in-syscall", nr: 34, name: "pause" });
  assert.deepEqual(parseProcSyscall(`133 ${args}`, "aarch64"), { kind: "in-syscall", nr: 133, name: "rt_sigsuspend" });
  assert.deepEqual(parseProcSyscall(`242 ${args}`, "arm64"), { kind: "in-syscall", nr: 242, name: "accept4" });
});
