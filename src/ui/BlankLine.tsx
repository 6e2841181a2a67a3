// One empty line. Ink gives an empty <Text> no height, so it holds a space
// (kept in a constant: formatters strip whitespace-only JSX text).
import { Text } from "ink";

const SPACE = " ";

export function BlankLine() {
  return <Text>{SPACE}</Text>;
}
