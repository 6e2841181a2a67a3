// One program's lane: running or asleep (and where, as the kernel says),
// its current socket call, and the last lines it printed.
import { Text } from "ink";
import { callShown, factHappens } from "../facts/describe.ts";
import type { ProgramSpec } from "../lessons/schema.ts";
import type { ProbeCapabilities, ProcSample } from "../probe/types.ts";
import { formatMs, formatSize } from "../report/format.ts";
import type { HeldAt, Lane } from "../session/session.ts";
import { ClockSpinner } from "./ClockSpinner.tsx";
import { cellWidth, firstFitting, fitLine } from "./text.ts";
import { useTheme } from "./theme.ts";

export interface ProgramLaneProps {
  readonly lane: Lane;
  readonly spec: ProgramSpec | undefined;
  readonly probe: ProbeCapabilities | null;
  /** The session's clock, ms. */
  readonly now: number;
  readonly width: number;
  /** Lines this lane may use (status, call, output...). */
  readonly height: number;
  readonly outputLines: number;
  /** Prefix the status with the program's name and pid (when no panel title says them). */
  readonly named: boolean;
  /** The source of the executing line, shown in the call line when no code pane shows it. */
  readonly codeLine: string | null;
  /** Presenter mode: the program the beat is about; its state line is lit (inverse). */
  readonly marked?: boolean;
}

export type LaneStatus =
  | { readonly kind: "waiting"; readonly text: string }
  | { readonly kind: "running"; readonly text: string }
  | { readonly kind: "asleep"; readonly text: string; readonly short?: string }
  | { readonly kind: "held"; readonly text: string }
  | { readonly kind: "other"; readonly text: string }
  | { readonly kind: "exited"; readonly outcome: ExitOutcome; readonly text: string };

/**
 * How a program ended, as the lane marks it: ok (✓, it finished: code 0),
 * stopped (■, neither: socket-lessons ended it, e.g. at the lesson's end),
 * failed (✗: an error code, a signal it did not get from us, or SIGKILL
 * because it ignored our SIGTERM).
 */
export type ExitOutcome = "ok" | "stopped" | "failed";

/**
 * The runner's stoppedBy for a program stopped because the lesson was over
 * (run-lesson.ts LESSON_OVER; a test keeps them equal: the view does not
 * import the runner).
 */
export const LESSON_OVER = "lesson over";

/**
 * The lane's state in words, from what the session holds. `now` (the
 * session's clock) says how long a hold has lasted.
 */
export function laneStatus(
  lane: Lane,
  spec: ProgramSpec | undefined,
  probe: ProbeCapabilities | null,
  now?: number,
): LaneStatus {
  if (lane.status === "waiting") {
    const start = spec?.start;
    const when = !start || start === "at-once" ? "starting" : `starts when ${factHappens(start.fact, start.program)}`;
    return { kind: "waiting", text: `not started · ${when}` };
  }
  if (lane.status === "exited" || lane.exit) return exitStatus(lane.exit);
  // A held program sleeps in a futex of the tracer's: the kernel's state
  // would read as the program's own wait, and it is not.
  if (lane.held) return { kind: "held", text: heldText(lane.held, now) };
  return procStatus(lane.proc, probe);
}

/** "held by socket-lessons before recv() on line 21 · 2.30 s"; after: "after send() returned, on line 19". */
export function heldText(held: HeldAt, now?: number): string {
  const call = callShown(held.call);
  const line = held.line === null ? "" : `${held.when === "after" ? "," : ""} on line ${held.line}`;
  const where = held.when === "before" ? `before ${call}` : `after ${call} returned`;
  const since = now === undefined ? "" : ` · ${formatMs(Math.max(0, now - held.since))}`;
  return `held by socket-lessons ${where}${line}${since}`;
}

function exitStatus(exit: Lane["exit"]): LaneStatus {
  if (!exit) return { kind: "exited", outcome: "ok", text: "exited" };
  const { code, signal, stoppedBy } = exit;
  if (code === 0) return { kind: "exited", outcome: "ok", text: "exited with code 0" };
  const ended = signal ?? `exit code ${code ?? "unknown"}`;
  if (stoppedBy !== null) {
    // The runner sends SIGKILL only to a program still there 700 ms after its SIGTERM.
    if (signal === "SIGKILL") {
      return { kind: "exited", outcome: "failed", text: "killed (SIGKILL) after ignoring SIGTERM" };
    }
    const why = stoppedBy === LESSON_OVER ? "at the lesson's end" : `by socket-lessons: ${stoppedBy}`;
    return { kind: "exited", outcome: "stopped", text: `stopped ${why} (${ended})` };
  }
  if (signal) return { kind: "exited", outcome: "failed", text: `killed by ${signal}` };
  return { kind: "exited", outcome: "failed", text: `exited with code ${code ?? "unknown"}` };
}

function procStatus(proc: ProcSample | null, probe: ProbeCapabilities | null): LaneStatus {
  if (proc === null) return { kind: "running", text: "running" };
  switch (proc.state) {
    case "R":
      // R is "runnable": on a CPU or waiting for one; the kernel does not say which.
      return { kind: "running", text: "running" };
    case "S":
    case "D": {
      const where = proc.syscall.kind === "in-syscall"
        ? `in ${proc.syscall.name ?? `system call ${proc.syscall.nr}`}`
        : proc.syscall.kind === "not-in-syscall"
        ? "outside any system call"
        : "(system call not readable)";
      const wchan = proc.wchan
        ? ` · wchan ${proc.wchan}`
        : probe && !probe.wchan
        ? " · wchan hidden by the kernel"
        : "";
      const deep = proc.state === "D" ? " (uninterruptible)" : "";
      // short: without the wchan, for a line it shares with the call.
      return { kind: "asleep", text: `asleep ${where}${wchan}${deep}`, short: `asleep ${where}${deep}` };
    }
    case "?":
      return { kind: "running", text: "alive · kernel state not observable here" };
    case "Z":
      return { kind: "other", text: "exiting (zombie)" };
    case "T":
    case "t":
      return { kind: "other", text: `stopped (state ${proc.state})` };
    default:
      return { kind: "other", text: `state ${proc.state}` };
  }
}

