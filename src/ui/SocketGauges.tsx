// The kernel's side of the sockets: each socket's send and receive queue as
// a bar against its buffer size, with the peak; listening sockets with their
// accept queue; then the byte counters of the transfer. When the pane is
// short, one line a socket.
//
// Units: the queues are sizes (3.8 MiB / 4.0 MiB): they are sampled every
// 20 ms and move by kilobytes between samples, so digits below 0.1 MiB would
// only flicker. The counters are exact bytes (136,314,880 B): they are the
// lesson's proof of whether every byte arrived, and a loss smaller than
// 0.1 MiB would vanish in a rounded size. Only a pane too narrow for exact
// counters shows them as sizes too.
import { Box, Text } from "ink";
import { formatCount, formatMs, formatSize } from "../report/format.ts";
import type { Counters, SessionState, SocketGauge } from "../session/session.ts";
import { cellWidth, firstFitting, fitLine } from "./text.ts";
import { useTheme } from "./theme.ts";

/** What the pane shows, from the session. */
export interface GaugeData {
  readonly sockets: readonly SocketGauge[];
  readonly counters: Counters;
  /** What each socket carried ("program|fd"): the one source of "took" and "got", as of the counters. */
  readonly totals: SessionState["totals"];
  /** Program names in lesson order: sockets are listed in it. */
  readonly programs: readonly string[];
  /** Programs that have exited: their sockets are closed, shown with their last values. */
  readonly exited: readonly string[];
}

export interface SocketGaugesProps {
  readonly data: GaugeData;
  readonly width: number;
  readonly height: number;
  /**
   * Presenter mode: the rows to mark ("program|fd" of a socket, or COUNTERS),
   * with a ▸ in a gutter of their own; null: a gutter, nothing marked.
   * Absent: no gutter.
   */
  readonly focus?: string | null;
}

/** The focus that marks the byte counters. */
export const COUNTERS = "counters";
/** The gutter presenter mode gives the marks: "▸ " or two spaces. */
const MARK = "▸ ";

/** A queue at this share of its buffer or more is drawn as full. */
export const NEAR_FULL = 0.9;
const MIN_BAR = 6;
/** A bar may be this short to leave room for the peaks: a level to the quarter, the numbers say the rest. */
const MIN_BAR_WITH_PEAK = 4;
const MAX_BAR = 30;
/** From this pane width the gauges say "send queue" instead of "send q". */
const WIDE_LABELS_FROM = 60;
/** After the label of a closed socket's queue in a short pane (no header there says "last seen"). */
const LAST = " (last)";

export type Detail = "full" | "brief";

export type GaugeLine =
  | {
    readonly kind: "text";
    readonly variants: readonly string[];
    readonly muted?: boolean;
    /** Whose line it is: "program|fd", or COUNTERS. */
    readonly of?: string;
  }
  | {
    readonly kind: "gauge";
    readonly of?: string;
    readonly label: string;
    readonly bytes: number;
    readonly limit: number | null;
    readonly peak: number;
    readonly stale: boolean;
  };

function hasQueues(s: SocketGauge): boolean {
  return s.sndq !== undefined || s.rcvq !== undefined;
}

export function sortedSockets(sockets: readonly SocketGauge[], programs: readonly string[]): SocketGauge[] {
  const order = (name: string) => {
    const i = programs.indexOf(name);
    return i === -1 ? programs.length : i;
  };
  return [...sockets].sort((a, b) => order(a.program) - order(b.program) || a.fd - b.fd);
}

/**
 * "accept queue 1 of 1 (full)". Linux queues one more connection than the
 * backlog: a listener is full when the queue holds more than the backlog
 * (sk_acceptq_is_full: sk_ack_backlog > sk_max_ack_backlog), so listen(0)
 * has room for one. TCP_INFO's backlog is the kernel's, after its clamp to
 * somaxconn.
 */
export function acceptQueueText(queued: number, backlog: number | undefined): string {
  if (backlog === undefined) return `accept queue ${queued}`;
  return `accept queue ${queued} of ${backlog + 1}${queued > backlog ? " (full)" : ""}`;
}

/** "client fd 4 · ESTABLISHED · send() took 130.0 MiB", longest first; a closed socket says so. */
function socketHeader(s: SocketGauge, data: GaugeData, closed: boolean): string[] {
  const name = `${s.program} fd ${s.fd}`;
  const state = s.state ?? "state unknown";
  const extra: string[] = [];
  if (s.state === "LISTEN" && s.acceptq !== undefined) extra.push(acceptQueueText(s.acceptq, s.backlog));
  if (s.state === "SYN_SENT" && s.retrans !== undefined) extra.push(`SYN retries ${s.retrans}`);
  const totals = data.totals[`${s.program}|${s.fd}`] ?? s.totals;
  if (totals?.sent) extra.push(`send() took ${formatSize(totals.sent)}`);
  if (totals?.received) extra.push(`recv() got ${formatSize(totals.received)}`);
  if (closed) {
    // Its program has exited: the kernel closed it. What is shown is what was last seen of it.
    const seen = `last seen ${state} at ${formatMs(s.t)}`;
    // Every variant keeps "last seen": it labels the queues below it as the last values.
    return [
      [name, `closed (${s.program} exited)`, seen, ...extra].join(" · "),
      [name, `closed (${s.program} exited)`, seen].join(" · "),
      [name, "closed", seen].join(" · "),
      [name, "closed", `last seen ${state}`].join(" · "),
      [name, `closed, last seen ${state}`].join(" "),
    ];
  }
  return [
    [name, state, ...extra].join(" · "),
    [name, state, ...extra.slice(0, 1)].join(" · "),
    [name, state].join(" · "),
  ];
}

