// Observations -> facts. Pure: no I/O, no clock; the same ordered stream
// always gives the same facts, which is what the recorded-stream tests check.
//
// Two sources meet here. The tracer says what the program asked for (it is
// inside send() since t, on line 19, with 136,314,880 bytes) and what its
// sockets hold (SIOCOUTQ, SO_SNDBUF); the /proc probe says what the kernel
// did with the program (asleep in sendto, wchan wait_woken). A fact that
// needs both waits until both have spoken.
import type { Observation } from "../observations.ts";
import type { ProcSample } from "../probe/types.ts";
import type { SockSample, TraceEvent } from "../runner/trace-events.ts";
import type { Evidence, Fact, FactName, FactValue } from "./types.ts";

const SEND_SYSCALLS: ReadonlySet<string> = new Set(["sendto", "send", "sendmsg", "write", "writev"]);
const CONNECT_SYSCALLS: ReadonlySet<string> = new Set(["connect"]);
/** Still inside a call after this long, per the tracer: the program is waiting on it. */
export const WAITING_MS = 200;
const WOULD_BLOCK: ReadonlySet<string> = new Set(["EAGAIN", "EWOULDBLOCK", "EINPROGRESS", "EALREADY"]);

interface CallInfo {
  readonly fn: string;
  readonly fd: number;
  readonly line: number | null;
  readonly t: number;
  readonly bytes?: number;
  readonly backlog?: number;
  readonly addr?: readonly unknown[];
}

/** A send() in progress, as far as the facts are concerned. */
interface Sending {
  readonly call: CallInfo;
  peak: number; // highest SIOCOUTQ seen since the call began
  limit: number | null; // SO_SNDBUF
  sampled: boolean; // a socket sample taken after the call began has arrived
  asleepSince: number | null;
  sleeps: number;
  filled: boolean;
  waiting: boolean;
  blocked: boolean;
  woke: boolean;
}

interface Connecting {
  readonly call: CallInfo;
  readonly nonBlocking: boolean; // connect_ex/EINPROGRESS: the program is free, the handshake goes on
  blocked: boolean;
  waiting: boolean;
  retrans: number | null;
}

interface ProgramState {
  pid: number | null;
  readonly calls: Map<number, CallInfo>; // open calls by tracer id
  readonly bound: Map<number, readonly unknown[]>; // bind() addresses by fd
  sending: Sending | null;
  connecting: Map<number, Connecting>; // by fd
  recvCalls: number;
  lastProc: ProcSample | null;
  stderr: readonly string[];
}

interface SendOutcome {
  readonly program: string;
  readonly sent: number;
  readonly total: number;
}

export class FactDetector {
  private readonly programs = new Map<string, ProgramState>();
  private partialSend: SendOutcome | null = null;
  private received: { program: string; bytes: number } | null = null;
  private lostReported = false;
  /** Without /proc state and syscall, a count of sleeps would be a made-up 0. */
  private canSeeSleep = true;

  push(obs: Observation): Fact[] {
    const out: Fact[] = [];
    const emit = (fact: FactName, t: number, values: Record<string, FactValue>, evidence: Evidence[]) =>
      out.push({ fact, t, values, evidence });
    switch (obs.kind) {
      case "spawned": {
        this.state(obs.program).pid = obs.pid;
        emit("program.started", obs.t, { program: obs.program, pid: obs.pid }, [
          { source: "process", t: obs.t, what: `spawned pid ${obs.pid}` },
        ]);
        break;
      }
      case "trace":
        this.onTrace(obs.program, obs.event, emit);
        break;
      case "proc":
        this.onProc(obs.program, obs.t, obs.sample, emit);
        break;
      case "output":
        if (obs.stream === "stderr") this.state(obs.program).stderr = obs.tail;
        break;
      case "exited": {
        const p = this.state(obs.program);
        const stderr = obs.code !== 0 && obs.stoppedBy === null ? p.stderr.join("\n") : "";
        emit("program.exited", obs.t, {
          program: obs.program,
          code: obs.code,
          signal: obs.signal,
          stopped_by: obs.stoppedBy,
          stderr,
        }, [{ source: "process", t: obs.t, what: `exit code ${obs.code}, signal ${obs.signal}` }]);
        break;
      }
      case "run":
        this.canSeeSleep = obs.probe.proc && obs.probe.syscall;
        break;
      case "stopped":
        break;
    }
    return out;
  }