/** "in send() · line 19 · 1.23 s", or null when no socket call is in progress. */
export function callText(lane: Lane, now: number): string | null {
  const call = lane.call;
  if (!call) return null;
  const line = call.line === null ? "" : ` · line ${call.line}`;
  return `in ${callShown(call.call)}${line} · ${formatMs(Math.max(0, now - call.since))}`;
}

/** "in send() · line 19 · 2 ms: assert sock.send(data)…" if at least a few words of the code fit. */
function withCode(call: string, code: string, width: number): string {
  const room = width - cellWidth(call) - 2;
  return room >= 12 ? `${call}: ${fitLine(code, room)}` : call;
}

const EXIT_GLYPHS: Readonly<Record<ExitOutcome, string>> = { ok: "✓", stopped: "■", failed: "✗" };
/** Under a held program's status: its code does not run, by socket-lessons' doing. */
const HELD_CALL_LINE = "its code waits until socket-lessons lets it go on";

export function ProgramLane(props: ProgramLaneProps) {
  const { lane, spec, probe, now, width, height, outputLines, named, codeLine, marked = false } = props;
  const theme = useTheme();
  if (height <= 0) return null;
  const status = laneStatus(lane, spec, probe, now);
  const spin = status.kind === "running";
  const glyph = status.kind === "asleep"
    ? "◌"
    : status.kind === "held"
    ? "⏸"
    : status.kind === "waiting"
    ? "○"
    : status.kind === "exited"
    ? EXIT_GLYPHS[status.outcome]
    : status.kind === "other"
    ? "·"
    : "";
  const color = status.kind === "asleep"
    ? theme.asleep
    : status.kind === "held"
    ? theme.held
    : status.kind === "running"
    ? theme.running
    : status.kind === "exited"
    ? { ok: theme.ok, stopped: theme.muted, failed: theme.error }[status.outcome]
    : theme.muted;
  const name = named ? `${lane.name}${lane.pid ? ` ${lane.pid}` : ""} ` : "";
  const statusRoom = width - (named ? name.length : 0) - 2;

  const call = callText(lane, now);
  const callLine = call === null
    ? (lane.status !== "running" ? "" : lane.held ? HELD_CALL_LINE : "no socket call in progress")
    : codeLine
    ? withCode(call, codeLine.trim(), width - 2)
    : call;

  const stdout = lane.stdout.tail.slice(-Math.max(0, outputLines));
  const stderrLast = lane.stderr.tail[lane.stderr.tail.length - 1];
  const output: { text: string; error: boolean }[] = stdout.map((text) => ({ text, error: false }));
  if (stderrLast !== undefined && outputLines > 0) {
    // A program's error matters more than its last ordinary line.
    if (output.length >= outputLines) output.shift();
    output.push({ text: `stderr: ${stderrLast}`, error: true });
  }
  if (output.length === 0 && outputLines > 0 && lane.status !== "waiting") {
    output.push({ text: lane.status === "exited" ? "(printed nothing)" : "(no output yet)", error: false });
  }

  // Short of a line for the call: it joins the state's line, so the latest output still shows.
  const tight = height < 2 + (outputLines > 0 ? 1 : 0);
  const short = ("short" in status ? status.short : undefined) ?? status.text;
  const statusText = tight && call !== null
    ? firstFitting([`${status.text} · ${call}`, `${short} · ${call}`, status.text, short], statusRoom)
    : fitLine(status.text, statusRoom);
  const rows = [
    <Text key="status" wrap="truncate" inverse={marked} bold={marked}>
      {named ? <Text bold>{name}</Text> : null}
      {spin ? <ClockSpinner now={now} color={color} /> : <Text color={color}>{glyph}</Text>}
      <Text color={color}>{` ${statusText}`}</Text>
    </Text>,
  ];
  if (!tight) {
    rows.push(
      <Text key="call" wrap="truncate" color={call ? undefined : theme.muted}>
        {`  ${fitLine(callLine, width - 2)}`}
      </Text>,
    );
  }
  for (const [i, line] of output.slice(0, Math.max(0, height - rows.length)).entries()) {
    rows.push(
      <Text key={`out${i}`} wrap="truncate" color={line.error ? theme.error : theme.muted}>
        {`› ${fitLine(line.text, width - 2)}`}
      </Text>,
    );
  }
  return <>{rows}</>;
}

/** The panel title of a program: "server · block_server.py · pid 14496 · printed 130.0 MiB". */
export function laneTitle(lane: Lane, width: number): string {
  const file = lane.file.slice(lane.file.lastIndexOf("/") + 1);
  const pid = lane.pid ? ` · pid ${lane.pid}` : "";
  const printed = lane.stdout.bytes > 0 ? ` · printed ${formatSize(lane.stdout.bytes)}` : "";
  return firstFitting(
    [`${lane.name} · ${file}${pid}${printed}`, `${lane.name} · ${file}${pid}`, `${lane.name}${pid}`, lane.name],
    width,
  );
}
