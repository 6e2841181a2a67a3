// The tracer's events (src/runner/tracer/tracer.py), validated once where the
// channel is read (parseTraceLine); nothing downstream re-checks them.
// Times (t, since) are the tracer's monotonic nanoseconds until the channel
// maps them onto the run's clock (milliseconds since the run began).

/** What a socket carried, per the program's own calls on it. null: not known exactly. */
export interface SocketTotals {
  readonly sent: number | null; // bytes its send calls took
  readonly received: number; // bytes its recv calls returned
  readonly send_calls: number;
  readonly recv_calls: number;
  readonly unsent: number | null; // bytes the last send call was given but did not take
}

export interface SockSample {
  readonly fd: number;
  readonly sndbuf?: number; // SO_SNDBUF
  readonly rcvbuf?: number; // SO_RCVBUF
  readonly state?: string; // TCP state from TCP_INFO (Linux)
  readonly retrans?: number; // retransmissions (for SYN_SENT: SYN retries)
  readonly sndq?: number; // SIOCOUTQ: bytes in the send queue
  readonly rcvq?: number; // SIOCINQ: bytes received, not yet read
  readonly acceptq?: number; // LISTEN: connections waiting for accept()
  readonly backlog?: number; // LISTEN: the backlog passed to listen()
  readonly snd_wnd?: number; // TCP_INFO: the receive window the peer advertises, bytes
  readonly rcv_wnd?: number; // TCP_INFO (Linux 6.2+): the receive window this end advertises, bytes
  readonly totals?: SocketTotals;
  readonly local?: string | null;
  readonly peer?: string | null;
}

/** The call the main thread is inside, as the tracer's sampler saw it. */
export interface InCall {
  readonly call: string;
  readonly line: number | null;
  readonly since: number;
  readonly fd: number | null;
  readonly nth: number;
  /** The call's id when it is reported in full; null on a hot line. */
  readonly id: number | null;
  readonly timeout_s: number | null;
  readonly mode: TimeoutMode;
}

/** The socket's mode at the call (or, for select/poll/sleep, what its timeout argument asks). */
export type TimeoutMode = "blocking" | "non-blocking" | "timeout";

/** Fields a call's kind adds (addr, backlog, peer, port, readable...): scalars only. */
export type CallFields = Readonly<Record<string, string | number | boolean | null>>;

interface Located {
  readonly call: string;
  readonly fd: number | null;
  readonly line: number | null; // line in the lesson program; null if called from elsewhere
  readonly t: number;
  readonly nth: number;
}

export interface ClosedSocket {
  readonly fd: number;
  readonly totals: SocketTotals | null;
  readonly local: string | null;
  readonly peer: string | null;
  /** Its queues as it was closed (exit: as the program left them); absent after garbage collection. */
  readonly sample?: SockSample | null;
}

export type TraceEvent =
  | { readonly ev: "hello"; readonly pid: number; readonly python: string; readonly t: number }
  | {
    readonly ev: "caps";
    readonly sock_queues: boolean;
    readonly tcp_info: boolean;
    /** TCP_INFO gives the advertised receive windows (Linux 6.2+). */
    readonly tcp_window: boolean;
    readonly rusage_thread: boolean;
    readonly platform: string;
  }
  | { readonly ev: "ready"; readonly t: number }
  | (Located & {
    readonly ev: "call";
    readonly id: number;
    readonly timeout_s: number | null;
    readonly mode: TimeoutMode;
    readonly bytes: number | null;
    readonly fields: CallFields;
    /** close(): what the socket carried, its addresses and its queues just before. */
    readonly totals?: SocketTotals | null;
    readonly local?: string | null;
    readonly peer?: string | null;
    readonly sample?: SockSample | null;
  })
  | (Located & {
    readonly ev: "ret";
    readonly id: number | null;
    readonly ms: number;
    readonly result: number | null;
    readonly bytes: number | null;
    /** Kernel counts of the call; absent on a hot line (not measured). */
    readonly sleeps?: number | null;
    readonly cpu_ms?: number | null;
    /** The call's time neither on a CPU nor waiting for one (Linux schedstat); absent where unknown. */
    readonly asleep_ms?: number | null;
    readonly fields: CallFields;
    readonly totals?: SocketTotals;
    /** A send or recv reported in full: its socket's queues the instant it returned. */
    readonly sample?: SockSample | null;
    /** Set on the last call of a hot run: how many calls the run had. */
    readonly run_calls?: number;
  })
  | (Located & {
    readonly ev: "err";
    readonly id: number | null;
    readonly ms: number;
    readonly errno: string;
    readonly exc: string;
    readonly message: string;
    readonly sleeps: number | null;
    readonly cpu_ms: number | null;
    readonly asleep_ms?: number | null;
  })
  | {
    readonly ev: "sum";
    readonly call: string;
    readonly line: number | null;
    readonly fd: number | null;
    readonly t: number;
    readonly calls: number;
    readonly bytes: number;
    readonly ms: number;
    /** The ordinal (nth) of the latest call counted. */
    readonly last: number | null;
    readonly errors?: Readonly<Record<string, number>>;
    /** Kernel counts of these calls, summed: only for the calls the start command names in `count`. */
    readonly sleeps?: number;
    readonly cpu_ms?: number;
    readonly asleep_ms?: number;
  }
  | { readonly ev: "sample"; readonly t: number; readonly in: InCall | null; readonly socks: readonly SockSample[] }
  | (ClosedSocket & { readonly ev: "gone"; readonly t: number })
  | {
    /** The program waits at a hold the app asked for (src/runner/tracer/tracer.py). */
    readonly ev: "held";
    readonly id: number;
    readonly call: string;
    readonly when: HoldWhen;
    readonly line: number | null;
    readonly nth: number;
    readonly t: number;
  }
  | { readonly ev: "released"; readonly id: number; readonly t: number; readonly ms: number }
  | {
    readonly ev: "exit";
    readonly t: number;
    /** Processes the program had started that still ran at its end: the tracer stopped them. */
    readonly left: number;
    readonly cpu_ms: number | null;
    readonly sleeps: number | null;
    /** How long its main thread was ready to run but waited for a CPU (schedstat, Linux); absent: older tracer. */
    readonly ready_ms?: number | null;
    readonly socks: readonly ClosedSocket[];
  };

export type TraceEventKind = TraceEvent["ev"];

/** Where a hold stops a program: before the call runs, or after it returned (before the program sees the result). */
export type HoldWhen = "before" | "after";

/** A hold as the app asks the tracer for it. */
export interface HoldRequest {
  readonly id: number;
  readonly call: string;
  readonly when: HoldWhen;
  /** Only that call (its ordinal); absent: the program's next such call. */
  readonly nth?: number;
}
