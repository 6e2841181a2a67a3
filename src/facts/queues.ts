// Socket samples -> queue facts: sendq/recvq .filled and .drained, and
// acceptq.filled. Pure.
//
// SIOCOUTQ and SIOCINQ count payload bytes; SO_SNDBUF and SO_RCVBUF count
// what the kernel charges for them (payload plus per-packet overhead), so a
// queue never quite reaches its buffer size. "Filled" is therefore at least
// half of it and no longer growing: the fact comes at the first sample that
// is not higher than the one before (or when the socket closes), with the
// highest level seen, which is what the lesson then quotes as measured. It
// is dated when it is known, not back to the reading that first came near
// the peak (its evidence gives both): a sender put to sleep by the full
// buffer is seen asleep by /proc, another source sampled at other moments,
// and under load the two readings can land either way round; a full queue
// confirmed comes after both, in the order a lesson tells them.
import type { SockSample } from "../trace/events.ts";
import type { Emit } from "./calls.ts";

export const FILLED_FRACTION = 0.5;
const NEAR_PEAK = 0.95;

interface Episode {
  filled: boolean;
  peak: number;
  /** The samples since the queue was half full, while it grew. */
  climb: { t: number; level: number }[];
  /** At least half full, still growing: filled once it stops. */
  rising: boolean;
  last: number;
  limit: number;
  ioctl: string;
  opt: string;
}

export class QueueWatcher {
  /** "program|fd|sendq" -> the current episode of that queue. */
  private readonly episodes = new Map<string, Episode>();

  constructor(private readonly emit: Emit) {}

  onSample(program: string, t: number, sock: SockSample): void {
    if (sock.state === "LISTEN") {
      this.acceptQueue(program, t, sock);
      return;
    }
    if (sock.sndq !== undefined && sock.sndbuf !== undefined) {
      this.level(program, t, sock.fd, "sendq", sock.sndq, sock.sndbuf, "SIOCOUTQ", "SO_SNDBUF");
    }
    if (sock.rcvq !== undefined && sock.rcvbuf !== undefined) {
      this.level(program, t, sock.fd, "recvq", sock.rcvq, sock.rcvbuf, "SIOCINQ", "SO_RCVBUF");
    }
    if (sock.rcv_wnd !== undefined && sock.state === "ESTABLISHED") this.window(program, t, sock);
  }

  /** The window this end advertises: closed at 0 (its buffer is full), opened again once read. */
  private window(program: string, t: number, sock: SockSample): void {
    const e = this.episode(`${program}|${sock.fd}|window`);
    const window = sock.rcv_wnd!;
    const evidence = [{ source: "socket" as const, t, what: `TCP_INFO tcpi_rcv_wnd ${window}; SIOCINQ ${sock.rcvq}` }];
    const values = { program, fd: sock.fd, window, queued: sock.rcvq ?? null };
    if (!e.filled && window === 0) {
      e.filled = true;
      this.emit("window.closed", t, values, evidence);
    } else if (e.filled && window > 0) {
      e.filled = false;
      this.emit("window.opened", t, values, evidence);
    }
  }

  /** The socket is closed (a new socket may get its fd number): a queue still rising was as full as it got. */
  forget(program: string, fd: number, t: number): void {
    for (const queue of ["sendq", "recvq"] as const) {
      const e = this.episodes.get(`${program}|${fd}|${queue}`);
      if (e?.rising) this.filled(program, t, fd, queue, e, "the socket closed while its queue was this full");
    }
    for (const queue of ["sendq", "recvq", "acceptq", "window"]) this.episodes.delete(`${program}|${fd}|${queue}`);
  }

  private episode(k: string): Episode {
    let e = this.episodes.get(k);
    if (!e) {
      this.episodes.set(
        k,
        e = { filled: false, peak: 0, climb: [], rising: false, last: 0, limit: 0, ioctl: "", opt: "" },
      );
    }
    return e;
  }

  private filled(program: string, t: number, fd: number, queue: "sendq" | "recvq", e: Episode, why: string): void {
    e.rising = false;
    e.filled = true;
    const near = e.climb.find((c) => c.level >= NEAR_PEAK * e.peak)?.t ?? t;
    e.climb = [];
    this.emit(`${queue}.filled`, t, { program, fd, peak: e.peak, limit: e.limit }, [
      { source: "socket", t: near, what: `${e.ioctl} within 5% of its peak of ${e.peak} bytes; ${e.opt} ${e.limit}` },
      { source: "socket", t, what: why },
    ]);
  }

  private level(
    program: string,
    t: number,
    fd: number,
    queue: "sendq" | "recvq",
    level: number,
    limit: number,
    ioctl: string,
    opt: string,
  ): void {
    const e = this.episode(`${program}|${fd}|${queue}`);
    const grew = level > e.last;
    e.last = level;
    e.peak = Math.max(e.peak, level);
    Object.assign(e, { limit, ioctl, opt });
    if (e.rising && !grew) {
      this.filled(program, t, fd, queue, e, `${ioctl} ${level} bytes at the next reading, no higher`);
    } else if (!e.filled && !e.rising && level >= FILLED_FRACTION * limit && level > 0) e.rising = true;
    else if (e.filled && level === 0) {
      this.emit(`${queue}.drained`, t, { program, fd, peak: e.peak, limit }, [
        { source: "socket", t, what: `${ioctl} ${level} bytes; ${opt} ${limit}` },
      ]);
      e.filled = false;
      e.peak = 0;
    }
    if (e.rising) e.climb.push({ t, level });
  }

  /**
   * Linux refuses a new handshake when the accept queue holds more than the
   * backlog (sk_acceptq_is_full: sk_ack_backlog > sk_max_ack_backlog), so
   * it holds backlog + 1 connections: listen(0) has room for one.
   */
  private acceptQueue(program: string, t: number, sock: SockSample): void {
    if (sock.acceptq === undefined || sock.backlog === undefined) return;
    const e = this.episode(`${program}|${sock.fd}|acceptq`);
    e.peak = Math.max(e.peak, sock.acceptq);
    if (!e.filled && sock.acceptq > sock.backlog) {
      e.filled = true;
      this.emit("acceptq.filled", t, { program, fd: sock.fd, peak: e.peak, limit: sock.backlog + 1 }, [
        { source: "socket", t, what: `TCP_INFO: ${sock.acceptq} waiting for accept(), backlog ${sock.backlog}` },
      ]);
    } else if (e.filled && sock.acceptq === 0) {
      e.filled = false;
      e.peak = 0;
    }
  }
}
