// One line of a code pane: gutter, line number, highlighted source; the
// executing line marked ▶ (and lit when there are colours) with how long the
// program has been on it. Memoized: between kernel samples only the
// executing line changes, so only it re-renders.
import { Text } from "ink";
import { memo } from "react";
import type { Token } from "./syntax.ts";
import { cellWidth, fitLine, takeCells } from "./text.ts";
import { useTheme } from "./theme.ts";

export interface CodeLineProps {
  readonly tokens: readonly Token[];
  readonly number: number;
  /** Width of the line numbers (digits of the last one). */
  readonly digits: number;
  readonly here: boolean;
  /** The line the current beat speaks of (when it is not the executing line). */
  readonly cited?: boolean;
  /** Presenter mode: the cited line lit (inverse), so a class sees it from the back of the room. */
  readonly strong?: boolean;
  /** " 1.23 s" on the executing line, when known. */
  readonly tag: string | null;
  readonly width: number;
}

export const CodeLine = memo(function CodeLine(
  { tokens, number, digits, here, cited, strong, tag, width }: CodeLineProps,
) {
  const theme = useTheme();
  const gutter = `${here ? "▶" : cited ? "›" : " "}${String(number).padStart(digits)} `;
  const room = Math.max(0, width - cellWidth(gutter));
  if (here) {
    const text = tokens.map((t) => t.text).join("");
    const tagText = tag ?? "";
    const codeRoom = cellWidth(tagText) + 8 <= room ? room - cellWidth(tagText) : room;
    const code = fitLine(text, codeRoom);
    const shownTag = codeRoom < room ? tagText : "";
    const pad = " ".repeat(Math.max(0, room - cellWidth(code) - cellWidth(shownTag)));
    return (
      <Text wrap="truncate" bold>
        <Text color={theme.accent}>{gutter}</Text>
        <Text color={theme.lineText} backgroundColor={theme.lineBackground} inverse={!theme.color}>
          {code + pad + shownTag}
        </Text>
      </Text>
    );
  }
  if (cited && strong) {
    // Inverse, not a colour: it shows with NO_COLOR too, and the › says it in text.
    const code = fitLine(tokens.map((t) => t.text).join(""), room);
    return (
      <Text wrap="truncate" bold>
        <Text color={theme.accent}>{gutter}</Text>
        <Text color={theme.accent} inverse>{code + " ".repeat(Math.max(0, room - cellWidth(code)))}</Text>
      </Text>
    );
  }
  return (
    <Text wrap="truncate" bold={cited}>
      <Text color={cited ? theme.accent : theme.muted}>{gutter}</Text>
      {fitTokens(tokens, room).map((t, j) => <Text key={j} color={theme.syntax[t.kind]}>{t.text}</Text>)}
    </Text>
  );
});

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
    const part = takeCells(t.text, keep - used);
    out.push({ kind: t.kind, text: part });
    used += cellWidth(part);
  }
  out.push({ kind: "comment", text: "…" });
  return out;
}
