import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import {
  type NetTcpRow,
  parseNetTcp,
  parseProcStat,
  parseProcSyscall,
  parseWchan,
  type ProcStat,
  syscallName,
} from "../../src/probe/parse.ts";
import type { ProcSample } from "../../src/probe/types.ts";

// Real files captured by test/fixtures/proc/capture.py; expected.json was
// computed there, in Python, independently of the parsers under test.
const FIXTURES = fileURLToPath(new URL("../fixtures/proc/", import.meta.url));

interface Expected {
  readonly arch: string;
  readonly self: number;
  readonly processes: readonly { scenario: string; pid: number; stat: ProcStat; sample: ProcSample }[];
  readonly netTcp: readonly NetTcpRow[];
  readonly netTcp6: readonly NetTcpRow[];
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
  assert.equal(syscallName(34, "x86_64"), "pause");
  assert.equal(syscallName(133, "aarch64"), "rt_sigsuspend");
  assert.equal(syscallName(242, "arm64"), "accept4");
});

test("parseNetTcp reads the captured /proc/net/tcp and tcp6 as expected.json says", () => {
  assert.deepEqual(parseNetTcp(fixture("net", "tcp")), expected.netTcp);
  assert.deepEqual(parseNetTcp(fixture("net", "tcp6"), "/proc/net/tcp6"), expected.netTcp6);
});

test("parseNetTcp shows the kernel's side of each captured lesson state", () => {
  const tcp = parseNetTcp(fixture("net", "tcp"));
  const tcp6 = parseNetTcp(fixture("net", "tcp6"));
  // The blocked sender: megabytes queued on its side, its peer's buffer holds the rest.
  const sender = tcp.find((r) => r.state === "ESTABLISHED" && r.txQueue > 1_000_000);
  assert.ok(sender, "a sender with a full send queue");
  const receiver = tcp6.find((r) => r.localPort === sender.remotePort && r.state === "ESTABLISHED");
  assert.ok(receiver, "its never-reading peer, in tcp6 through the v4-mapped address");
  assert.equal(receiver.localAddress, "::ffff:127.0.0.1");
  assert.equal(receiver.remotePort, sender.localPort);
  assert.ok(receiver.rxQueue > 0);
  // The full accept queue: one connection waiting, the next connect stuck in SYN_SENT.
  const synSent = tcp.find((r) => r.state === "SYN_SENT");
  assert.ok(synSent);
  assert.equal(synSent.txQueue, 1, "the unacknowledged SYN takes one sequence number");
  const listener = tcp.find((r) => r.state === "LISTEN" && r.localPort === synSent.remotePort);
  assert.equal(listener?.rxQueue, 1, "for a listener, rx_queue counts the accept queue");
  const queued = tcp.find((r) => r.localPort === synSent.remotePort && r.state === "ESTABLISHED");
  assert.equal(queued?.inode, 0, "not yet accepted, so no file and no inode");
});

test("parseNetTcp decodes little-endian words of IPv4 and IPv6 addresses", () => {
  const header = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n";
  const rows = parseNetTcp(
    header +
      "   0: 0100007F:3039 0101A8C0:D431 01 0000000A:000000FF 00:00000000 00000000  1000        0 4242 1 0 20 4 30 10 -1\n" +
      "   1: 00000000000000000000000001000000:0016 B80D0120000000000000000001000000:0050 0A 00000000:00000003 00:00000000 00000000     0        0 77 1 0 100 0 0 10 0\n" +
      "   2: 00000000000000000000000000000000:1F90 000080FE00000000FF020000FE020000:0050 06 00000000:00000000 03:00001770 00000000     0        0 0 3 0\n",
    "/proc/net/tcp6",
  );
  assert.deepEqual(
    rows.map((r) => [r.localAddress, r.localPort, r.remoteAddress, r.remotePort, r.state]),
    [
      ["127.0.0.1", 12345, "192.168.1.1", 54321, "ESTABLISHED"],
      ["::1", 22, "2001:db8::1", 80, "LISTEN"],
      ["::", 8080, "fe80::2ff:0:2fe", 80, "TIME_WAIT"],
    ],
  );
  assert.deepEqual([rows[0]?.txQueue, rows[0]?.rxQueue, rows[0]?.uid, rows[0]?.inode], [10, 255, 1000, 4242]);
});

test("bad input throws an error naming the file and the raw line", () => {
  assert.throws(() => parseProcStat("garbage", "/proc/123/stat"), {
    message: '/proc/123/stat: cannot parse: "garbage"',
  });
  assert.throws(() => parseProcStat("123 (python3) S 1 2\n", "/proc/123/stat"), {
    message: '/proc/123/stat: cannot parse: "123 (python3) S 1 2"',
  });
  assert.throws(() => parseProcStat("x (python3) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20"), {
    message: 'stat: cannot parse: "x (python3) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20"',
  });
  assert.throws(() => parseProcSyscall("44 0x3\n", "x86_64", "/proc/9/syscall"), {
    message: '/proc/9/syscall: cannot parse: "44 0x3"',
  });
  assert.throws(() => parseProcSyscall("sleeping", "x86_64"), { message: 'syscall: cannot parse: "sleeping"' });
  const header = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n";
  const badState = "   0: 0100007F:3039 00000000:0000 FF 00000000:00000000 00:00000000 00000000     0        0 1 1";
  assert.throws(() => parseNetTcp(`${header}${badState}\n`), { message: `/proc/net/tcp: cannot parse: "${badState}"` });
  const badAddress = "   0: 7F:3039 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1";
  assert.throws(() => parseNetTcp(`${header}${badAddress}\n`, "/proc/net/tcp6"), {
    message: `/proc/net/tcp6: cannot parse: "${badAddress}"`,
  });
  assert.throws(() => parseNetTcp("not a header\n"), { message: '/proc/net/tcp: cannot parse: "not a header"' });
});
