// A program's stdout or stderr as the app keeps it: a byte count and the
// last few complete lines, never the bytes themselves (the blocking lesson's
// server prints over 150 MB). Pure: fed chunks, no I/O.
export const TAIL_LINES = 4;
export const LINE_CHARS = 240; // longer lines are cut; the UI is narrower than this anyway

export class OutputTail {
  bytes = 0;
  private lines: string[] = [];
  private partial = "";

  push(chunk: string, byteLength: number): void {
    this.bytes += byteLength;
    const text = this.partial + chunk;
    const end = text.lastIndexOf("\n");
    if (end === -1) {
      this.partial = text.length > LINE_CHARS ? text.slice(0, LINE_CHARS) : text;
      return;
    }
    this.partial = text.slice(end + 1, end + 1 + LINE_CHARS);
    // Only the last TAIL_LINES lines of this chunk can survive: skip the rest unsplit.
    let start = end;
    for (let n = 0; n < TAIL_LINES && start > 0; n++) start = text.lastIndexOf("\n", start - 1);
    const fresh = text.slice(start + 1, end).split("\n").map((line) => clip(line));
    this.lines = [...this.lines, ...fresh].slice(-TAIL_LINES);
  }

  /** Complete lines, plus the unfinished last line if the program never ended it. */
  tail(includePartial = false): string[] {
    return includePartial && this.partial ? [...this.lines, this.partial].slice(-TAIL_LINES) : [...this.lines];
  }
}

function clip(line: string): string {
  const clean = line.endsWith("\r") ? line.slice(0, -1) : line;
  return clean.length > LINE_CHARS ? `${clean.slice(0, LINE_CHARS - 1)}…` : clean;
}
