// Where presenter mode puts things for a terminal size: the narration first
// and as large as it needs, then only the panes the beat is about (one
// below the other; side by side on a wide screen). Pure: sizes in, sizes
// out, so every pane knows how many lines it may draw and the frame is
// never taller or wider than the screen (a projector at 80x24 included).
import { frameRows } from "./layout.ts";

/** A line of text longer than this is hard to follow across a projected screen. */
export const NARRATION_MAX_WIDTH = 100;
/** From this width the panes stand side by side, each still wide enough for its code. */
export const SIDE_BY_SIDE_MIN_COLS = 140;
/** From this height there is room to set things apart with blank lines. */
export const ROOMY_MIN_ROWS = 36;
/** The narration gives up lines to the panes down to these (its title, a few lines of text, its status). */
const NARRATION_MIN_LINES = 7;
/** Below this the panes' code is not worth showing (the lane already names the line). */
const CODE_MIN_LINES = 3;
/** Columns between panes side by side. */
export const PANE_GAP_COLS = 2;
/** A lane: its state, its current call, its latest output line. */
export const LANE_LINES = 3;

export interface PresenterPaneWant {
  readonly kind: "program";
  readonly name: string;
  readonly lane: boolean;
  readonly code: boolean;
  /** Lines of its source: more code rows than this are no use. */
  readonly sourceLines: number;
}

export interface SocketsWant {
  readonly kind: "sockets";
  /** Lines the sockets pane has in full detail. */
  readonly lines: number;
}

export type PaneWant = PresenterPaneWant | SocketsWant;

export type PresenterPane =
  | {
    readonly kind: "program";
    readonly name: string;
    readonly width: number;
    readonly height: number; // its title rule included
    readonly laneLines: number;
    readonly codeLines: number;
  }
  | { readonly kind: "sockets"; readonly width: number; readonly height: number };

export interface PresenterLayout {
  readonly cols: number;
  /** Frame rows: the screen minus its spare row. */
  readonly rows: number;
  /** Blank columns left of everything but the header and the footer. */
  readonly margin: number;
  /** Blank rows between the narration and the panes, and between stacked panes. */
  readonly spacing: number;
  /** Blank rows above the narration: on a tall screen, a third of what is left, so the page sits less high. */
  readonly top: number;
  readonly narration: { readonly width: number; readonly height: number };
  readonly direction: "row" | "column";
  readonly panes: readonly PresenterPane[];
}

/** Columns left blank on each side: none at 80, more on a wide screen. */
export function presenterMargin(cols: number): number {
  return cols >= 120 ? Math.floor(cols * 0.04) : cols >= 80 ? 1 : 0;
}

/** The narration's width: the text width, at most NARRATION_MAX_WIDTH. */
export function presenterNarrationWidth(cols: number): number {
  return Math.max(10, Math.min(NARRATION_MAX_WIDTH, cols - 2 * presenterMargin(cols)));
}

/**
 * The layout for a terminal of cols x screenRows, a narration that wants
 * `narrationLines` lines (title, text and status, with their blank lines)
 * and the panes wanted, in order. The header and the footer take a row each.
 */
