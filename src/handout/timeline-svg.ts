// The timeline as a picture (a handout's SVG): the same model the --plain
// text and the TUI draw (src/session/timeline.ts), column for column: a row
// per program coloured by the state of its /proc samples, each busy socket
// queue's level against its buffer, and where each beat's fact came. Nothing
// is smoothed or filled in: a column without a sample stays empty, as in the
// text. Pure: the model in, an SVG document (text) out; every text in it is
// XML-escaped, and each shape carries what it stands for (data-state,
// data-t0/t1 in ms, data-level) so a test can read the picture back.
import type { QueueRow, Timeline, TimelineRow } from "../session/timeline.ts";
import { formatSize } from "../report/format.ts";
import { safeLine } from "../text/sanitize.ts";

export interface TimelineSvgOptions {
  readonly title: string;
  /** Which run: the machine and date, or that it is a replay of a recording. */
  readonly subtitle: string;
}

const FONT = "DejaVu Sans, Verdana, Arial, sans-serif";
const PLOT_WIDTH = 720;
const MARGIN = 16;
const PROGRAM_ROW = 22;
const QUEUE_ROW = 44;
const ROW_GAP = 8;
const TEXT = "#1f2328";
const MUTED = "#59636e";
const GRID = "#d1d9e0";

/** A colour per state letter (timeline.ts's letters); asleep states warm, running green, held violet. */
const STATE_COLOURS: Readonly<Record<string, string>> = {
  s: "#d1242f", // asleep sending
  r: "#0969da", // asleep receiving
  c: "#bf3989", // in connect
  a: "#1a7f37", // in accept
  w: "#9a6700", // in poll/select/epoll
  z: "#6e7781", // in sleep()
  f: "#953800", // on a lock
  "=": "#4ac26b", // running
  "?": "#afb8c1", // asleep elsewhere, or unknown
  H: "#8250df", // held by socket-lessons
  ".": "#eaeef2", // exited
  "·": "#ffffff", // no sample
};
const QUEUE_COLOUR = "#0550ae";

/** Text for XML: the five specials escaped; control characters (not allowed in XML 1.0) shown as escapes. */
export function xmlText(text: string): string {
  return safeLine(text).replace(
    /[&<>"']/g,
    (ch) => `&${{ "&": "amp", "<": "lt", ">": "gt", '"': "quot", "'": "apos" }[ch]};`,
  );
}

/** Rough width of text at 12 px in the sans-serif fonts above, for layout only. */
function textWidth(text: string, px = 12): number {
  return Math.ceil([...text].length * px * 0.6);
}

function num(n: number): string {
  return String(Math.round(n * 100) / 100);
}

function seconds(ms: number): string {
  return `${num(ms / 1000)} s`;
}

/** Lines of at most `width` px, split at spaces. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/)) {
    if (line && textWidth(`${line} ${word}`) > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return line ? [...lines, line] : lines;
}

/** Tick marks at a round step, at most about 8 of them. */
function ticks(startMs: number, endMs: number): number[] {
  const steps = [10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 20_000, 30_000, 60_000];
  const span = Math.max(1, endMs - startMs);
  const step = steps.find((s) => span / s <= 8) ?? 120_000;
  const out: number[] = [];
  for (let t = Math.ceil(startMs / step) * step; t <= endMs; t += step) out.push(t);
  return out;
}

export function timelineSvg(timeline: Timeline, options: TimelineSvgOptions): string {
  const columns = timeline.programs[0]?.cells.length ?? 1;
  const labelWidth = Math.max(
    120,
    ...[...timeline.programs, ...timeline.queues].map((r) => textWidth(r.label) + 24),
    ...timeline.queues.map((q) => textWidth(queueCaption(q), 11) + 24),
  );
  const left = MARGIN + labelWidth;
  const columnWidth = PLOT_WIDTH / columns;
  const x = (column: number) => left + column * columnWidth;
  const xAt = (t: number) => left + ((t - timeline.startMs) / timeline.columnMs) * columnWidth;
  const width = left + PLOT_WIDTH + MARGIN;
  const body: string[] = [];
  let y = 64;

  const plotTop = y;
  for (const row of timeline.programs) {
    body.push(programRow(row, y, x, timeline));
    y += PROGRAM_ROW + ROW_GAP;
  }
  for (const row of timeline.queues) {
    body.push(queueRow(row, y, x, columnWidth));
    y += QUEUE_ROW + ROW_GAP;
  }
  const beatsY = y + 4;
  const beats = beatMarks(timeline, plotTop, beatsY, xAt, left);
  body.push(beats.svg);
  y = beats.bottom + 8;
  body.push(axis(timeline, y, xAt, left));
  y += 36;
  const legend = legendBlock(timeline, y, width);
  body.push(legend.svg);
  y = legend.bottom + 8;
  for (const line of wrap(timeline.sampling, width - 2 * MARGIN)) {
    body.push(`<text x="${MARGIN}" y="${y}" fill="${MUTED}" font-size="11">${xmlText(line)}</text>`);
    y += 15;
  }
  const height = y + MARGIN - 4;
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ` +
    `font-family="${FONT}" font-size="12" data-start-ms="${num(timeline.startMs)}" data-end-ms="${
      num(timeline.endMs)
    }" data-column-ms="${num(timeline.columnMs)}">`,
    `<title>${xmlText(`${options.title}. ${options.subtitle}`)}</title>`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${MARGIN}" y="26" fill="${TEXT}" font-size="16" font-weight="bold">${xmlText(options.title)}</text>`,
    `<text x="${MARGIN}" y="46" fill="${MUTED}">${xmlText(options.subtitle)}</text>`,
    ...body,
    `</svg>`,
    "",
  ].join("\n");
}

