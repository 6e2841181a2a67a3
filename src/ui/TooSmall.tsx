// What a terminal below the smallest layout gets: its size and the size
// needed. The app keeps running underneath; growing the window brings it back.
import { Box, Text } from "ink";
import { MIN_COLS, MIN_ROWS } from "./layout.ts";
import { fitLine } from "./text.ts";
import { useTheme } from "./theme.ts";

export function TooSmall({ cols, rows, height }: { cols: number; rows: number; height: number }) {
  const theme = useTheme();
  return (
    <Box display="flex" flexDirection="column" width={cols} height={height} overflow="hidden">
      <Text wrap="truncate" color={theme.warn}>{fitLine(`Terminal too small (${cols}x${rows}).`, cols)}</Text>
      <Text wrap="truncate">{fitLine(`socket-lessons needs ${MIN_COLS}x${MIN_ROWS} or more.`, cols)}</Text>
      <Text wrap="truncate" color={theme.muted}>{fitLine("Ctrl-C quits.", cols)}</Text>
    </Box>
  );
}
