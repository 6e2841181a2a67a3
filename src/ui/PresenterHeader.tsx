// Presenter mode's top line, big and plain: the lesson's title and where the
// class is in it ("beat 6 of 12"); then, as room allows, whether the panes
// show a recorded moment and whether the programs run.
import { Text } from "ink";
import { phaseText } from "./PlayerHeader.tsx";
import type { LiveSnapshot } from "./live-run.ts";
import { cellWidth, firstFitting, fitLine } from "./text.ts";
import { useTheme } from "./theme.ts";

export interface PresenterHeaderProps {
  readonly live: LiveSnapshot;
  /** "beat 6 of 12", "introduction", "the end". */
  readonly position: string;
  /** "recorded at 283 ms" behind the live edge; null on it. */
  readonly moment: string | null;
  readonly width: number;
}

export function PresenterHeader({ live, position, moment, width }: PresenterHeaderProps) {
  const theme = useTheme();
  const phase = phaseText(live);
  const join = (parts: readonly (string | null)[]) => parts.filter(Boolean).join(" · ");
  // The position never gives way; the moment and the phase do, then the title is shortened.
  const extras = firstFitting(
    [join([moment, phase]), moment ?? phase, ""],
    Math.max(0, width - cellWidth(position) - 3 - Math.min(20, cellWidth(live.session.lesson.title))),
  );
  const right = extras ? `${extras} · ` : "";
  const title = fitLine(live.session.lesson.title, Math.max(0, width - cellWidth(right) - cellWidth(position) - 2));
  const gap = " ".repeat(Math.max(1, width - cellWidth(title) - cellWidth(right) - cellWidth(position)));
  return (
    <Text wrap="truncate">
      <Text bold color={theme.accent}>{title}</Text>
      {gap}
      <Text color={theme.muted}>{right}</Text>
      <Text bold>{position}</Text>
    </Text>
  );
}