  private state(program: string): ProgramState {
    let p = this.programs.get(program);
    if (!p) {
      p = {
        pid: null,
        calls: new Map(),
        bound: new Map(),
        sending: null,
        connecting: new Map(),
        recvCalls: 0,
        lastProc: null,
        stderr: [],
      };
      this.programs.set(program, p);
    }
    return p;
  }

  private onTrace(program: string, ev: TraceEvent, emit: Emit): void {
    const p = this.state(program);
    const traced = (what: string): Evidence[] => [{ source: "trace", t: "t" in ev ? ev.t : 0, what }];
    switch (ev.ev) {
      case "call": {
        const call: CallInfo = {
          fn: ev.fn,
          fd: ev.fd,
          line: ev.line,
          t: ev.t,
          bytes: ev.bytes,
          backlog: ev.backlog,
          addr: ev.addr,
        };
        p.calls.set(ev.id, call);
        if (ev.fn === "accept") {
          emit("accept.waiting", ev.t, { program, line: ev.line }, traced(`accept() called on line ${ev.line}`));
        } else if (ev.fn === "send" || ev.fn === "sendall") {
          p.sending = {
            call,
            peak: 0,
            limit: null,
            sampled: false,
            asleepSince: null,
            sleeps: 0,
            filled: false,
            waiting: false,
            blocked: false,
            woke: false,
          };
          emit(
            "send.called",
            ev.t,
            { program, bytes: ev.bytes ?? null, line: ev.line },
            traced(`${ev.fn}() of ${ev.bytes} bytes on line ${ev.line}`),
          );
        } else if (ev.fn === "connect") {
          p.connecting.set(ev.fd, { call, nonBlocking: false, blocked: false, waiting: false, retrans: null });
        } else if (ev.fn === "close") {
          this.onClose(program, p, ev, emit);
        }
        break;
      }
      case "ret":
        this.onReturn(program, p, ev, emit);
        break;
      case "err": {
        const call = ev.id !== null ? p.calls.get(ev.id) : undefined;
        if (ev.id !== null) p.calls.delete(ev.id);
        if (ev.fn === "send" || ev.fn === "sendall") p.sending = null;
        if (WOULD_BLOCK.has(ev.errno)) {
          if (ev.fn === "connect" && call) {
            p.connecting.set(ev.fd, { call, nonBlocking: true, blocked: false, waiting: false, retrans: null });
          }
          emit(
            "would_block",
            ev.t,
            { program, errno: ev.errno, call: ev.fn, line: ev.line },
            traced(`${ev.fn}() raised ${ev.errno} on line ${ev.line}`),
          );
        }
        break;
      }
      case "sum": {
        if (ev.fn === "recv") p.recvCalls += ev.calls;
        for (const errno of Object.keys(ev.errors ?? {})) {
          if (WOULD_BLOCK.has(errno)) {
            emit(
              "would_block",
              ev.t,
              { program, errno, call: ev.fn, line: ev.line },
              traced(`${ev.fn}() raised ${errno} ${ev.errors?.[errno]} times on line ${ev.line}`),
            );
          }
        }
        break;
      }
      case "sample":
        this.onSockets(p, ev.t, ev.socks);
        if (ev.in) this.onStillInside(program, p, ev.t, ev.in.fn, ev.in.fd, ev.in.since, emit);
        break;
      case "hello":
      case "caps":
        break;
    }
  }

