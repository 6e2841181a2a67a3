// The registry of traced calls (calls.json), typed. One entry per call: the
// tracer wraps it, the channel accepts it, and the lesson schema offers its
// facts (<call>.called, <call>.returned, ...). Pure: no node:* imports.
import registry from "./calls.json" with { type: "json" };

export interface CallSpec {
  readonly name: string;
  /** Where the tracer wraps it (module:attribute). */
  readonly hook: string;
  /** "socket": a method of a socket (its fd is the socket's); "new": socket(); "none": no socket. */
  readonly on: "socket" | "new" | "none";
  /** The system calls the calling thread sleeps in while this call waits; empty: it never waits. */
  readonly syscalls: readonly string[];
  readonly args: string;
  readonly result: string;
  readonly doc: string;
}

type FieldDocs = Readonly<Record<string, string>>;
interface RegistryFile {
  readonly timeout_syscalls: readonly string[];
  readonly calls: Readonly<Record<string, Omit<CallSpec, "name">>>;
  readonly args: Readonly<Record<string, { readonly fields: FieldDocs }>>;
  readonly results: Readonly<Record<string, { readonly fields: FieldDocs }>>;
}

const file = registry as unknown as RegistryFile;

export const CALLS: ReadonlyMap<string, CallSpec> = new Map(
  Object.entries(file.calls).map(([name, spec]) => [name, { name, ...spec }]),
);
export const CALL_NAMES: readonly string[] = [...CALLS.keys()];

/** With a timeout set, CPython waits for the socket in poll() before the call's own syscall. */
export const TIMEOUT_SYSCALLS: readonly string[] = file.timeout_syscalls;

export function isCallName(name: string): boolean {
  return CALLS.has(name);
}

/** Whether the call can wait (and so have waiting, blocked and woke facts). */
export function callWaits(call: string): boolean {
  return (CALLS.get(call)?.syscalls.length ?? 0) > 0;
}

/** The system calls in which a thread inside `call` is asleep because of it. */
export function waitSyscalls(call: string, mode: string | null): readonly string[] {
  const own = CALLS.get(call)?.syscalls ?? [];
  return mode === "timeout" && CALLS.get(call)?.on === "socket" ? [...own, ...TIMEOUT_SYSCALLS] : own;
}

/** Fields the call's arguments add to its `called` fact (with their meaning). */
export function argFields(call: string): FieldDocs {
  const spec = CALLS.get(call);
  return spec ? (file.args[spec.args]?.fields ?? {}) : {};
}

/** Fields the call's result adds to its `returned` fact. */
export function resultFields(call: string): FieldDocs {
  const spec = CALLS.get(call);
  return spec ? (file.results[spec.result]?.fields ?? {}) : {};
}

const SENDING_RESULTS: ReadonlySet<string> = new Set(["sent_count", "sent_all"]);
const RECEIVING_RESULTS: ReadonlySet<string> = new Set(["received_data", "received_count", "received_data_from"]);

/** "out" for the send calls, "in" for the recv calls, null for the rest. */
export function callDirection(call: string): "out" | "in" | null {
  const result = CALLS.get(call)?.result ?? "";
  return SENDING_RESULTS.has(result) ? "out" : RECEIVING_RESULTS.has(result) ? "in" : null;
}
