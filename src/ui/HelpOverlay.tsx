// The keys of a screen with what each does (the ? key), from keys.ts. Longer
// than a small terminal: it scrolls (j/k, arrows) and says when there is more.
import { Box, Text } from "ink";
import { bindingsFor, type Screen } from "./keys.ts";
import { cellWidth, spread, wrapWords } from "./text.ts";
import { useTheme } from "./theme.ts";

export interface HelpOverlayProps {
  /** The screen whose keys are explained. */
  readonly screen: HelpScreen;
  readonly auto: boolean;
  readonly width: number;
  readonly height: number;
  /** Lines scrolled down (clamped here to what there is). */
  readonly scroll: number;
}

const ABOUT_STEPS = "Step mode: each beat of the narration waits for Enter/Space, while the programs keep running " +
  "and the panes stay live. Start with --auto to see each beat as its fact arrives.";
const ABOUT_PRESENTER = "Presenter mode: the narration first and large, and only the panes the beat is about, " +
  "with what to look at marked (▸, ›). Each beat waits for the next key (PageDown on a clicker) while the programs " +
  "keep running, and the programs the beat holds wait for it too. b and . blank the screen; back is PageUp, ← or ↑.";
const ABOUT_TRUTH = "Everything on screen comes from this run: the programs' trace, the kernel (/proc) and their " +
  "output. Where this machine cannot show something, the app says so.";
/** The last line, when more of the help is below it. */
export const MORE_BELOW = "↓ j/↓ more";
/** On the heading's right, once scrolled down. */
export const MORE_ABOVE = "↑ k/↑";

/** The screens that have a help: the menu, a lesson in the player or in presenter mode. */
export type HelpScreen = Exclude<Screen, "help" | "blank">;

export interface HelpLine {
  readonly key: string;
  readonly text: string;
  /** The keys column ("Enter/Space"), on a binding's first line; "" on its next lines. */
  readonly keys?: string;
}

/** The help's lines below its heading, wrapped to `width`, and the width of the keys column. */
export function helpLines(
  screen: HelpScreen,
  auto: boolean,
  width: number,
): { lines: HelpLine[]; keyWidth: number } {
  const bindings = bindingsFor(screen).filter((b) => b.action !== "close");
  const keyWidth = Math.max(...bindings.map((b) => cellWidth(b.keys))) + 2;
  const lines: HelpLine[] = [];
  for (const b of bindings) {
    wrapWords(b.help, Math.max(10, width - keyWidth)).forEach((text, i) =>
      lines.push({ key: `${b.action}${i}`, keys: i === 0 ? b.keys : "", text })
    );
  }
  if (screen !== "menu") {
    lines.push({ key: "gap", text: "" });
    const about = screen === "presenter" ? ABOUT_PRESENTER : `${ABOUT_STEPS}${auto ? " (--auto is on.)" : ""}`;
    wrapWords(about, width).forEach((text, i) => lines.push({ key: `steps${i}`, text }));
  }
  lines.push({ key: "gap2", text: "" });
  wrapWords(ABOUT_TRUTH, width).forEach((text, i) => lines.push({ key: `truth${i}`, text }));
  return { lines, keyWidth };
}

/** How far the help can scroll in `height` lines (its heading included): 0 when it fits. */
export function helpScrollMax(screen: HelpScreen, auto: boolean, width: number, height: number): number {
  const { lines } = helpLines(screen, auto, width);
  const room = Math.max(1, height - 1);
  // Scrolled, the last line of the window is the text itself, not the "more" mark.
  return Math.max(0, lines.length - room);
}

export function HelpOverlay({ screen, auto, width, height, scroll }: HelpOverlayProps) {
  const theme = useTheme();
  const { lines, keyWidth } = helpLines(screen, auto, width);
  const room = Math.max(0, height - 1);
  const top = Math.max(0, Math.min(scroll, helpScrollMax(screen, auto, width, height)));
  const more = top + room < lines.length;
  // The last row says there is more, instead of a line of help, which the next j brings up.
  const shown = lines.slice(top, top + room - (more ? 1 : 0));
  const heading = `Keys${
    screen === "menu" ? " in the menu" : screen === "presenter" ? " in presenter mode" : " in a lesson"
  }`;
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      <Text wrap="truncate">
        <Text bold color={theme.accent}>{heading}</Text>
        <Text color={theme.muted}>{top > 0 ? spread(heading, MORE_ABOVE, width).slice(heading.length) : ""}</Text>
      </Text>
      {shown.map((line) => (
        <Text key={line.key} wrap="truncate">
          {line.keys !== undefined ? <Text bold color={theme.accent}>{line.keys.padEnd(keyWidth)}</Text> : null}
          {line.text || " "}
        </Text>
      ))}
      {more ? <Text color={theme.muted}>{MORE_BELOW}</Text> : null}
    </Box>
  );
}
