// Raw observations: what the runner saw, timestamped on the run's clock
// (milliseconds since the run began), in one ordered stream. The fact
// detector (src/facts) turns them into facts; recordings of these streams
// (src/recording) are the test fixtures of the pure core.
import type { ProbeCapabilities, ProcSample } from "./probe/types.ts";
import type { TraceEvent } from "./trace/events.ts";

export type Observation =
  | {
    readonly kind: "run";
    readonly t: number;
    readonly lesson: string;
    readonly port: number;
    readonly probe: ProbeCapabilities;
    /** How often the kernel probe samples each program, ms (the tracer samples sockets as often). */
    readonly sampleMs: number;
  }
  | { readonly kind: "spawned"; readonly t: number; readonly program: string; readonly pid: number }
  | { readonly kind: "trace"; readonly t: number; readonly program: string; readonly event: TraceEvent }
  | { readonly kind: "proc"; readonly t: number; readonly program: string; readonly sample: ProcSample }
  | {
    readonly kind: "output";
    readonly t: number;
    readonly program: string;
    readonly stream: "stdout" | "stderr";
    /** Total bytes this stream has produced so far. */
    readonly bytes: number;
    /** The last complete lines (a bounded tail), newest last. */
    readonly tail: readonly string[];
  }
  | {
    readonly kind: "exited";
    readonly t: number;
    readonly program: string;
    readonly pid: number;
    readonly code: number | null;
    readonly signal: string | null;
    /** Why the runner stopped it, if it did ("lesson over", "quit"); null if it ended by itself. */
    readonly stoppedBy: string | null;
  }
  | { readonly kind: "stopped"; readonly t: number; readonly reason: string };

export type ObservationKind = Observation["kind"];
