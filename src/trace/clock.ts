// One clock for the whole run. The app and the tracer both read a monotonic
// clock; on Linux under Node they are the same one (CLOCK_MONOTONIC), and a
// tracer time converts exactly. Where they differ (Deno's hrtime has its own
// origin), the handshake's round trip bounds the offset (Cristian's method).
// Pure.

export interface ClockHandshake {
  /** The app's own monotonic reading at its run's start, ns. */
  readonly runStartNs: number;
  /** Run ms when the app wrote {"cmd": "start"}. */
  readonly sentMs: number;
  /** The tracer's monotonic ns when it read it (its `ready` event). */
  readonly readyNs: number;
  /** Run ms when the app received `ready`. */
  readonly receivedMs: number;
}

export interface ClockMapping {
  /** run ms = tracer ns / 1e6 + offsetMs */
  readonly offsetMs: number;
  /** At most this far off, ms: 0 when the two clocks proved to be the same. */
  readonly errorMs: number;
}

export function clockMapping(h: ClockHandshake): ClockMapping {
  const sameClockMs = (h.readyNs - h.runStartNs) / 1e6;
  if (sameClockMs >= h.sentMs && sameClockMs <= h.receivedMs) {
    return { offsetMs: -h.runStartNs / 1e6, errorMs: 0 };
  }
  const midMs = (h.sentMs + h.receivedMs) / 2;
  return { offsetMs: midMs - h.readyNs / 1e6, errorMs: (h.receivedMs - h.sentMs) / 2 };
}
