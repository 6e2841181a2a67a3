// Pure parsers, one per /proc file. No I/O here: linux.ts reads the files,
// the tests feed these functions real captures from test/fixtures/proc/.
// Bad input throws an Error naming the file and the raw line (procfs, psutil).

import type { SyscallState } from "./types.ts";

export interface ProcStat {
  readonly pid: number;
  readonly comm: string;
  readonly state: string;
  readonly ppid: number;
  readonly pgrp: number;
  /** Field 22, clock ticks since boot: tells a reused PID from the original. */
  readonly startTime: number;
}

function cannotParse(file: string, raw: string): Error {
  return new Error(`${file}: cannot parse: ${JSON.stringify(raw)}`);
}

/** /proc/PID/stat */
export function parseProcStat(text: string, file = "stat"): ProcStat {
  const line = text.replace(/\n$/, "");
  // comm is whatever the program named itself (up to 15 bytes) and may hold
  // spaces and ')', so only the LAST ')' reliably ends it.
  const open = line.indexOf(" (");
  const close = line.lastIndexOf(")");
  if (open < 1 || close < open) throw cannotParse(file, line);
  const rest = line.slice(close + 2).split(" ");
  const field = (n: number): string => rest[n - 3] ?? "";
  const stat = {
    pid: toInt(line.slice(0, open)),
    comm: line.slice(open + 2, close),
    state: field(3),
    ppid: toInt(field(4)),
    pgrp: toInt(field(5)),
    startTime: toInt(field(22)),
  };
  const numbers = [stat.pid, stat.ppid, stat.pgrp, stat.startTime];
  if (!/^[A-Za-z]$/.test(stat.state) || numbers.some(Number.isNaN)) throw cannotParse(file, line);
  return stat;
}

/** /proc/PID/wchan */
export function parseWchan(text: string): string | null {
  const name = text.trim();
  // The kernel writes "0" when the task is runnable (it waits on nothing),
  // when the reader may not ptrace-read the task, or when the address has no
  // symbol; kernels before 4.4 wrote the raw address instead. None is a name.
  if (name === "" || /^\d+$/.test(name)) return null;
  return name;
}

/**
 * /proc/PID/syscall. "running" means TASK_RUNNING: runnable, on a CPU or
 * queued for one (possibly preempted inside a system call). "-1 sp pc" means
 * asleep but not inside a system call: stopped by a signal, or a zombie
 * ("-1 0x0 0x0": its stack is already freed).
 */
export function parseProcSyscall(text: string, arch: string, file = "syscall"): SyscallState {
  const line = text.trim();
  if (line === "running") return { kind: "running" };
  const fields = line.split(" ");
  const nr = toInt(fields[0] ?? "");
  if (nr === -1 && fields.length === 3) return { kind: "not-in-syscall" };
  // nr, six arguments, stack pointer, program counter
  if (nr >= 0 && fields.length === 9) return { kind: "in-syscall", nr, name: syscallName(nr, arch) };
  throw cannotParse(file, line);
}

// Only the calls a socket lesson can be found sleeping in (and their
// neighbours). Numbers from arch/x86/entry/syscalls/syscall_64.tbl and
// include/uapi/asm-generic/unistd.h (arm64 uses the generic table, which has
// no poll, select, epoll_wait or pause: libc maps those to ppoll, pselect6,
// epoll_pwait and rt_sigsuspend).
// deno-fmt-ignore
const X86_64_SYSCALLS: ReadonlyMap<number, string> = new Map([
  [0, "read"], [1, "write"], [3, "close"], [7, "poll"], [16, "ioctl"],
  [19, "readv"], [20, "writev"], [23, "select"], [34, "pause"], [35, "nanosleep"],
  [41, "socket"], [42, "connect"], [43, "accept"], [44, "sendto"], [45, "recvfrom"],
  [46, "sendmsg"], [47, "recvmsg"], [48, "shutdown"], [49, "bind"], [50, "listen"],
  [54, "setsockopt"], [55, "getsockopt"], [61, "wait4"], [72, "fcntl"],
  [128, "rt_sigtimedwait"], [130, "rt_sigsuspend"], [202, "futex"],
  [230, "clock_nanosleep"], [231, "exit_group"], [232, "epoll_wait"], [247, "waitid"],
  [257, "openat"], [270, "pselect6"], [271, "ppoll"], [281, "epoll_pwait"],
  [288, "accept4"], [299, "recvmmsg"], [307, "sendmmsg"], [441, "epoll_pwait2"],
]);

// deno-fmt-ignore
const ARM64_SYSCALLS: ReadonlyMap<number, string> = new Map([
  [22, "epoll_pwait"], [25, "fcntl"], [29, "ioctl"], [56, "openat"], [57, "close"],
  [63, "read"], [64, "write"], [65, "readv"], [66, "writev"], [72, "pselect6"],
  [73, "ppoll"], [94, "exit_group"], [95, "waitid"], [98, "futex"], [101, "nanosleep"],
  [115, "clock_nanosleep"], [133, "rt_sigsuspend"], [137, "rt_sigtimedwait"],
  [198, "socket"], [200, "bind"], [201, "listen"], [202, "accept"], [203, "connect"],
  [206, "sendto"], [207, "recvfrom"], [208, "setsockopt"], [209, "getsockopt"],
  [210, "shutdown"], [211, "sendmsg"], [212, "recvmsg"], [242, "accept4"],
  [243, "recvmmsg"], [260, "wait4"], [269, "sendmmsg"], [441, "epoll_pwait2"],
]);

const SYSCALL_TABLES: Readonly<Record<string, ReadonlyMap<number, string>>> = {
  x86_64: X86_64_SYSCALLS,
  x64: X86_64_SYSCALLS, // Node's process.arch
  arm64: ARM64_SYSCALLS, // Node's process.arch
  aarch64: ARM64_SYSCALLS, // uname -m
};

/** Name of syscall `nr` on `arch` (uname -m or Node's process.arch); null if not in the table. */
function syscallName(nr: number, arch: string): string | null {
  return SYSCALL_TABLES[arch]?.get(nr) ?? null;
}

function toInt(text: string): number {
  return /^-?\d+$/.test(text) ? Number(text) : Number.NaN;
}