function programRow(row: TimelineRow, y: number, x: (c: number) => number, timeline: Timeline): string {
  const out = [`<g class="program" data-program="${xmlText(row.label)}">`];
  out.push(`<text x="${x(0) - 8}" y="${y + 15}" text-anchor="end" fill="${TEXT}">${xmlText(row.label)}</text>`);
  out.push(
    `<rect x="${num(x(0))}" y="${y}" width="${PLOT_WIDTH}" height="${PROGRAM_ROW}" fill="none" stroke="${GRID}"/>`,
  );
  for (const run of runs(row.cells)) {
    if (run.cell === " ") continue;
    const t0 = timeline.startMs + run.from * timeline.columnMs;
    const t1 = timeline.startMs + run.to * timeline.columnMs;
    const exited = run.cell === ".";
    const h = exited ? 4 : PROGRAM_ROW;
    const top = exited ? y + (PROGRAM_ROW - h) / 2 : y;
    const meaning = timeline.legend.find(([l]) => l === run.cell)?.[1] ?? run.cell;
    out.push(
      `<rect data-state="${xmlText(run.cell)}" data-t0="${num(t0)}" data-t1="${num(t1)}" x="${num(x(run.from))}" ` +
        `y="${num(top)}" width="${num(x(run.to) - x(run.from))}" height="${h}" fill="${
          STATE_COLOURS[run.cell] ?? "#afb8c1"
        }"${run.cell === "·" ? ` stroke="${GRID}" stroke-dasharray="2 2"` : ""}>` +
        `<title>${xmlText(`${row.label}: ${meaning}, ${seconds(t0)} to ${seconds(t1)}`)}</title></rect>`,
    );
  }
  out.push("</g>");
  return out.join("\n");
}

function queueCaption(row: QueueRow): string {
  return `peak ${formatSize(row.peak)} of ${formatSize(row.buffer)}`;
}

function queueRow(row: QueueRow, y: number, x: (c: number) => number, columnWidth: number): string {
  const out = [
    `<g class="queue" data-queue="${xmlText(row.label)}" data-peak="${row.peak}" data-buffer="${row.buffer}" ` +
    `data-buffer-name="${row.bufferName}">`,
    `<text x="${x(0) - 8}" y="${y + 18}" text-anchor="end" fill="${TEXT}">${xmlText(row.label)}</text>`,
    `<text x="${x(0) - 8}" y="${y + 34}" text-anchor="end" fill="${MUTED}" font-size="11">${
      xmlText(queueCaption(row))
    }</text>`,
    `<rect x="${num(x(0))}" y="${y}" width="${PLOT_WIDTH}" height="${QUEUE_ROW}" fill="#f6f8fa" stroke="${GRID}"/>`,
    // The buffer's size: the top of the row.
    `<line x1="${num(x(0))}" y1="${y}" x2="${num(x(0) + PLOT_WIDTH)}" y2="${y}" stroke="${QUEUE_COLOUR}" ` +
    `stroke-dasharray="4 3"><title>${row.bufferName} ${xmlText(formatSize(row.buffer))}</title></line>`,
  ];
  row.levels.forEach((level, column) => {
    if (level === null || level === 0) return;
    const h = level * QUEUE_ROW;
    out.push(
      `<rect data-level="${level.toFixed(4)}" x="${num(x(column))}" y="${num(y + QUEUE_ROW - h)}" ` +
        `width="${num(columnWidth)}" height="${num(h)}" fill="${QUEUE_COLOUR}" fill-opacity="0.75"/>`,
    );
  });
  out.push("</g>");
  return out.join("\n");
}

