// The kernel's side of the sockets: each socket's send and receive queue as
// a bar against its buffer size, with bytes and the peak; listening sockets
// with their accept queue; then the byte counters of the transfer. When the
// pane is short, one line a socket.
import { Text } from "ink";
import { formatCount, formatSize } from "../report/format.ts";
import type { Counters, SocketGauge } from "../session/session.ts";
import { cellWidth, firstFitting, fitLine } from "./text.ts";
import { useTheme } from "./theme.ts";

export interface SocketGaugesProps {
  readonly sockets: readonly SocketGauge[];
  readonly counters: Counters;
  /** Program names in lesson order: sockets are listed in it. */
  readonly programs: readonly string[];
  /** Programs that have exited: their sockets show the last sample taken. */
  readonly exited: readonly string[];
  readonly width: number;
  readonly height: number;
}

/** A queue at this share of its buffer or more is drawn as full. */
export const NEAR_FULL = 0.9;
const MIN_BAR = 6;
const MAX_BAR = 30;
/** From this pane width the gauges say "send queue" instead of "send q". */
const WIDE_LABELS_FROM = 60;

export type Detail = "full" | "brief";

export type GaugeLine =
  | { readonly kind: "text"; readonly variants: readonly string[]; readonly muted?: boolean }
  | {
    readonly kind: "gauge";
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

/** "client fd 4 · ESTABLISHED · send() took 130.0 MiB", longest first. */
function socketHeader(s: SocketGauge, stale: boolean): string[] {
  const base = [`${s.program} fd ${s.fd}`, s.state ?? "state unknown"];
  const extra: string[] = [];
  if (s.state === "LISTEN" && s.acceptq !== undefined) {
    extra.push(`accept queue ${s.acceptq}${s.backlog !== undefined ? ` of ${s.backlog}` : ""}`);
  }
  if (s.state === "SYN_SENT" && s.retrans !== undefined) extra.push(`SYN retries ${s.retrans}`);
  if (s.totals?.sent) extra.push(`send() took ${formatSize(s.totals.sent)}`);
  if (s.totals?.received) extra.push(`recv() got ${formatSize(s.totals.received)}`);
  const last = stale ? ["last sample before exit"] : [];
  return [
    [...base, ...extra, ...last].join(" · "),
    [...base, ...extra].join(" · "),
    [...base, ...extra.slice(0, 1)].join(" · "),
    base.join(" · "),
  ];
}

function counterVariants(c: Counters): string[] {
  const exact = (v: number | null) => (v === null ? "—" : `${formatCount(v)} B`);
  const size = (v: number | null) => (v === null ? "—" : formatSize(v));
  return [
    `intended ${exact(c.intended)} · handed to send() ${exact(c.handed)} · delivered by recv() ${exact(c.delivered)}`,
    `intended ${size(c.intended)} · handed ${size(c.handed)} · delivered ${size(c.delivered)}`,
    `int ${size(c.intended)} · handed ${size(c.handed)} · got ${size(c.delivered)}`,
  ];
}

/** The pane's lines, most important first in brief mode. */
export function gaugeLines(
  sockets: readonly SocketGauge[],
  counters: Counters,
  programs: readonly string[],
  exited: readonly string[],
  detail: Detail,
  width: number,
): GaugeLine[] {
  const queues: GaugeLine[] = [];
  const others: GaugeLine[] = [];
  for (const s of sortedSockets(sockets, programs)) {
    const stale = exited.includes(s.program);
    if (detail === "brief") {
      if (!hasQueues(s)) {
        others.push({ kind: "text", variants: socketHeader(s, false).slice(1) });
        continue;
      }
      // One line a socket: the queue holding more, or the send queue.
      const recv = (s.rcvq ?? 0) > (s.sndq ?? 0);
      queues.push({
        kind: "gauge",
        label: `${s.program} ${recv ? "recv q" : "send q"}`,
        stale,
        bytes: (recv ? s.rcvq : s.sndq) ?? 0,
        limit: (recv ? s.rcvbuf : s.sndbuf) ?? null,
        peak: recv ? s.peakRcvq : s.peakSndq,
      });
      continue;
    }
    queues.push({ kind: "text", variants: socketHeader(s, stale) });
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
        queues.push({ kind: "text", variants: [`  ${label}: not observable on this machine`], muted: true });
      } else queues.push({ kind: "gauge", label: `  ${label}`, bytes: q, limit: limit ?? null, peak, stale });
    }
  }
  const counterLines: GaugeLine[] = [];
  const { intended, handed, delivered } = counters;
  if (intended !== null || handed !== null || delivered !== null) {
    const variants = counterVariants(counters);
    if (detail === "brief" || cellWidth(variants[0]!) <= width) counterLines.push({ kind: "text", variants });
    else for (const item of variants[0]!.split(" · ")) counterLines.push({ kind: "text", variants: [item] });
  }
  // Brief: the queues, then the counters, then sockets without queues (what a short pane keeps).
  const lines = [...queues, ...counterLines, ...others];
  if (lines.length === 0) lines.push({ kind: "text", variants: ["no sockets open yet"], muted: true });
  return lines;
}