/** The counters, exact bytes first (see the top of this file); sizes only where exact ones do not fit. */
function counterVariants(c: Counters): string[] {
  const exact = (v: number | null) => (v === null ? "—" : `${formatCount(v)} B`);
  const size = (v: number | null) => (v === null ? "—" : formatSize(v));
  return [
    `intended ${exact(c.intended)} · handed to send() ${exact(c.handed)} · delivered by recv() ${exact(c.delivered)}`,
    `intended ${exact(c.intended)} · handed ${exact(c.handed)} · delivered ${exact(c.delivered)}`,
    `intended ${size(c.intended)} · handed ${size(c.handed)} · delivered ${size(c.delivered)}`,
    `int ${size(c.intended)} · handed ${size(c.handed)} · got ${size(c.delivered)}`,
  ];
}

/** The pane's lines, most important first in brief mode. */
export function gaugeLines(data: GaugeData, detail: Detail, width: number): GaugeLine[] {
  const queues: GaugeLine[] = [];
  const others: GaugeLine[] = [];
  for (const s of sortedSockets(data.sockets, data.programs)) {
    const stale = data.exited.includes(s.program);
    const last = stale ? LAST : "";
    const of = `${s.program}|${s.fd}`;
    if (detail === "brief") {
      if (!hasQueues(s)) {
        others.push({ kind: "text", variants: socketHeader(s, data, stale).slice(1), of });
        continue;
      }
      // One line a socket: the queue holding more, or the send queue.
      const recv = (s.rcvq ?? 0) > (s.sndq ?? 0);
      queues.push({
        kind: "gauge",
        of,
        label: `${s.program} ${recv ? "recv q" : "send q"}${last}`,
        stale,
        bytes: (recv ? s.rcvq : s.sndq) ?? 0,
        limit: (recv ? s.rcvbuf : s.sndbuf) ?? null,
        peak: recv ? s.peakRcvq : s.peakSndq,
      });
      continue;
    }
    queues.push({ kind: "text", variants: socketHeader(s, data, stale), of });
    if (!hasQueues(s)) continue;
    // Short labels when the pane is narrow: the numbers (with the peak) matter more.
    const long = width >= WIDE_LABELS_FROM;
    for (
      const [label, q, limit, peak] of [
        [long ? "send queue" : "send q", s.sndq, s.sndbuf, s.peakSndq],
        [long ? "recv queue" : "recv q", s.rcvq, s.rcvbuf, s.peakRcvq],
      ] as const
    ) {
      if (q === undefined) {
        queues.push({ kind: "text", variants: [`  ${label}: not observable on this machine`], muted: true, of });
      } else queues.push({ kind: "gauge", of, label: `  ${label}`, bytes: q, limit: limit ?? null, peak, stale });
    }
  }
  const counterLines: GaugeLine[] = [];
  const { intended, handed, delivered } = data.counters;
  if (intended !== null || handed !== null || delivered !== null) {
    const variants = counterVariants(data.counters);
    if (detail === "brief" || cellWidth(variants[0]!) <= width) {
      counterLines.push({ kind: "text", variants, of: COUNTERS });
    } else {
      for (const item of variants[0]!.split(" · ")) counterLines.push({ kind: "text", variants: [item], of: COUNTERS });
    }
  }
  // Brief: the queues, then the counters, then sockets without queues (what a short pane keeps).
  const lines = [...queues, ...counterLines, ...others];
  if (lines.length === 0) lines.push({ kind: "text", variants: ["no sockets open yet"], muted: true });
  return lines;
}

/** Full detail if it fits in `height` lines, else one line a socket. */
export function gaugeDetail(data: GaugeData, width: number, height: number): Detail {
  return gaugeLines(data, "full", width).length <= height ? "full" : "brief";
}