export function presenterLayout(
  cols: number,
  screenRows: number,
  narrationLines: number,
  wants: readonly PaneWant[],
): PresenterLayout {
  const rows = frameRows(screenRows);
  const margin = presenterMargin(cols);
  const spacing = screenRows >= ROOMY_MIN_ROWS ? 1 : 0;
  const body = Math.max(0, rows - 2 - spacing); // header, footer, the blank row above the narration
  const width = cols - 2 * margin;
  const narrationWidth = presenterNarrationWidth(cols);
  const base = { cols, rows, margin, spacing };
  if (wants.length === 0) {
    return {
      ...base,
      top: spacing,
      narration: { width: narrationWidth, height: body },
      direction: "column",
      panes: [],
    };
  }
  const direction = cols >= SIDE_BY_SIDE_MIN_COLS && wants.length > 1 ? "row" : "column";
  const gaps = direction === "row" ? spacing : spacing * wants.length;
  // The narration takes what it wants, down to its minimum when the panes need the room.
  const paneMin = direction === "row" ? Math.max(...wants.map(minHeight)) : sum(wants.map(minHeight));
  const narrationMin = Math.min(narrationLines, NARRATION_MIN_LINES);
  const narration0 = Math.max(narrationMin, Math.min(narrationLines, body - gaps - paneMin));
  const room = Math.max(0, body - gaps - narration0);
  const panes = direction === "row" ? sideBySide(wants, width, room) : stacked(wants, width, room);
  // Rows the panes could not use go to a narration cut short; the rest stay blank at the foot,
  // so the panes sit right below the text they illustrate.
  const used = direction === "row" ? Math.max(0, ...panes.map((p) => p.height)) : sum(panes.map((p) => p.height));
  const narration = Math.min(Math.max(narration0, narrationLines), narration0 + room - used);
  const left = Math.max(0, body - gaps - narration - used);
  const top = spacing + (spacing > 0 ? Math.floor(left / 3) : 0);
  return { ...base, top, narration: { width: narrationWidth, height: narration }, direction, panes };
}

/** The least a pane can show: its title and a lane (two lines), or a few lines of code or sockets. */
function minHeight(want: PaneWant): number {
  if (want.kind === "sockets") return 1 + Math.min(want.lines, 2);
  return 1 + (want.lane ? 2 : Math.min(CODE_MIN_LINES, want.sourceLines));
}

/** The most a pane can use. */
function maxHeight(want: PaneWant): number {
  if (want.kind === "sockets") return 1 + want.lines;
  return 1 + (want.lane ? LANE_LINES : 0) + (want.code ? want.sourceLines : 0);
}

function stacked(wants: readonly PaneWant[], width: number, room: number): PresenterPane[] {
  // Every pane its least first (in order, while there is room); then the lanes
  // their output line, the sockets all their rows, and the code the rest.
  const heights = wants.map(() => 0);
  let left = room;
  wants.forEach((want, i) => {
    const h = Math.min(minHeight(want), left);
    heights[i] = h >= 2 ? h : 0;
    left -= heights[i]!;
  });
  const grow = (takes: (w: PaneWant) => number | null) => {
    const takers = wants.flatMap((w, i) => {
      const cap = takes(w);
      return heights[i]! > 0 && cap !== null ? [{ i, cap }] : [];
    });
    for (const [n, { i, cap }] of takers.entries()) {
      const share = Math.ceil(left / (takers.length - n));
      const add = Math.max(0, Math.min(share, cap - heights[i]!));
      heights[i]! += add;
      left -= add;
    }
  };
  grow((w) => (w.kind === "program" && w.lane ? 1 + LANE_LINES : null));
  grow((w) => (w.kind === "sockets" ? maxHeight(w) : null));
  grow((w) => (w.kind === "program" && w.code ? maxHeight(w) : null));
  return wants.flatMap((want, i) => (heights[i]! > 0 ? [pane(want, width, heights[i]!)] : []));
}

function sideBySide(wants: readonly PaneWant[], width: number, room: number): PresenterPane[] {
  const each = Math.floor((width - PANE_GAP_COLS * (wants.length - 1)) / wants.length);
  return wants.map((want) => pane(want, each, Math.min(room, maxHeight(want))));
}

function pane(want: PaneWant, width: number, height: number): PresenterPane {
  if (want.kind === "sockets") return { kind: "sockets", width, height };
  const inside = Math.max(0, height - 1);
  const laneLines = want.lane ? Math.min(LANE_LINES, inside) : 0;
  const rest = inside - laneLines;
  // A line or two of code says no more than the lane's call line does.
  const codeLines = want.code && rest >= (want.lane ? CODE_MIN_LINES : 1) ? rest : 0;
  return { kind: "program", name: want.name, width, height: 1 + laneLines + codeLines, laneLines, codeLines };
}

function sum(ns: readonly number[]): number {
  return ns.reduce((a, b) => a + b, 0);
}
