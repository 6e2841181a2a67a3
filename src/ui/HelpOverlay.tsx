// The keys of a screen with what each does (the ? key), from keys.ts.
import { Box, Text } from "ink";
import { bindingsFor, type Screen } from "./keys.ts";
import { cellWidth, wrapWords } from "./text.ts";
import { useTheme } from "./theme.ts";

export interface HelpOverlayProps {
  /** The screen whose keys are explained. */
  readonly screen: Exclude<Screen, "help">;
  readonly auto: boolean;
  readonly width: number;
  readonly height: number;
}

const ABOUT_STEPS = "Step mode: each beat of the narration waits for Enter/Space, while the programs keep running " +
  "and the panes stay live. Start with --auto to see each beat as its fact arrives.";
const ABOUT_TRUTH = "Everything on screen comes from this run: the programs' trace, the kernel (/proc) and their " +
  "output. Where this machine cannot show something, the app says so.";

export function HelpOverlay({ screen, auto, width, height }: HelpOverlayProps) {
  const theme = useTheme();
  const bindings = bindingsFor(screen).filter((b) => b.action !== "close");
  const keyWidth = Math.max(...bindings.map((b) => cellWidth(b.keys))) + 2;
  const lines: { key: string; text: string; keys?: string }[] = [];
  for (const b of bindings) {
    wrapWords(b.help, Math.max(10, width - keyWidth)).forEach((text, i) =>
      lines.push({ key: `${b.action}${i}`, keys: i === 0 ? b.keys : "", text })
    );
  }
  if (screen === "player") {
    lines.push({ key: "gap", text: "" });
    const about = `${ABOUT_STEPS}${auto ? " (--auto is on.)" : ""}`;
    wrapWords(about, width).forEach((text, i) => lines.push({ key: `steps${i}`, text }));
  }
  lines.push({ key: "gap2", text: "" });
  wrapWords(ABOUT_TRUTH, width).forEach((text, i) => lines.push({ key: `truth${i}`, text }));
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      <Text bold color={theme.accent}>Keys{screen === "menu" ? " in the menu" : " in a lesson"}</Text>
      {lines.slice(0, Math.max(0, height - 1)).map((line) => (
        <Text key={line.key} wrap="truncate">
          {line.keys !== undefined ? <Text bold color={theme.accent}>{line.keys.padEnd(keyWidth)}</Text> : null}
          {line.text || " "}
        </Text>
      ))}
    </Box>
  );
}