export function SocketGauges({ data, width: paneWidth, height, focus }: SocketGaugesProps) {
  const theme = useTheme();
  if (height <= 0) return null;
  const gutter = focus === undefined ? 0 : MARK.length;
  const width = Math.max(0, paneWidth - gutter);
  const detail = gaugeDetail(data, width, height);
  const lines = gaugeLines(data, detail, width);
  const label = Math.max(0, ...lines.map((l) => (l.kind === "gauge" ? cellWidth(l.label) : 0)));
  // One bar width for all rows, leaving room for every row's "3.5 / 4.0 MiB · peak 4.0 MiB"
  // (the peak tells what the bar alone cannot: how full it got); without the peak if even a short bar leaves no room.
  const widest = (variant: number) =>
    Math.max(0, ...lines.map((l) => (l.kind === "gauge" ? cellWidth(gaugeNumbers(l)[variant]!) : 0)));
  const barFor = (numbers: number) =>
    Math.min(MAX_BAR, Math.floor((width - label) * 0.35), width - label - 4 - numbers); // 4: "▕", "▏" and 2 spaces
  const withPeak = barFor(widest(0));
  const bar = withPeak >= MIN_BAR_WITH_PEAK ? withPeak : Math.max(MIN_BAR, barFor(widest(1)));
  const row = (line: GaugeLine, i: number) =>
    line.kind === "text"
      ? (
        <Text key={i} wrap="truncate" color={line.muted ? theme.muted : undefined}>
          {firstFitting(line.variants, width)}
        </Text>
      )
      : <GaugeRow key={i} line={line} labelWidth={label} barWidth={bar} width={width} />;
  if (gutter === 0) return <>{lines.slice(0, height).map(row)}</>;
  // Presenter mode: the marked rows first when the pane is short, each with its ▸, the socket's line lit.
  const marked = (line: GaugeLine) => focus !== null && line.of === focus;
  const shown = lines.length > height && lines.some(marked)
    ? [...lines.filter(marked), ...lines.filter((l) => !marked(l))].slice(0, height)
    : lines.slice(0, height);
  return (
    <>
      {shown.map((line, i) => (
        <Box key={i} flexDirection="row" width={paneWidth} height={1}>
          <Text color={theme.accent} bold>{marked(line) ? MARK : " ".repeat(gutter)}</Text>
          <Text wrap="truncate" bold={marked(line)} inverse={marked(line) && line.kind === "text"}>
            {row(line, i)}
          </Text>
        </Box>
      ))}
    </>
  );
}

interface GaugeRowProps {
  readonly line: Extract<GaugeLine, { kind: "gauge" }>;
  readonly labelWidth: number;
  readonly barWidth: number;
  readonly width: number;
}

/** "3.6 / 4.0 MiB": the unit once when both sizes have it; "0 B / 3.8 MiB" otherwise. */
export function sizeOf(bytes: number, limit: number): string {
  const [now, all] = [formatSize(bytes), formatSize(limit)];
  const unit = (size: string) => size.slice(size.indexOf(" "));
  return unit(now) === unit(all) ? `${now.slice(0, now.indexOf(" "))} / ${all}` : `${now} / ${all}`;
}

/** A gauge's numbers, longest first: the peak goes before the buffer size. */
function gaugeNumbers(line: Extract<GaugeLine, { kind: "gauge" }>): string[] {
  const { bytes, limit, peak } = line;
  const [now, top] = [formatSize(bytes), formatSize(peak)];
  return limit === null
    ? [`${now} · buffer size unknown · peak ${top}`, `${now} · peak ${top}`, now]
    : [`${sizeOf(bytes, limit)} · peak ${top}`, sizeOf(bytes, limit), now];
}

/** "  send queue ▕██████░░░░▏ 3.5 / 4.0 MiB · peak 4.0 MiB" */
function GaugeRow({ line, labelWidth, barWidth, width }: GaugeRowProps) {
  const theme = useTheme();
  const { bytes, limit } = line;
  const numbers = gaugeNumbers(line);
  const label = line.label.padEnd(labelWidth);
  const room = width - cellWidth(label) - 1; // after "label "
  // The bar keeps its width while the numbers have room; below that it shrinks, then goes.
  let bar = limit === null ? 0 : barWidth;
  let text = numbers.find((n) => cellWidth(n) <= room - bar - 3);
  if (text === undefined && bar > 0) {
    bar = Math.min(bar, MIN_BAR);
    text = numbers.find((n) => cellWidth(n) <= room - bar - 3);
  }
  if (text === undefined) {
    bar = 0;
    text = firstFitting(numbers, Math.max(0, room));
  }
  if (bar === 0 || limit === null) {
    return <Text wrap="truncate" dimColor={line.stale}>{fitLine(`${label} ${text}`, width)}</Text>;
  }
  const share = Math.min(1, bytes / Math.max(1, limit));
  const filled = Math.round(share * bar);
  const full = share >= NEAR_FULL;
  return (
    <Text wrap="truncate" dimColor={line.stale}>
      {`${label} `}
      <Text color={theme.muted}>▕</Text>
      <Text color={full ? theme.gaugeFull : theme.gaugeFill}>{"█".repeat(filled)}</Text>
      <Text color={theme.gaugeEmpty}>{"░".repeat(bar - filled)}</Text>
      <Text color={theme.muted}>▏</Text>
      {` ${text}`}
    </Text>
  );
}