  private onReturn(program: string, p: ProgramState, ev: Extract<TraceEvent, { ev: "ret" }>, emit: Emit): void {
    const call = ev.id !== null ? p.calls.get(ev.id) : undefined;
    if (ev.id !== null) p.calls.delete(ev.id);
    const traced = (what: string): Evidence[] => [{ source: "trace", t: ev.t, what }];
    switch (ev.fn) {
      case "listen": {
        const port = this.boundPort(p, ev.fd);
        emit(
          "listen.ready",
          ev.t,
          { program, port, backlog: call?.backlog ?? null, line: ev.line },
          traced(`listen(${call?.backlog}) returned on line ${ev.line}`),
        );
        break;
      }
      case "bind":
        if (call?.addr) p.bound.set(ev.fd, call.addr); // for listen.ready's port
        break;
      case "accept":
        emit(
          "accept.returned",
          ev.t,
          { program, ms: ev.ms, line: ev.line },
          traced(`accept() returned after ${ev.ms.toFixed(1)} ms`),
        );
        break;
      case "connect":
        p.connecting.delete(ev.fd);
        emit(
          "connect.done",
          ev.t,
          { program, ms: ev.ms, line: ev.line },
          traced(`connect() returned after ${ev.ms.toFixed(1)} ms`),
        );
        break;
      case "connect_ex": {
        if (ev.errno && WOULD_BLOCK.has(ev.errno) && call) {
          p.connecting.set(ev.fd, { call, nonBlocking: true, blocked: false, waiting: false, retrans: null });
          emit(
            "would_block",
            ev.t,
            { program, errno: ev.errno, call: "connect_ex", line: ev.line },
            traced(`connect_ex() returned ${ev.result} (${ev.errno}) after ${ev.ms.toFixed(2)} ms`),
          );
        } else if (ev.result === 0) {
          emit("connect.done", ev.t, { program, ms: ev.ms, line: ev.line }, traced("connect_ex() returned 0"));
        }
        break;
      }
      case "send":
      case "sendall":
        this.onSendReturn(program, p, ev, emit);
        break;
      case "recv":
        p.recvCalls += 1;
        if (ev.bytes === 0) {
          const bytes = ev.received ?? 0;
          this.received = { program, bytes };
          emit(
            "recv.total",
            ev.t,
            { program, bytes, calls: p.recvCalls },
            traced(`recv() returned 0 bytes (the peer closed) after ${bytes} bytes in ${p.recvCalls} calls`),
          );
          this.maybeLost(ev.t, emit);
        }
        break;
      default:
        break;
    }
  }

  private onSendReturn(program: string, p: ProgramState, ev: Extract<TraceEvent, { ev: "ret" }>, emit: Emit): void {
    const s = p.sending;
    p.sending = null;
    const total = s?.call.bytes ?? null;
    const sent = ev.fn === "sendall" ? total : (ev.result ?? null);
    if (s && s.blocked && !s.woke) {
      // No sample caught it running, but a return is proof the kernel woke it.
      emit("send.woke", ev.t, { program, asleep_ms: s.asleepSince === null ? null : ev.t - s.asleepSince }, [{
        source: "trace",
        t: ev.t,
        what: `${ev.fn}() returned, so the kernel woke the program`,
      }]);
    }
    emit("send.returned", ev.t, {
      program,
      sent,
      total,
      ms: ev.ms,
      sleeps: this.canSeeSleep ? (s?.sleeps ?? 0) : null,
      line: ev.line,
    }, [{
      source: "trace",
      t: ev.t,
      what: `${ev.fn}() returned ${sent} of ${total} bytes after ${ev.ms.toFixed(1)} ms`,
    }]);
    if (typeof sent === "number" && typeof total === "number" && sent < total) {
      this.partialSend = { program, sent, total };
      this.maybeLost(ev.t, emit);
    }
  }

  private maybeLost(t: number, emit: Emit): void {
    if (this.lostReported || !this.partialSend || !this.received) return;
    this.lostReported = true;
    const { sent, total } = this.partialSend;
    emit("data.lost", t, { intended: total, sent, received: this.received.bytes, lost: total - sent }, [
      { source: "trace", t, what: `${this.partialSend.program} handed ${sent} of ${total} bytes to send()` },
      { source: "trace", t, what: `${this.received.program} received ${this.received.bytes} bytes in all` },
    ]);
  }

  private onClose(program: string, p: ProgramState, ev: Extract<TraceEvent, { ev: "call" }>, emit: Emit): void {
    const c = p.connecting.get(ev.fd);
    p.connecting.delete(ev.fd);
    if (!c || ev.connected !== false) return;
    emit("connect.cancelled", ev.t, { program, after_ms: ev.t - c.call.t, syn_retries: c.retrans, line: ev.line }, [
      { source: "trace", t: ev.t, what: `close() on line ${ev.line} of a socket that never connected` },
      ...(c.retrans !== null
        ? [{ source: "socket" as const, t: ev.t, what: `TCP_INFO: ${c.retrans} SYN retransmissions` }]
        : []),
    ]);
  }

  private boundPort(p: ProgramState, fd: number): number | null {
    const addr = p.bound.get(fd);
    return addr && typeof addr[1] === "number" ? addr[1] : null;
  }

