// A program's source with syntax colours, the line it is executing marked
// (▶, and highlighted when there are colours) from the trace's current call,
// and how long it has been on that line. The line the narration's beat cites
// (›) is kept in view, so the text and the code it speaks of are seen together.
import { useRef } from "react";
import { formatMs } from "../report/format.ts";
import { CodeLine } from "./CodeLine.tsx";
import type { Token } from "./syntax.ts";

export interface CodePaneProps {
  /** The program's source, highlighted, one entry per line. */
  readonly lines: readonly (readonly Token[])[];
  /** 1-based line being executed (the current socket call's), or null. */
  readonly line: number | null;
  /** How long the program has been on that line, ms. */
  readonly forMs: number | null;
  /** 1-based line the current beat cites in this program, or null. */
  readonly cited?: number | null;
  /** Presenter mode: the cited line lit, not only marked. */
  readonly strong?: boolean;
  readonly width: number;
  readonly height: number;
}

/** The first line worth showing when nothing executes yet: after the leading comments. */
function firstCodeLine(lines: readonly (readonly Token[])[]): number {
  const i = lines.findIndex((tokens) => tokens.some((t) => t.kind !== "comment" && t.text.trim() !== ""));
  return i === -1 ? 0 : i;
}

/** The window's first line (0-based): the focus line a third of the way down, inside the file. */
export function codeWindowStart(total: number, height: number, focus: number | null, fallback: number): number {
  const maxStart = Math.max(0, total - height);
  if (focus === null) return Math.min(fallback, maxStart);
  return Math.max(0, Math.min(maxStart, focus - 1 - Math.floor(height / 3)));
}

export function CodePane({ lines, line, forMs, cited = null, strong = false, width, height }: CodePaneProps) {
  // The window stays where the last call was when the call returns, so the
  // code does not jump back to the top between calls.
  const lastFocus = useRef<number | null>(null);
  if (line !== null) lastFocus.current = line;
  if (height <= 0) return null;
  const start = codeWindowStart(lines.length, height, cited ?? lastFocus.current, firstCodeLine(lines));
  const digits = String(lines.length).length;
  const rows = lines.slice(start, start + height);
  return (
    <>
      {rows.map((tokens, i) => {
        const number = start + i + 1;
        const here = number === line;
        return (
          <CodeLine
            key={number}
            tokens={tokens}
            number={number}
            digits={digits}
            tag={here && forMs !== null ? ` ${formatMs(forMs)}` : null}
            here={here}
            cited={number === cited && !here}
            strong={strong}
            width={width}
          />
        );
      })}
    </>
  );
}
