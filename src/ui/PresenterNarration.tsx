// Presenter mode's narration: first on the screen and as large as the
// terminal allows: the beat's title in bold, its text wrapped wide with
// room around it (every line set apart on a tall screen), what comes next
// at its foot. Ink cannot change the font size; prominence and spacing are
// what it has.
import { Text } from "ink";
import { BlankLine } from "./BlankLine.tsx";
import { ClockSpinner } from "./ClockSpinner.tsx";
import type { Lesson } from "../lessons/schema.ts";
import { entryHeading, entryLines, type NarrationStatus } from "./Narration.tsx";
import type { NarrationEntry } from "./steps.ts";
import { cellWidth, clampLines, fitLine, wrapWords } from "./text.ts";
import { useTheme } from "./theme.ts";

/** The title wraps, up to this many lines (never cut mid-word). */
const TITLE_MAX_LINES = 3;
/** The scroll hint at the foot when the text is longer than its room. */
export const MORE_TEXT = "j: more";

export interface PresenterText {
  readonly title: readonly string[];
  /** The newest problem the run reported (a program that ignored SIGTERM...), if any. */
  readonly problem: string | null;
  /** "at 1.93 s": when the beat's fact came. */
  readonly when: string;
  readonly text: readonly string[];
}

/** The narration's lines at `width`. */
export function presenterText(
  lesson: Lesson,
  entry: NarrationEntry | undefined,
  notes: readonly string[],
  width: number,
  problems: readonly string[] = [],
): PresenterText {
  const heading = entryHeading(lesson, entry);
  const problem = problems[problems.length - 1];
  return {
    problem: problem === undefined ? null : fitLine(`! ${problem}`, width),
    title: clampLines(wrapWords(heading.title, width), TITLE_MAX_LINES, width),
    when: entry ? heading.when : "",
    text: entryLines(lesson, entry, notes, width),
  };
}

/** Lines it wants: the title, a blank line, the text, a blank line, a problem if any, the status (one line). */
export function presenterNarrationHeight(text: PresenterText, spaced: boolean): number {
  return text.title.length + 1 + (spaced ? spacedLength(text.text) : text.text.length) + 2 + (text.problem ? 1 : 0);
}

/** Each line of a paragraph set apart by a blank line; paragraphs by one too. */
export function spaceOut(lines: readonly string[]): string[] {
  return lines.flatMap((
    line,
    i,
  ) => (line === "" || i === lines.length - 1 || lines[i + 1] === "" ? [line] : [line, ""]));
}

function spacedLength(lines: readonly string[]): number {
  return spaceOut(lines).length;
}

export interface PresenterNarrationProps {
  readonly text: PresenterText;
  readonly status: NarrationStatus;
  /** Lines apart, where the screen is tall enough for all of them. */
  readonly spaced: boolean;
  readonly now: number;
  readonly scroll: number;
  readonly width: number;
  readonly height: number;
}

export function PresenterNarration({ text, status, spaced, now, scroll, width, height }: PresenterNarrationProps) {
  const theme = useTheme();
  if (height <= 0) return null;
  const body = spaced ? spaceOut(text.text) : [...text.text];
  const title = text.title.slice(0, Math.max(1, height - 1));
  const problem = text.problem !== null && height >= title.length + 4 ? text.problem : null;
  const foot = 2 + (problem ? 1 : 0); // the foot's blank line, the problem, the status
  const room = Math.max(0, height - title.length - 1 - foot);
  const top = Math.min(scroll, Math.max(0, body.length - room));
  const shown = body.slice(top, top + room);
  const more = top + room < body.length;
  const last = title.length - 1;
  const when = text.when && cellWidth(title[last]!) + 4 + cellWidth(text.when) <= width ? text.when : "";
  const statusText = fitLine(more ? `${status.text} · ${MORE_TEXT}` : status.text, Math.max(1, width - 2));
  const pad = Math.max(0, height - title.length - 1 - shown.length - (foot - 1));
  return (
    <>
      {title.map((line, i) => (
        <Text key={`t${i}`} wrap="truncate">
          <Text bold color={theme.accent}>{line}</Text>
          {i === last && when
            ? <Text color={theme.muted}>{" ".repeat(width - cellWidth(line) - cellWidth(when)) + when}</Text>
            : null}
        </Text>
      ))}
      {height > title.length ? <BlankLine /> : null}
      {shown.map((line, i) => <Text key={i} wrap="truncate">{line || " "}</Text>)}
      {Array.from({ length: pad }, (_, i) => <BlankLine key={`pad${i}`} />)}
      {problem ? <Text wrap="truncate" color={theme.warn}>{problem}</Text> : null}
      {height > title.length + 1
        ? (
          <Text wrap="truncate" color={status.waiting ? theme.muted : theme.accent}>
            {status.waiting ? <ClockSpinner now={now} /> : " "}
            {` ${statusText}`}
          </Text>
        )
        : null}
    </>
  );
}