  private onSockets(p: ProgramState, t: number, socks: readonly SockSample[]): void {
    for (const sock of socks) {
      const c = p.connecting.get(sock.fd);
      if (c && sock.retrans !== undefined) c.retrans = sock.retrans;
      const s = p.sending;
      if (s && sock.fd === s.call.fd && t >= s.call.t && sock.sndq !== undefined) {
        s.sampled = true;
        s.peak = Math.max(s.peak, sock.sndq);
        s.limit = sock.sndbuf ?? s.limit;
      }
    }
  }

  /**
   * The tracer's sample says the program is still inside a call. That much is
   * observed everywhere Python runs; it is the trace-only stand-in for the
   * kernel's "asleep in sendto" (and on Linux the queue sizes still come).
   */
  private onStillInside(
    program: string,
    p: ProgramState,
    t: number,
    fn: string,
    fd: number,
    since: number,
    emit: Emit,
  ): void {
    const ms = t - since;
    if (ms < WAITING_MS) return;
    const s = p.sending;
    if (s && (fn === "send" || fn === "sendall") && fd === s.call.fd && !s.waiting) {
      s.waiting = true;
      this.maybeFilled(program, s, t, [], emit);
      emit("send.waiting", t, { program, ms, line: s.call.line }, [
        { source: "trace", t, what: `still inside ${fn}() on line ${s.call.line} after ${ms.toFixed(0)} ms` },
      ]);
    }
    const c = p.connecting.get(fd);
    if (c && !c.nonBlocking && fn === "connect" && !c.waiting) {
      c.waiting = true;
      emit("connect.waiting", t, { program, ms, line: c.call.line }, [
        { source: "trace", t, what: `still inside connect() on line ${c.call.line} after ${ms.toFixed(0)} ms` },
      ]);
    }
  }

  /** The send queue, as high as it was seen, the first time the sender is found stuck. */
  private maybeFilled(program: string, s: Sending, t: number, evidence: Evidence[], emit: Emit): void {
    if (s.filled || !s.sampled || s.peak === 0) return;
    s.filled = true;
    emit("sendq.filled", t, { program, peak: s.peak, limit: s.limit }, [
      { source: "socket", t, what: `SIOCOUTQ peaked at ${s.peak} bytes; SO_SNDBUF ${s.limit}` },
      ...evidence,
    ]);
  }

  private onProc(program: string, t: number, sample: ProcSample, emit: Emit): void {
    const p = this.state(program);
    p.lastProc = sample;
    const asleep = sample.state === "S" || sample.state === "D";
    const syscall = sample.syscall.kind === "in-syscall" ? sample.syscall.name : null;
    const evidence = (): Evidence[] => [{
      source: "proc",
      t,
      what: `state ${sample.state}, syscall ${syscall ?? sample.syscall.kind}, wchan ${sample.wchan ?? "unknown"}`,
    }];
    const s = p.sending;
    if (s) {
      if (asleep && syscall !== null && SEND_SYSCALLS.has(syscall) && s.sampled) {
        this.maybeFilled(program, s, t, evidence(), emit);
        if (s.asleepSince === null) {
          s.asleepSince = t;
          s.sleeps += 1;
        }
        if (!s.blocked) {
          s.blocked = true;
          emit("send.blocked", t, { program, syscall, wchan: sample.wchan, line: s.call.line }, evidence());
        }
      } else if (!asleep && s.asleepSince !== null) {
        const asleepMs = t - s.asleepSince;
        s.asleepSince = null;
        if (!s.woke) {
          s.woke = true;
          emit("send.woke", t, { program, asleep_ms: asleepMs }, evidence());
        }
      }
    }
    for (const c of p.connecting.values()) {
      if (c.nonBlocking || c.blocked) continue;
      if (asleep && syscall !== null && CONNECT_SYSCALLS.has(syscall)) {
        c.blocked = true;
        emit("connect.blocked", t, { program, syscall, wchan: sample.wchan, line: c.call.line }, evidence());
      }
    }
  }
}

type Emit = (fact: FactName, t: number, values: Record<string, FactValue>, evidence: Evidence[]) => void;

/** The whole stream at once: what the recorded-stream tests use. */
export function detectFacts(observations: Iterable<Observation>): Fact[] {
  const detector = new FactDetector();
  const facts: Fact[] = [];
  for (const obs of observations) facts.push(...detector.push(obs));
  return facts;
}
