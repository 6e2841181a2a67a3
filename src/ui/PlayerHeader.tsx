// The player's top line: which lesson, on which port, for how long, which
// beat, and whether the programs run, are paused or are over.
import { Text } from "ink";
import Spinner from "ink-spinner";
import { settingsLine } from "../lessons/knobs.ts";
import { formatMs } from "../report/format.ts";
import type { LiveSnapshot } from "./live-run.ts";
import { cellWidth, firstFitting } from "./text.ts";
import { useTheme } from "./theme.ts";

/** Between the phase and the starting spinner (a constant: formatters strip whitespace-only JSX text). */
const SPINNER_GAP = " ";

export interface PlayerHeaderProps {
  readonly live: LiveSnapshot;
  /** "beat 4 of 11", or "introduction". */
  readonly position: string;
  readonly width: number;
}

export function phaseText(live: LiveSnapshot): string {
  // A replay says so in the one part of the header that is never left out.
  if (live.replay) {
    switch (live.phase) {
      case "starting":
        return "REPLAY starting…";
      case "over":
        return "■ REPLAY over";
      case "failed":
        return "✗ REPLAY failed";
      default:
        return "▶ REPLAY";
    }
  }
  switch (live.phase) {
    case "starting":
      return live.attempt > 1 ? "restarting…" : "starting…";
    case "running":
      return live.paused ? "⏸ output paused" : "● running";
    case "stopping":
      return "stopping…";
    case "over":
      return "■ lesson over";
    case "failed":
      return "✗ could not run";
  }
}

export function PlayerHeader({ live, position, width }: PlayerHeaderProps) {
  const theme = useTheme();
  const s = live.session;
  const phase = phaseText(live);
  const port = s.port !== null ? `port ${s.port}` : "";
  const limited = s.probe && s.probe.notes.length > 0 ? "limited probe" : "";
  const clock = live.phase === "starting" ? "" : formatMs(s.ended?.t ?? s.now);
  const join = (parts: string[]) => parts.filter(Boolean).join(" · ");
  const title = s.lesson.title;
  // The longest pair that fits; the right side's details give way before the lesson's title.
  const lefts = [`socket-lessons › ${title}`, title];
  // Room for the starting spinner at the end (two cells) while starting.
  const spare = live.phase === "starting" ? 2 : 0;
  // A replay names its recording (when and on what machine) before anything else gives way but its phase.
  const label = live.replay?.label ?? null;
  const recorded = label ? `recorded ${label.date} on ${label.machine}` : "";
  const recordedOn = label ? `recorded ${label.date}` : "";
  // The knobs set (sndbuf=65536): a run unlike the lesson's default says so as long as anything but the phase fits.
  const knobs = settingsLine(s.lesson);
  const rights = label
    ? [
      join([recorded, knobs, clock, position, phase]),
      join([recordedOn, knobs, clock, position, phase]),
      join([recordedOn, knobs, position, phase]),
      join([recordedOn, knobs, phase]),
      join([knobs, phase]),
      phase,
    ]
    : [
      join([port, knobs, clock, position, limited, phase]),
      join([knobs, clock, position, limited, phase]),
      join([knobs, position, phase]),
      join([knobs, phase]),
      join([clock, phase]),
      phase,
    ];
  let left = "";
  let right = firstFitting(rights, width - spare);
  search: for (const r of rights) {
    for (const l of lefts) {
      if (cellWidth(l) + 1 + cellWidth(r) + spare <= width) {
        left = l;
        right = r;
        break search;
      }
    }
  }
  const gap = " ".repeat(Math.max(0, width - cellWidth(left) - cellWidth(right) - spare));
  const phaseColor = live.replay
    ? theme.warn
    : live.paused || live.phase === "failed"
    ? theme.warn
    : live.phase === "running"
    ? theme.ok
    : theme.muted;
  const rest = right.slice(0, right.length - phase.length);
  return (
    <Text wrap="truncate">
      <Text bold color={theme.accent}>{left}</Text>
      {gap}
      <Text color={theme.muted}>{right.endsWith(phase) ? rest : right}</Text>
      {right.endsWith(phase) ? <Text color={phaseColor} bold>{phase}</Text> : null}
      {/* Before the run has a clock, a spinner of its own says the app is working. */}
      {live.phase === "starting" && cellWidth(left) + cellWidth(gap) + cellWidth(right) + 2 <= width
        ? (
          <Text color={theme.muted}>
            {SPINNER_GAP}
            <Spinner type="dots" />
          </Text>
        )
        : null}
    </Text>
  );
}
