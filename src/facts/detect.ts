// Observations -> facts. Pure: no I/O, no clock; the same ordered stream
// always gives the same facts, which is what the recorded-stream tests check.
// Per program: its calls (calls.ts); per socket: its queues (queues.ts); per
// connection: what went each way (transfers.ts). Nothing is lesson-wide.
import type { Observation } from "../observations.ts";
import type { ClosedSocket, TraceEvent } from "../trace/events.ts";
import { callDirection } from "../trace/registry.ts";
import { CallTotals } from "./call-totals.ts";
import { CallTracker, type Emit } from "./calls.ts";
import { QueueWatcher } from "./queues.ts";
import { TransferBook } from "./transfers.ts";
import type { Evidence, Fact, FactValue } from "./types.ts";

interface ProgramState {
  readonly calls: CallTracker;
  readonly totals: CallTotals;
  pid: number | null;
  spawnedAt: number | null;
  stderr: readonly string[];
  /** The tracer's exit event: the program ended by itself (not killed) and said what it used. */
  exit: Extract<TraceEvent, { ev: "exit" }> | null;
}

export class FactDetector {
  private readonly programs = new Map<string, ProgramState>();
  private out: Fact[] = [];
  private readonly emit: Emit = (fact, t, values, evidence) => this.out.push({ fact, t, values, evidence });
  private readonly queues = new QueueWatcher(this.emit);
  private readonly transfers = new TransferBook(this.emit);

  push(obs: Observation): Fact[] {
    this.out = [];
    switch (obs.kind) {
      case "spawned": {
        const p = this.state(obs.program);
        p.pid = obs.pid;
        p.spawnedAt = obs.t;
        this.emit("program.started", obs.t, { program: obs.program, pid: obs.pid }, [
          { source: "process", t: obs.t, what: `spawned pid ${obs.pid}` },
        ]);
        break;
      }
      case "trace":
        this.onTrace(obs.program, obs.event);
        break;
      case "proc":
        this.state(obs.program).calls.onProc(obs.t, obs.sample);
        break;
      case "output":
        if (obs.stream === "stderr") this.state(obs.program).stderr = obs.tail;
        break;
      case "exited":
        this.onExited(obs);
        break;
      case "run":
      case "stopped":
        break;
    }
    return this.out;
  }

  private state(program: string): ProgramState {
    let p = this.programs.get(program);
    if (!p) {
      p = {
        calls: new CallTracker(program, this.emit),
        totals: new CallTotals(program, this.emit),
        pid: null,
        spawnedAt: null,
        stderr: [],
        exit: null,
      };
      this.programs.set(program, p);
    }
    return p;
  }

  private onTrace(program: string, ev: TraceEvent): void {
    const p = this.state(program);
    switch (ev.ev) {
      case "call":
        p.calls.onCall(ev);
        if (ev.call === "close" && ev.fd !== null) {
          if (ev.sample) this.queues.onSample(program, ev.t, ev.sample);
          this.closed(program, ev.t, {
            fd: ev.fd,
            totals: ev.totals ?? null,
            local: ev.local ?? null,
            peer: ev.peer ?? null,
          });
        }
        break;
      case "ret":
        p.calls.onReturn(ev);
        p.totals.add(ev);
        if (ev.sample) this.queues.onSample(program, ev.t, ev.sample);
        if (callDirection(ev.call) === "in" && ev.bytes === 0 && ev.totals) this.peerClosed(program, ev);
        break;
      case "err":
        p.calls.onRaise(ev);
        p.totals.add(ev);
        break;
      case "sum":
        p.totals.add(ev);
        break;
      case "sample":
        for (const sock of ev.socks) this.queues.onSample(program, ev.t, sock);
        p.calls.onSample(ev.t, ev.in);
        break;
      case "gone":
        this.closed(program, ev.t, ev);
        break;
      case "exit":
        p.exit = ev;
        for (const sock of ev.socks) {
          if (sock.sample) this.queues.onSample(program, ev.t, sock.sample);
          this.closed(program, ev.t, sock);
        }
        break;
      case "hello":
      case "caps":
      case "ready":
        break;
    }
  }

  private closed(program: string, t: number, sock: ClosedSocket): void {
    this.queues.forget(program, sock.fd, t);
    this.transfers.closed(program, t, sock);
  }

  private peerClosed(program: string, ev: Extract<TraceEvent, { ev: "ret" }>): void {
    const totals = ev.totals!;
    this.emit("peer.closed", ev.t, {
      program,
      fd: ev.fd,
      call: ev.call,
      line: ev.line,
      bytes: totals.received,
      calls: totals.recv_calls,
    }, [{
      source: "trace",
      t: ev.t,
      what:
        `${ev.call}() returned 0 bytes (the peer closed) after ${totals.received} bytes in ${totals.recv_calls} calls`,
    }]);
  }

  private onExited(obs: Extract<Observation, { kind: "exited" }>): void {
    const p = this.state(obs.program);
    p.calls.finish();
    // Dated when the app saw the process gone, the last of its sources to
    // arrive (its output and samples came before): a beat's moment then shows
    // the program exited, with all it printed. The tracer's exit hook, earlier
    // on the program's own clock, is in the evidence.
    const t = obs.t;
    p.totals.finish(t, p.exit !== null);
    const failed = obs.code !== 0 && obs.stoppedBy === null;
    const values: Record<string, FactValue> = {
      program: obs.program,
      pid: obs.pid,
      code: obs.code,
      signal: obs.signal,
      stopped_by: obs.stoppedBy,
      stderr: failed && p.stderr.length > 0 ? p.stderr.join("\n") : null,
      cpu_ms: p.exit?.cpu_ms ?? null,
      sleeps: p.exit?.sleeps ?? null,
      ready_ms: p.exit?.ready_ms ?? null,
      wall_ms: p.spawnedAt === null ? null : t - p.spawnedAt,
    };
    const evidence: Evidence[] = [
      { source: "process", t: obs.t, what: `exit code ${obs.code ?? "none"}, signal ${obs.signal ?? "none"}` },
    ];
    if (p.exit?.cpu_ms != null) {
      evidence.push({
        source: "trace",
        t: p.exit.t,
        what: `getrusage(RUSAGE_THREAD) at exit: ${p.exit.cpu_ms} ms CPU, ${p.exit.sleeps} voluntary context switches` +
          (p.exit.ready_ms == null ? "" : `; schedstat: ${p.exit.ready_ms} ms waiting for a CPU`),
      });
    }
    this.emit("program.exited", t, values, evidence);
  }
}
