// A program's source with syntax colours, the line it is executing marked
// (▶, and highlighted when there are colours) from the trace's current call,
// and how long it has been on that line.
import { Text } from "ink";
import { useRef } from "react";
import { formatMs } from "../report/format.ts";
import type { Token } from "./syntax.ts";
import { cellWidth, fitLine } from "./text.ts";
import { useTheme } from "./theme.ts";

export interface CodePaneProps {
  /** The program's source, highlighted, one entry per line. */
  readonly lines: readonly (readonly Token[])[];
  /** 1-based line being executed (the current socket call's), or null. */
  readonly line: number | null;
  /** How long the program has been on that line, ms. */
  readonly forMs: number | null;
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

export function CodePane({ lines, line, forMs, width, height }: CodePaneProps) {
  const theme = useTheme();
  // The window stays where the last call was when the call returns, so the
  // code does not jump back to the top between calls.
  const lastFocus = useRef<number | null>(null);
  if (line !== null) lastFocus.current = line;
  if (height <= 0) return null;
  const start = codeWindowStart(lines.length, height, lastFocus.current, firstCodeLine(lines));
  const digits = String(lines.length).length;
  const rows = lines.slice(start, start + height);
  return (
    <>
      {rows.map((tokens, i) => {
        const number = start + i + 1;
        const here = number === line;
        const gutter = `${here ? "▶" : " "}${String(number).padStart(digits)} `;
        const room = Math.max(0, width - cellWidth(gutter));
        const tag = here && forMs !== null ? ` ${formatMs(forMs)}` : "";
        const text = tokens.map((t) => t.text).join("");
        if (here) {
          const codeRoom = cellWidth(tag) + 8 <= room ? room - cellWidth(tag) : room;
          const code = fitLine(text, codeRoom);
          const shownTag = codeRoom < room ? tag : "";
          const pad = " ".repeat(Math.max(0, room - cellWidth(code) - cellWidth(shownTag)));
          return (
            <Text key={number} wrap="truncate" bold>
              <Text color={theme.accent}>{gutter}</Text>
              <Text
                color={theme.lineText}
                backgroundColor={theme.lineBackground}
                inverse={!theme.color}
              >
                {code + pad + shownTag}
              </Text>
            </Text>
          );
        }
        return (
          <Text key={number} wrap="truncate">
            <Text color={theme.muted}>{gutter}</Text>
            {fitTokens(tokens, room).map((t, j) => <Text key={j} color={theme.syntax[t.kind]}>{t.text}</Text>)}
          </Text>
        );
      })}
    </>
  );
}

/** The tokens of a line cut to `width` at a word boundary (fitLine's cut), colours kept. */
function fitTokens(tokens: readonly Token[], width: number): Token[] {
  const text = tokens.map((t) => t.text).join("");
  const fitted = fitLine(text, width);
  if (fitted === text) return [...tokens];
  const keep = cellWidth(fitted) - 1; // without the ellipsis
  const out: Token[] = [];
  let used = 0;
  for (const t of tokens) {
    if (used >= keep) break;
    const part = [...t.text].slice(0, keep - used).join("");
    out.push({ kind: t.kind, text: part });
    used += cellWidth(part);
  }
  out.push({ kind: "comment", text: "…" });
  return out;
}
