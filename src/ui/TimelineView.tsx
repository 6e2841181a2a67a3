// The run over time, drawn from the session's history (src/session/timeline.ts):
// a row per program (its state by system call, held spans, exit), the busiest
// socket queues as levels, and where each beat's fact came; then what the
// letters mean and how it was sampled. Opened with t, and offered at the end.
import { Box, Text } from "ink";
import type { BeatView } from "../session/beats.ts";
import type { SessionState } from "../session/session.ts";
import { buildTimeline, LEVELS, type TimelineRow } from "../session/timeline.ts";
import { formatMs } from "../report/format.ts";
import { fitLine, wrapWords } from "./text.ts";
import { type Theme, useTheme } from "./theme.ts";

export interface TimelineViewProps {
  readonly session: SessionState;
  /** The beats told so far (markers for each). */
  readonly beats: readonly BeatView[];
  readonly width: number;
  readonly height: number;
}

function cellColor(theme: Theme, cell: string): string | undefined {
  if (cell === "=") return theme.ok;
  if (cell === "H") return theme.accent;
  if (cell === "." || cell === "·" || cell === " ") return theme.muted;
  if (LEVELS.includes(cell)) return theme.accent;
  return theme.warn; // asleep, in a system call
}

function Row({ row, labelWidth }: { readonly row: TimelineRow; readonly labelWidth: number }) {
  const theme = useTheme();
  // Runs of one cell kind share a Text: a 200-column row is a handful of nodes, not 200.
  const runs: { cell: string; text: string }[] = [];
  for (const cell of row.cells) {
    const last = runs.at(-1);
    if (last && last.cell === cell) last.text += cell;
    else runs.push({ cell, text: cell });
  }
  return (
    <Text wrap="truncate">
      <Text color={theme.muted}>{`${row.label.padStart(labelWidth)} │`}</Text>
      {runs.map((r, i) => <Text key={i} color={cellColor(theme, r.cell)}>{r.text}</Text>)}
      <Text color={theme.muted}>│</Text>
    </Text>
  );
}

export function TimelineView({ session, beats, width, height }: TimelineViewProps) {
  const theme = useTheme();
  const rowsLabel = Math.max(5, ...session.lanes.map((l) => l.name.length + 7));
  const columns = Math.max(10, width - rowsLabel - 3);
  const end = session.ended?.t ?? session.now;
  const timeline = buildTimeline(session.history, session.lesson, beats, end, columns, session.sampleMs);
  const rows = [...timeline.programs, ...timeline.queues, timeline.markers];
  const labelWidth = Math.max(...rows.map((r) => r.label.length));
  const axis = `${" ".repeat(labelWidth + 2)}${formatMs(timeline.startMs)}`;
  const axisEnd = formatMs(timeline.endMs);
  const legend = [
    ...timeline.legend.map(([l, meaning]) => `${l === " " ? "blank" : l} ${meaning}`),
    ...(timeline.queues.length > 0 ? [`${LEVELS.slice(1)} a queue, an eighth of its buffer to full`] : []),
  ].join(" · ");
  const marks = timeline.marks.map((m) => `${m.beat} ${formatMs(m.t)}`).join(" · ");
  const notes = [`Beats: ${marks}`, legend, timeline.sampling].flatMap((n) => wrapWords(n, width));
  const room = Math.max(0, height - rows.length - 2);
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      <Text bold color={theme.accent}>{fitLine(`The run over time · ${session.lesson.title}`, width)}</Text>
      {rows.map((row) => <Row key={row.label} row={row} labelWidth={labelWidth} />)}
      <Text color={theme.muted} wrap="truncate">
        {axis}
        {" ".repeat(Math.max(1, labelWidth + 3 + columns - axis.length - axisEnd.length))}
        {axisEnd}
      </Text>
      {notes.slice(0, room).map((line, i) => <Text key={i} color={theme.muted} wrap="truncate">{line}</Text>)}
    </Box>
  );
}
