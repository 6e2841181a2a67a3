// The run over time, as a grid of columns: one row per program (running,
// asleep in which system call, held, exited), one row per busy socket queue
// (its level against its buffer), and where each beat's fact came. Built from
// the session's history (samples, never interpolated: a column shows the last
// sample in it, or the highest, and nothing where there was none). The TUI,
// --plain and a handout draw it. Pure.
import type { Lesson } from "../lessons/schema.ts";
import type { BeatView } from "./beats.ts";
import type { History } from "./history.ts";
import { items } from "./series.ts";

export interface TimelineRow {
  readonly label: string;
  /** One character per column (see LEGEND); for queues a level from LEVELS. */
  readonly cells: string;
}

/** A socket queue over time: its cells, and the measurements they were drawn from (a handout's picture). */
export interface QueueRow extends TimelineRow {
  /** Per column, its highest sample as a fraction of the buffer then (0 to 1); null: no sample there. */
  readonly levels: readonly (number | null)[];
  /** The highest level sampled, in bytes, and the buffer's size (SO_SNDBUF, SO_RCVBUF) at that sample. */
  readonly peak: number;
  readonly buffer: number;
  /** Which buffer: SO_SNDBUF for a send queue, SO_RCVBUF for a receive queue. */
  readonly bufferName: "SO_SNDBUF" | "SO_RCVBUF";
}

export interface Timeline {
  readonly startMs: number;
  readonly endMs: number;
  readonly columnMs: number;
  readonly programs: readonly TimelineRow[];
  readonly queues: readonly QueueRow[];
  /** Beat numbers at the column of their fact's time. */
  readonly markers: TimelineRow;
  readonly marks: readonly { readonly beat: number; readonly t: number; readonly title: string | null }[];
  /** The letters this timeline uses, with their meaning. */
  readonly legend: readonly (readonly [string, string])[];
  /** How it was sampled, in words: a timeline is a picture of samples. */
  readonly sampling: string;
}

/** Asleep in which system call: the letter a program row shows. */
const SYSCALL_LETTERS: readonly (readonly [string, readonly string[], string])[] = [
  ["s", ["sendto", "sendmsg", "write", "writev"], "asleep sending (sendto, sendmsg, write)"],
  ["r", ["recvfrom", "recvmsg", "read", "readv"], "asleep receiving (recvfrom, recvmsg, read)"],
  ["c", ["connect"], "asleep in connect"],
  ["a", ["accept", "accept4"], "asleep in accept"],
  [
    "w",
    ["poll", "ppoll", "select", "pselect6", "epoll_wait", "epoll_pwait", "epoll_pwait2"],
    "asleep waiting (poll, select, epoll)",
  ],
  ["z", ["clock_nanosleep", "nanosleep"], "asleep in sleep()"],
  ["f", ["futex"], "asleep on a lock (futex)"],
];
const OTHER_LETTERS: Readonly<Record<string, string>> = {
  "=": "running (on a CPU or ready for one)",
  "?": "asleep elsewhere, or the system call unknown",
  H: "held by socket-lessons",
  ".": "exited",
  " ": "not started",
  "·": "no sample in that column",
};
/** A queue's level in eighths of its buffer. */
export const LEVELS = " ▁▂▃▄▅▆▇█";
const MARKS = "123456789abcdefghijklmnopqrstuvwxyz";
/** Queue rows shown at most: the busiest. */
const MAX_QUEUE_ROWS = 4;

function letterFor(state: string, syscall: string | null): string {
  if (state === "R") return "=";
  if (state !== "S" && state !== "D") return "?";
  return SYSCALL_LETTERS.find(([, calls]) => syscall !== null && calls.includes(syscall))?.[0] ?? "?";
}

export function buildTimeline(
  history: History,
  lesson: Lesson,
  beats: readonly BeatView[],
  endMs: number,
  columns: number,
  sampleMs: number | null,
): Timeline {
  const startMs = Math.min(
    ...Object.values(history.programs).map((p) => p.spawned?.t ?? Number.POSITIVE_INFINITY),
    endMs,
  );
  const width = Math.max(10, columns);
  const columnMs = Math.max(1, (endMs - startMs) / width);
  const column = (t: number) => Math.min(width - 1, Math.max(0, Math.floor((t - startMs) / columnMs)));
  const programs = lesson.programs.map((spec) => programRow(history, spec.name, width, startMs, columnMs, column));
  const queues = queueRows(history, lesson, width, column);
  const markerCells = Array.from({ length: width }, () => " ");
  const marks = beats.filter((b) => b.fact !== null).map((b) => ({ beat: b.index + 1, t: b.t, title: b.title }));
  for (const mark of marks) markerCells[column(mark.t)] = MARKS[mark.beat - 1] ?? "+";
  const used = new Set(programs.flatMap((r) => [...r.cells]));
  const legend = [
    ...SYSCALL_LETTERS.filter(([l]) => used.has(l)).map(([l, , meaning]) => [l, meaning] as const),
    ...Object.entries(OTHER_LETTERS).filter(([l]) => used.has(l)),
  ];
  const thinned = Object.values(history.programs).some((p) => p.proc.thinned > 0);
  const every = sampleMs === null
    ? ""
    : ` (sampled every ${sampleMs} ms${thinned ? "; the oldest samples of this long run thinned" : ""})`;
  const sampling =
    `Each column is ${formatColumn(columnMs)}. A program's letter is its last /proc sample in the column${every}; ` +
    `a queue's level is its highest sample there, against its buffer (SO_SNDBUF, SO_RCVBUF).`;
  return {
    startMs,
    endMs,
    columnMs,
    programs,
    queues,
    markers: { label: "beats", cells: markerCells.join("") },
    marks,
    legend,
    sampling,
  };
}

