// The knob form (s in the player): each of the lesson's knobs with what is
// typed for it, its unit, range and default, and why a value cannot apply,
// under it. The keys are knob-form.ts's; this only draws the form.
import { Box, Text } from "ink";
import type { ReactElement } from "react";
import { formatCount } from "../report/format.ts";
import { type KnobFormState, knobProblem } from "./knob-form.ts";
import { BlankLine } from "./BlankLine.tsx";
import { fitLine, padCells } from "./text.ts";
import { useTheme } from "./theme.ts";

export interface KnobFormProps {
  readonly form: KnobFormState;
  readonly title: string;
  readonly width: number;
  readonly height: number;
}

/** Wide enough for the longest value a knob takes (16 digits) and the cursor. */
const FIELD_CELLS = 17;

export const KNOB_FORM_HINT = "Empty: the lesson's default. Enter runs the lesson again with these values; " +
  "Esc leaves them as they were.";

export function KnobForm({ form, title, width, height }: KnobFormProps) {
  const theme = useTheme();
  const nameWidth = Math.max(0, ...form.knobs.map((k) => k.name.length)) + 1;
  const rows: ReactElement[] = [];
  for (const [i, knob] of form.knobs.entries()) {
    const selected = i === form.selected;
    const text = form.texts[i] ?? "";
    const problem = knobProblem(form, i);
    const dflt = knob.default === null ? "not set" : formatCount(knob.default);
    const range = `${knob.unit} · ${formatCount(knob.min)}..${formatCount(knob.max)} · default ${dflt}`;
    const field = padCells(`${text}${selected ? "▏" : ""}` || (selected ? "▏" : "default"), FIELD_CELLS);
    rows.push(
      <Text key={`k${i}`} wrap="truncate">
        <Text bold color={theme.accent}>{selected ? "▸ " : "  "}</Text>
        <Text bold={selected}>{padCells(knob.name, nameWidth)}</Text>
        <Text inverse={selected} color={text === "" ? theme.muted : undefined}>{`[${field}]`}</Text>
        <Text color={theme.muted}>{` ${range}`}</Text>
      </Text>,
      <Text key={`t${i}`} wrap="truncate" color={theme.muted}>{fitLine(`    ${knob.title}`, width)}</Text>,
    );
    // Said while typing for the selected knob, and for every knob once Enter was refused.
    if (problem !== null && (selected || form.tried)) {
      rows.push(
        <Text key={`e${i}`} wrap="truncate" color={theme.error}>{fitLine(`    ✗ ${problem}`, width)}</Text>,
      );
    }
  }
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      <Text bold color={theme.accent} wrap="truncate">{fitLine(`Knobs · ${title}`, width)}</Text>
      {form.knobs.length === 0
        ? <Text wrap="truncate">{fitLine("This lesson has no knobs: nothing to change. Esc goes back.", width)}</Text>
        : (
          <>
            <Text wrap="wrap">{KNOB_FORM_HINT}</Text>
            <BlankLine />
            {rows}
          </>
        )}
    </Box>
  );
}