/** Full detail if it fits in `height` lines, else one line a socket. */
export function gaugeDetail(
  sockets: readonly SocketGauge[],
  counters: Counters,
  programs: readonly string[],
  width: number,
  height: number,
): Detail {
  return gaugeLines(sockets, counters, programs, [], "full", width).length <= height ? "full" : "brief";
}

export function SocketGauges({ sockets, counters, programs, exited, width, height }: SocketGaugesProps) {
  const theme = useTheme();
  if (height <= 0) return null;
  const detail = gaugeDetail(sockets, counters, programs, width, height);
  const lines = gaugeLines(sockets, counters, programs, exited, detail, width);
  const label = Math.max(0, ...lines.map((l) => (l.kind === "gauge" ? cellWidth(l.label) : 0)));
  // One bar width for all rows, leaving room for every row's "3.5 MiB / 4.0 MiB · peak 4.0 MiB".
  const numbers = Math.max(0, ...lines.map((l) => (l.kind === "gauge" ? cellWidth(gaugeNumbers(l)[1]!) : 0)));
  const bar = Math.max(MIN_BAR, Math.min(MAX_BAR, Math.floor((width - label) * 0.35), width - label - 4 - numbers));
  return (
    <>
      {lines.slice(0, height).map((line, i) =>
        line.kind === "text"
          ? (
            <Text key={i} wrap="truncate" color={line.muted ? theme.muted : undefined}>
              {firstFitting(line.variants, width)}
            </Text>
          )
          : <GaugeRow key={i} line={line} labelWidth={label} barWidth={bar} width={width} />
      )}
    </>
  );
}

interface GaugeRowProps {
  readonly line: Extract<GaugeLine, { kind: "gauge" }>;
  readonly labelWidth: number;
  readonly barWidth: number;
  readonly width: number;
}

/** A gauge's numbers, most exact first: bytes, then sizes; the peak before the buffer size goes. */
function gaugeNumbers(line: Extract<GaugeLine, { kind: "gauge" }>): string[] {
  const { bytes, limit, peak } = line;
  return limit === null
    ? [
      `${formatCount(bytes)} B · buffer size unknown · peak ${formatCount(peak)}`,
      `${formatSize(bytes)} · peak ${formatSize(peak)}`,
      formatSize(bytes),
    ]
    : [
      `${formatCount(bytes)} / ${formatCount(limit)} B · peak ${formatCount(peak)}`,
      `${formatSize(bytes)} / ${formatSize(limit)} · peak ${formatSize(peak)}`,
      `${formatSize(bytes)} / ${formatSize(limit)}`,
      formatSize(bytes),
    ];
}

/** "  send queue ▕██████░░░░▏ 3,676,294 / 4,194,304 B · peak 4,152,454" */
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
    bar = MIN_BAR;
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