function beatMarks(
  timeline: Timeline,
  top: number,
  y: number,
  xAt: (t: number) => number,
  left: number,
): { svg: string; bottom: number } {
  const out = [
    `<g class="beats">`,
    `<text x="${left - 8}" y="${y + 15}" text-anchor="end" fill="${TEXT}">beats</text>`,
  ];
  // Beats close together take the first line below where their number covers no other's.
  const lastOnTier: number[] = [];
  for (const mark of timeline.marks) {
    const cx = Math.min(left + PLOT_WIDTH, Math.max(left, xAt(mark.t)));
    const free = lastOnTier.findIndex((x) => cx - x >= 18);
    const tier = free >= 0 ? free : lastOnTier.length;
    lastOnTier[tier] = cx;
    const cy = y + 10 + tier * 20;
    out.push(
      `<g class="beat" data-beat="${mark.beat}" data-t="${num(mark.t)}">` +
        `<title>${xmlText(`beat ${mark.beat} at ${seconds(mark.t)}${mark.title ? `: ${mark.title}` : ""}`)}</title>` +
        `<line x1="${num(cx)}" y1="${top}" x2="${num(cx)}" y2="${cy - 8}" stroke="${MUTED}" stroke-width="0.5" ` +
        `stroke-dasharray="2 2"/>` +
        `<circle cx="${num(cx)}" cy="${cy}" r="8" fill="#ffffff" stroke="${TEXT}"/>` +
        `<text x="${num(cx)}" y="${cy + 4}" text-anchor="middle" font-size="10" fill="${TEXT}">${mark.beat}</text></g>`,
    );
  }
  out.push("</g>");
  return { svg: out.join("\n"), bottom: y + Math.max(1, lastOnTier.length) * 20 + 4 };
}

function axis(timeline: Timeline, y: number, xAt: (t: number) => number, left: number): string {
  const out = [
    `<g class="axis">`,
    `<line x1="${left}" y1="${y}" x2="${left + PLOT_WIDTH}" y2="${y}" stroke="${MUTED}"/>`,
  ];
  for (const t of ticks(timeline.startMs, timeline.endMs)) {
    const tx = num(xAt(t));
    out.push(`<line x1="${tx}" y1="${y}" x2="${tx}" y2="${y + 5}" stroke="${MUTED}"/>`);
    out.push(`<text x="${tx}" y="${y + 18}" text-anchor="middle" fill="${MUTED}" font-size="11">${seconds(t)}</text>`);
  }
  out.push(`<text x="${left - 8}" y="${y + 18}" text-anchor="end" fill="${MUTED}" font-size="11">time</text>`);
  out.push("</g>");
  return out.join("\n");
}

function legendBlock(timeline: Timeline, top: number, width: number): { svg: string; bottom: number } {
  const items: { swatch: string; text: string }[] = timeline.legend
    .filter(([letter]) => letter !== " ")
    .map(([letter, meaning]) => ({ swatch: STATE_COLOURS[letter] ?? "#afb8c1", text: meaning }));
  if (timeline.queues.length > 0) {
    items.push({ swatch: QUEUE_COLOUR, text: "a socket queue: its highest sample in each column against its buffer" });
  }
  const out = [`<g class="legend">`];
  let x = MARGIN;
  let y = top;
  for (const item of items) {
    const w = 18 + textWidth(item.text, 11) + 16;
    if (x > MARGIN && x + w > width - MARGIN) {
      x = MARGIN;
      y += 18;
    }
    out.push(
      `<rect x="${x}" y="${y - 10}" width="12" height="12" fill="${item.swatch}" stroke="${GRID}"/>` +
        `<text x="${x + 18}" y="${y}" fill="${TEXT}" font-size="11">${xmlText(item.text)}</text>`,
    );
    x += w;
  }
  out.push("</g>");
  return { svg: out.join("\n"), bottom: y + 18 };
}

/** Runs of one cell: columns from (inclusive) to (exclusive). */
function runs(cells: string): { cell: string; from: number; to: number }[] {
  const out: { cell: string; from: number; to: number }[] = [];
  [...cells].forEach((cell, i) => {
    const last = out.at(-1);
    if (last && last.cell === cell) last.to = i + 1;
    else out.push({ cell, from: i, to: i + 1 });
  });
  return out;
}