function formatColumn(ms: number): string {
  return ms >= 100 ? `${Math.round(ms)} ms` : `${ms.toFixed(1)} ms`;
}

function programRow(
  history: History,
  name: string,
  width: number,
  startMs: number,
  columnMs: number,
  column: (t: number) => number,
): TimelineRow {
  const p = history.programs[name];
  const cells = Array.from({ length: width }, () => " ");
  if (!p?.spawned) return { label: name, cells: cells.join("") };
  const from = column(p.spawned.t);
  const to = p.exited ? column(p.exited.t) : width - 1;
  for (let c = from; c <= to; c++) cells[c] = "·";
  for (const { t, sample } of items(p.proc)) {
    cells[column(t)] = letterFor(sample.state, sample.syscall.kind === "in-syscall" ? sample.syscall.name : null);
  }
  // Held spans: from each hold to its release (or the program's end), whatever the kernel says of the waiting thread.
  const holds = items(p.held);
  holds.forEach((h, i) => {
    if (h.held === null) return;
    const until = holds[i + 1]?.t ?? p.exited?.t ?? startMs + columnMs * width;
    for (let c = column(h.t); c <= column(until); c++) cells[c] = "H";
  });
  if (p.exited) { for (let c = column(p.exited.t) + 1; c < width; c++) cells[c] = "."; }
  return { label: name, cells: cells.join("") };
}

function queueRows(history: History, lesson: Lesson, width: number, column: (t: number) => number): QueueRow[] {
  const rows: QueueRow[] = [];
  for (const spec of lesson.programs) {
    const samples = items(history.programs[spec.name]?.sockets ?? { chunks: [], tail: [], size: 0, thinned: 0 });
    const fds = new Set(samples.flatMap((s) => s.gauges.filter((g) => g.state !== "LISTEN").map((g) => g.fd)));
    for (const fd of fds) {
      for (const [queue, level, limit] of [["send", "sndq", "sndbuf"], ["recv", "rcvq", "rcvbuf"]] as const) {
        const highest: (number | null)[] = Array.from({ length: width }, () => null);
        let peak = 0;
        let buffer = 0;
        for (const { t, gauges } of samples) {
          const g = gauges.find((x) => x.fd === fd);
          const value = g?.[level];
          const max = g?.[limit];
          if (value === undefined || !max) continue;
          if (value > peak || buffer === 0) [peak, buffer] = [Math.max(peak, value), max];
          const c = column(t);
          highest[c] = Math.max(highest[c] ?? 0, Math.min(1, value / max));
        }
        if (peak === 0) continue;
        const cells = highest.map((f) => (f === null ? " " : LEVELS[Math.min(8, Math.ceil(f * 8))]!)).join("");
        const bufferName = queue === "send" ? "SO_SNDBUF" : "SO_RCVBUF";
        rows.push({ label: `${spec.name} ${queue} q`, cells, levels: highest, peak, buffer, bufferName });
      }
    }
  }
  return rows.sort((a, b) => b.peak - a.peak).slice(0, MAX_QUEUE_ROWS);
}

/** The timeline as text lines, for --plain and the TUI's narrow view. */
export function timelineText(timeline: Timeline): string[] {
  const rows = [...timeline.programs, ...timeline.queues, timeline.markers];
  const labelWidth = Math.max(...rows.map((r) => r.label.length));
  const line = (r: TimelineRow) => `${r.label.padStart(labelWidth)} |${r.cells}|`;
  const ms = (t: number) => `${(t / 1000).toFixed(2)} s`;
  const axis = `${" ".repeat(labelWidth)}  ${ms(timeline.startMs)}${
    ms(timeline.endMs).padStart(Math.max(0, timeline.programs[0]!.cells.length - ms(timeline.startMs).length))
  }`;
  return [
    ...timeline.programs.map(line),
    ...timeline.queues.map(line),
    line(timeline.markers),
    axis,
    ...timeline.legend.map(([l, meaning]) => `  ${l === " " ? "' '" : l}  ${meaning}`),
    ...(timeline.queues.length > 0 ? [`  ${LEVELS.slice(1)}  a queue from an eighth of its buffer to full`] : []),
    ...timeline.marks.map((m) =>
      `  ${MARKS[m.beat - 1] ?? "+"}  beat ${m.beat} at ${ms(m.t)}${m.title ? `: ${m.title}` : ""}`
    ),
    timeline.sampling,
  ];
}
