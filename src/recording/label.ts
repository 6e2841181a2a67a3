// How a replay says what it is, everywhere it is shown: a replay of a run
// recorded on that machine at that date, never a live run. Pure; the text
// comes from a file, so each view sanitises it where it enters (the TUI's
// safe-view, --plain's writer); --json keeps it as it is.
import type { RecordingHeader } from "./format.ts";

export interface ReplayLabel {
  /** "Linux 6.18.44 (Python 3.11.7)": what the run was recorded on. */
  readonly machine: string;
  /** "2026-12-01 14:58 UTC". */
  readonly date: string;
  /** For a header line: "replay · recorded 2026-12-01 14:58 UTC on Linux 6.18.44". */
  readonly short: string;
  /** The sentence said first: what this is, and that nothing runs now. */
  readonly long: string;
}

const PLATFORMS: Readonly<Record<string, string>> = { linux: "Linux", darwin: "macOS", win32: "Windows" };

export function machineName(machine: RecordingHeader["machine"]): string {
  const os = `${PLATFORMS[machine.platform] ?? machine.platform} ${machine.kernel}`;
  return machine.python ? `${os} (Python ${machine.python})` : os;
}

/** The date of an ISO timestamp in UTC, to the minute: the same on every machine that replays it. */
export function recordedDate(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 16)} UTC`;
}

export function replayLabel(header: RecordingHeader): ReplayLabel {
  const machine = machineName(header.machine);
  const date = recordedDate(header.recordedAt);
  const os = `${PLATFORMS[header.machine.platform] ?? header.machine.platform} ${header.machine.kernel}`;
  const settings = Object.entries(header.settings ?? {}).map(([name, value]) => `${name}=${value}`).join(" ");
  const knobs = settings === "" ? "" : `, with the knobs set ${settings}`;
  return {
    machine,
    date,
    short: `replay · recorded ${date} on ${os}`,
    long: `Replay of a run recorded on ${machine} at ${date}${knobs}. Nothing runs now: every event, state and ` +
      `number shown is the recording's, found again from its observations.`,
  };
}
