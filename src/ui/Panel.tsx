// A pane's frame: a rounded box with its title in the top border, or just a
// title rule, or nothing. Sizes are exact: the children get inner(pane).
import { Box, Text } from "ink";
import type { ReactNode } from "react";
import type { Pane } from "./layout.ts";
import { cellWidth, fitLine } from "./text.ts";
import { useTheme } from "./theme.ts";

export interface PanelProps {
  readonly pane: Pane;
  readonly title: string;
  /** Shown at the right end of the title line when there is room. */
  readonly note?: string;
  readonly children: ReactNode;
}

export function Panel({ pane, title, note, children }: PanelProps) {
  const theme = useTheme();
  if (pane.height <= 0 || pane.width <= 0) return null;
  if (pane.frame === "none") {
    return <Box flexDirection="column" width={pane.width} height={pane.height} overflow="hidden">{children}</Box>;
  }
  const boxed = pane.frame === "box";
  // "╭─ title ─────── note ─╮" or "── title ─────── note ──"
  const ends = boxed ? 2 : 0;
  const room = pane.width - ends - 2; // "─ " before the title
  const titleText = fitLine(title, Math.max(0, room - 1));
  const after = room - cellWidth(titleText) - 1; // space after the title
  const noteText = note && after >= cellWidth(note) + 4 ? ` ${note} ─` : "";
  const dashes = "─".repeat(Math.max(0, after - cellWidth(noteText)));
  const top = `${boxed ? "╭" : ""}─ `;
  const end = boxed ? "╮" : "";
  return (
    <Box flexDirection="column" width={pane.width} height={pane.height} overflow="hidden">
      <Text wrap="truncate">
        <Text color={theme.muted}>{top}</Text>
        <Text bold color={theme.accent}>{titleText}</Text>
        <Text color={theme.muted}>{` ${dashes}${noteText}${end}`}</Text>
      </Text>
      {boxed
        ? (
          <Box
            flexDirection="column"
            borderStyle="round"
            borderTop={false}
            borderColor={theme.muted}
            width={pane.width}
            height={pane.height - 1}
            overflow="hidden"
          >
            {children}
          </Box>
        )
        : <Box flexDirection="column" width={pane.width} height={pane.height - 1} overflow="hidden">{children}</Box>}
    </Box>
  );
}
