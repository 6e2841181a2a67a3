// Connections -> transfer.ended: once both ends of a connection have closed,
// what went each way. The ends are paired by address (one end's local is the
// other's peer); each end's totals are the tracer's count of what the
// program's own calls moved. Pure.
import type { ClosedSocket, SocketTotals } from "../trace/events.ts";
import type { Emit } from "./calls.ts";

interface End {
  readonly program: string;
  readonly fd: number;
  readonly local: string;
  readonly peer: string;
  readonly totals: SocketTotals;
  readonly t: number;
}

export class TransferBook {
  /** Closed ends still waiting for their other end, by "local>peer". */
  private readonly waiting = new Map<string, End>();

  constructor(private readonly emit: Emit) {}

  /** One end closed (close(), garbage collected, or the program's exit), with what it carried. */
  closed(program: string, t: number, sock: ClosedSocket): void {
    if (!sock.local || !sock.peer || !sock.totals) return; // never connected, or not known exactly
    const end: End = { program, fd: sock.fd, local: sock.local, peer: sock.peer, totals: sock.totals, t };
    const other = this.waiting.get(`${end.peer}>${end.local}`);
    if (!other) {
      this.waiting.set(`${end.local}>${end.peer}`, end);
      return;
    }
    this.waiting.delete(`${end.peer}>${end.local}`);
    const [first, second] = other.t <= end.t ? [other, end] : [end, other];
    this.direction(first, second, t);
    this.direction(second, first, t);
  }

  private direction(from: End, to: End, t: number): void {
    const sent = from.totals.sent;
    const unsent = from.totals.unsent;
    const intended = sent === null || unsent === null ? null : sent + unsent;
    if (!intended && !sent) return; // nothing went this way
    const received = to.totals.received;
    this.emit("transfer.ended", t, {
      from: from.program,
      to: to.program,
      intended,
      sent,
      received,
      lost: intended === null ? null : intended - received,
    }, [
      {
        source: "trace",
        t: from.t,
        what: `${from.program} fd ${from.fd} (${from.local}): send calls took ${sent ?? "an unknown number of"} bytes` +
          `${unsent ? `; its last send left ${unsent} bytes untaken` : ""}`,
      },
      {
        source: "trace",
        t: to.t,
        what:
          `${to.program} fd ${to.fd} (${to.local}): recv calls returned ${received} bytes in ${to.totals.recv_calls} calls`,
      },
    ]);
  }
}
