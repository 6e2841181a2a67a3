// Where each pane goes for a terminal size. Pure: sizes in, rectangles out,
// so every pane knows exactly how many lines it may draw and the frame never
// grows past the screen.
//
//   wide     (>= 100 columns, >= 20 rows): programs left, narration and gauges right
//   stacked  (>= 60 columns, >= 20 rows):  one column: programs, gauges, narration
//   compact  (< 60 columns or < 20 rows):  one column, no code panes, no frames

export const WIDE_MIN_COLS = 100;
export const STACKED_MIN_COLS = 60;
export const STACKED_MIN_ROWS = 20;
/** Ink writes a newline after the frame; a frame as tall as the screen would scroll it. */
export const FRAME_SPARE_ROWS = 1;
/** The stacked layout gives up narration and gauge rows down to these for the programs' lanes. */
const STACKED_MIN_NARRATION = 6;
const STACKED_MIN_GAUGES = 3;
/** Below this the app only asks for a bigger terminal. */
export const MIN_COLS = 30;
export const MIN_ROWS = 8;

export type LayoutMode = "wide" | "stacked" | "compact";

export function layoutMode(cols: number, rows: number): LayoutMode {
  if (cols < STACKED_MIN_COLS || rows < STACKED_MIN_ROWS) return "compact";
  return cols >= WIDE_MIN_COLS ? "wide" : "stacked";
}

export function tooSmall(cols: number, rows: number): boolean {
  return cols < MIN_COLS || rows < MIN_ROWS;
}

/** Lines a frame may use: the screen minus the spare row. */
export function frameRows(rows: number): number {
  return Math.max(1, rows - FRAME_SPARE_ROWS);
}

export interface Pane {
  readonly width: number;
  readonly height: number;
  /** Drawn with a border (2 rows, 2 columns) or a title rule only (1 row) or nothing. */
  readonly frame: "box" | "rule" | "none";
}

export interface ProgramPane extends Pane {
  readonly codeLines: number; // 0: the executing line is shown in the lane instead
  readonly outputLines: number;
}

export interface PlayerLayout {
  readonly mode: LayoutMode;
  readonly cols: number;
  readonly rows: number; // frame rows
  readonly programs: readonly ProgramPane[];
  readonly programsWidth: number;
  readonly narration: Pane;
  readonly gauges: Pane;
}

/** Rows and columns a frame takes from a pane. */
export function frameCost(frame: Pane["frame"]): { rows: number; cols: number } {
  return frame === "box" ? { rows: 2, cols: 2 } : frame === "rule" ? { rows: 1, cols: 0 } : { rows: 0, cols: 0 };
}

/** The inner size of a pane. */
export function inner(pane: Pane): { width: number; height: number } {
  const cost = frameCost(pane.frame);
  return { width: Math.max(0, pane.width - cost.cols), height: Math.max(0, pane.height - cost.rows) };
}

const clamp = (n: number, lo: number, hi: number): number => Math.max(lo, Math.min(hi, n));

/** Splits `total` rows into `n` parts, the first ones getting the remainder. */
export function split(total: number, n: number): number[] {
  if (n <= 0) return [];
  const base = Math.floor(total / n);
  return Array.from({ length: n }, (_, i) => base + (i < total % n ? 1 : 0));
}

/**
 * The player's panes. `gaugeLines` is how many lines the gauges want in this
 * mode (see gaugeLineCount); the header and the footer take one row each.
 */
export function playerLayout(cols: number, screenRows: number, programCount: number, gaugeLines: number): PlayerLayout {
  const rows = frameRows(screenRows);
  const mode = layoutMode(cols, screenRows);
  const body = Math.max(0, rows - 2);
  const n = Math.max(1, programCount);
  if (mode === "wide") {
    const left = clamp(Math.round(cols * 0.56), 56, cols - 40);
    const right = cols - left;
    const gaugesHeight = clamp(gaugeLines + 2, 4, Math.floor(body * 0.5));
    return {
      mode,
      cols,
      rows,
      programsWidth: left,
      programs: split(body, n).map((h) => programPane(left, h, "box")),
      narration: { width: right, height: body - gaugesHeight, frame: "box" },
      gauges: { width: right, height: gaugesHeight, frame: "box" },
    };
  }
  if (mode === "stacked") {
    let narration = clamp(Math.floor(body * 0.4), Math.min(6, body), 14);
    let gauges = clamp(gaugeLines + 1, 2, Math.floor(body * 0.3));
    // Each program gets its title rule, its state and its latest output line
    // (cancel-connect's "Connecting..." at 80x24): rows come from the
    // narration and the gauges in turn, as far as they can give.
    const wanted = n * (frameCost("rule").rows + 2);
    for (let turn = 0; body - narration - gauges < wanted; turn++) {
      if (turn % 2 === 0 && narration > STACKED_MIN_NARRATION) narration--;
      else if (gauges > STACKED_MIN_GAUGES) gauges--;
      else if (narration > STACKED_MIN_NARRATION) narration--;
      else break;
    }
    const programs = Math.max(0, body - narration - gauges);
    return {
      mode,
      cols,
      rows,
      programsWidth: cols,
      programs: split(programs, n).map((h) => programPane(cols, h, "rule")),
      narration: { width: cols, height: narration, frame: "rule" },
      gauges: { width: cols, height: gauges, frame: "rule" },
    };
  }
  // compact: every program gets its status and its current call; the gauges
  // a line or a few; the narration the rest (it scrolls).
  // The gauges have no frame here: one line a socket says what it is.
  const programLines = Math.min(2 * n, Math.max(n, Math.floor(body * 0.4)));
  const gauges = clamp(gaugeLines, Math.min(1, body), Math.max(1, Math.floor(body * 0.25)));
  const narration = Math.max(0, body - programLines - gauges);
  return {
    mode,
    cols,
    rows,
    programsWidth: cols,
    programs: split(programLines, n).map((h) => ({
      width: cols,
      height: h,
      frame: "none",
      codeLines: 0,
      outputLines: 0,
    })),
    narration: { width: cols, height: narration, frame: "rule" },
    gauges: { width: cols, height: gauges, frame: "none" },
  };
}

/** A program's pane: status and call lines, the last output lines, and the code with what is left. */
function programPane(width: number, height: number, frame: "box" | "rule"): ProgramPane {
  const room = Math.max(0, height - frameCost(frame).rows);
  // Two lines: the state (with the call on the same line) and the latest output (ProgramLane merges them).
  if (room === 2) return { width, height, frame, codeLines: 0, outputLines: 1 };
  const laneLines = Math.min(room, 2);
  const rest = room - laneLines;
  const outputLines = rest >= 8 ? 2 : rest >= 2 ? 1 : 0;
  const codeLines = Math.max(0, rest - outputLines);
  // One code line is no better than the line shown in the lane itself.
  return codeLines === 1
    ? { width, height, frame, codeLines: 0, outputLines: outputLines + 1 }
    : { width, height, frame, codeLines, outputLines };
}
