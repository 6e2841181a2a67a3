// The kernel's side of the sockets: each socket's send and receive queue as
// a bar against its buffer size, with bytes and the peak; listening sockets
// with their accept queue; then the byte counters of the transfer.
import { Text } from "ink";
import { formatCount, formatSize } from "../report/format.ts";
import type { Counters, SocketGauge } from "../session/session.ts";
import type { LayoutMode } from "./layout.ts";
import { cellWidth, firstFitting, fitLine } from "./text.ts";
import { useTheme } from "./theme.ts";

export interface SocketGaugesProps {
  readonly sockets: readonly SocketGauge[];
  readonly counters: Counters;
  /** Program names in lesson order: sockets are listed in it. */
  readonly programs: readonly string[];
  readonly mode: LayoutMode;
  readonly width: number;
  readonly height: number;
}

/** A queue at this share of its buffer or more is drawn as full. */
export const NEAR_FULL = 0.9;

export type GaugeLine =
  | { readonly kind: "text"; readonly text: string; readonly muted?: boolean }
  | { readonly kind: "gauge"; readonly label: string; readonly bytes: number; readonly limit: number | null; readonly peak: number };

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

function socketHeader(s: SocketGauge): string {
  const parts = [`${s.program} fd ${s.fd}`, s.state ?? "state unknown"];
  if (s.state === "LISTEN" && s.acceptq !== undefined) {
    parts.push(`accept queue ${s.acceptq}${s.backlog !== undefined ? ` of ${s.backlog}` : ""}`);
  }
  if (s.state === "SYN_SENT" && s.retrans !== undefined) parts.push(`SYN retries ${s.retrans}`);
  if (s.sent) parts.push(`send() took ${formatCount(s.sent)} B`);
  if (s.received) parts.push(`recv() got ${formatCount(s.received)} B`);
  return parts.join(" · ");
}

function counterText(label: string, value: number | null): string {
  return `${label} ${value === null ? "—" : `${formatCount(value)} B`}`;
}

/** The pane's lines, before they are cut to its height. */
export function gaugeLines(
  sockets: readonly SocketGauge[], counters: Counters, programs: readonly string[], mode: LayoutMode, width: number,
): GaugeLine[] {
  const lines: GaugeLine[] = [];
  for (const s of sortedSockets(sockets, programs)) {
    if (mode === "compact") {
      // One line a socket with queues: the queue that holds more, or the send queue.
      if (!hasQueues(s)) continue;
      const recv = (s.rcvq ?? 0) > (s.sndq ?? 0);
      lines.push({
        kind: "gauge", label: `${s.program} ${recv ? "recv q" : "send q"}`,
        bytes: (recv ? s.rcvq : s.sndq) ?? 0,
        limit: (recv ? s.rcvbuf : s.sndbuf) ?? null,
        peak: recv ? s.peakRcvq : s.peakSndq,
      });
      continue;
    }
    lines.push({ kind: "text", text: socketHeader(s) });
    if (!hasQueues(s)) continue;
    for (const [label, q, limit, peak] of [
      ["send queue", s.sndq, s.sndbuf, s.peakSndq],
      ["recv queue", s.rcvq, s.rcvbuf, s.peakRcvq],
    ] as const) {
      if (q === undefined) lines.push({ kind: "text", text: `  ${label}: not observable on this machine`, muted: true });
      else lines.push({ kind: "gauge", label: `  ${label}`, bytes: q, limit: limit ?? null, peak });
    }
  }
  if (lines.length === 0) lines.push({ kind: "text", text: "no sockets open yet", muted: true });
  const { intended, handed, delivered } = counters;
  if (intended !== null || handed !== null || delivered !== null) {
    const items = [
      counterText("intended", intended),
      counterText("handed to send()", handed),
      counterText("delivered by recv()", delivered),
    ];
    // One line if they fit, else one a line.
    const one = items.join(" · ");
    if (cellWidth(one) <= width) lines.push({ kind: "text", text: one });
    else for (const item of items) lines.push({ kind: "text", text: item });
  }
  return lines;
}

export function SocketGauges({ sockets, counters, programs, mode, width, height }: SocketGaugesProps) {
  const theme = useTheme();
  if (height <= 0) return null;
  const lines = gaugeLines(sockets, counters, programs, mode, width);
  const cut = lines.length > height;
  const shown = cut ? lines.slice(0, Math.max(0, height - 1)) : lines;
  return (
    <>
      {shown.map((line, i) =>
        line.kind === "text"
          ? <Text key={i} wrap="truncate" color={line.muted ? theme.muted : undefined}>{fitLine(line.text, width)}</Text>
          : <GaugeRow key={i} line={line} width={width} />
      )}
      {cut
        ? (
          <Text wrap="truncate" color={theme.muted}>
            {fitLine(`… ${lines.length - shown.length} more lines (a taller terminal shows them)`, width)}
          </Text>
        )
        : null}
    </>
  );
}

function GaugeRow({ line, width }: { line: Extract<GaugeLine, { kind: "gauge" }>; width: number }) {
  const theme = useTheme();
  const { bytes, limit, peak } = line;
  const numbers = limit === null
    ? [`${formatCount(bytes)} B (buffer size unknown) · peak ${formatCount(peak)}`, `${formatSize(bytes)} · peak ${formatSize(peak)}`, formatSize(bytes)]
    : [
      `${formatCount(bytes)} / ${formatCount(limit)} B · peak ${formatCount(peak)}`,
      `${formatSize(bytes)} / ${formatSize(limit)} · peak ${formatSize(peak)}`,
      `${formatSize(bytes)} / ${formatSize(limit)}`,
      formatSize(bytes),
    ];
  const label = line.label;
  // label, a bar of at least MIN_BAR cells, the numbers; the numbers give way first, then the bar.
  const MIN_BAR = 6;
  const fixed = cellWidth(label) + 2 + 2; // spaces and the bar's ends
  let text = numbers.find((n) => fixed + MIN_BAR + 1 + cellWidth(n) <= width);
  const barWidth = text === undefined ? 0 : width - fixed - 1 - cellWidth(text);
  if (text === undefined) text = firstFitting(numbers, Math.max(0, width - cellWidth(label) - 1));
  if (barWidth <= 0 || limit === null) {
    return <Text wrap="truncate">{fitLine(`${label} ${text}`, width)}</Text>;
  }
  const share = Math.min(1, bytes / Math.max(1, limit));
  const filled = Math.round(share * barWidth);
  const full = share >= NEAR_FULL;
  return (
    <Text wrap="truncate">
      {`${label} `}
      <Text color={theme.muted}>▕</Text>
      <Text color={full ? theme.gaugeFull : theme.gaugeFill}>{"█".repeat(filled)}</Text>
      <Text color={theme.gaugeEmpty}>{"░".repeat(barWidth - filled)}</Text>
      <Text color={theme.muted}>▏</Text>
      {` ${text}`}
    </Text>
  );
}
