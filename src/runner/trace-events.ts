// The tracer's events (src/runner/tracer/tracer.py), validated once where the
// channel is read (parseTraceLine); nothing downstream re-checks them.
// Times (t, since) are the tracer's monotonic nanoseconds until the channel
// maps them onto the run's clock (milliseconds since the run began).

export interface SockSample {
  readonly fd: number;
  readonly sndbuf?: number; // SO_SNDBUF
  readonly rcvbuf?: number; // SO_RCVBUF
  readonly state?: string; // TCP state from TCP_INFO (Linux)
  readonly retrans?: number; // retransmissions (for SYN_SENT: SYN retries)
  readonly sndq?: number; // SIOCOUTQ: bytes in the send queue
  readonly rcvq?: number; // SIOCINQ: bytes received, not yet read
  readonly acceptq?: number; // LISTEN: connections waiting for accept()
  readonly backlog?: number; // LISTEN: the accept queue's limit
  readonly sent?: number; // bytes this program's send() calls handed over so far
  readonly received?: number; // bytes this program's recv() calls returned so far
}

export type SocketFn =
  | "socket"
  | "connect"
  | "connect_ex"
  | "bind"
  | "listen"
  | "accept"
  | "send"
  | "sendall"
  | "recv"
  | "setblocking"
  | "settimeout"
  | "close";

interface Located {
  readonly fn: SocketFn;
  readonly fd: number;
  readonly line: number | null; // line in the lesson program; null if called from elsewhere
  readonly t: number;
}

export type TraceEvent =
  | { readonly ev: "hello"; readonly pid: number; readonly python: string; readonly t: number }
  | { readonly ev: "caps"; readonly sock_queues: boolean; readonly tcp_info: boolean; readonly platform: string }
  | (Located & {
    readonly ev: "call";
    readonly id: number;
    readonly bytes?: number;
    readonly addr?: readonly unknown[];
    readonly backlog?: number;
    readonly value?: unknown;
    readonly max?: number;
    readonly connected?: boolean;
    readonly sent?: number;
    readonly received?: number;
  })
  | (Located & {
    readonly ev: "ret";
    readonly id: number | null;
    readonly ms: number;
    readonly result?: number | null;
    readonly errno?: string | null;
    readonly bytes?: number;
    readonly received?: number;
    readonly peer?: readonly unknown[];
  })
  | (Located & {
    readonly ev: "err";
    readonly id: number | null;
    readonly ms: number;
    readonly errno: string;
    readonly message: string;
  })
  | (Located & {
    readonly ev: "sum";
    readonly calls: number;
    readonly bytes: number;
    readonly ms: number;
    readonly errors?: Readonly<Record<string, number>>;
  })
  | {
    readonly ev: "sample";
    readonly t: number;
    readonly in:
      | { readonly fn: SocketFn; readonly line: number | null; readonly since: number; readonly fd: number }
      | null;
    readonly socks: readonly SockSample[];
  };
