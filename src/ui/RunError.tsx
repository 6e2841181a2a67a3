// Why a lesson could not run (no Python, the --port taken...), in the
// narration's place, with the hint the error carries.
import { Text } from "ink";
import { fitLine, wrapWords } from "./text.ts";
import { useTheme } from "./theme.ts";

export interface RunErrorProps {
  readonly message: string;
  readonly hint: string | null;
  readonly width: number;
}

export function RunError({ message, hint, width }: RunErrorProps) {
  const theme = useTheme();
  const lines = wrapWords(`The lesson could not run: ${message}`, width);
  const hints = hint ? wrapWords(hint, width) : [];
  return (
    <>
      {lines.map((l, i) => <Text key={i} color={theme.error}>{l}</Text>)}
      {hints.map((l, i) => <Text key={`h${i}`}>{l}</Text>)}
      <Text color={theme.muted}>{fitLine("r tries again · q goes back to the menu", width)}</Text>
    </>
  );
}
