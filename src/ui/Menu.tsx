// The lesson menu: each lesson's title, one-line summary and whether the
// learner has done it; the selected one marked ▸; lessons under a heading
// per part (menu-groups.ts; the App hands them over in that order). Under a
// lesson, its exercises, each marked passed or not; under the selected one's,
// how to start it and the hints revealed so far (h reveals the next).
import { Box, Text } from "ink";
import { BlankLine } from "./BlankLine.tsx";
import type { Lesson } from "../lessons/schema.ts";
import { cellWidth, clampLines, fitLine, spread, wrapWords } from "./text.ts";
import { useTheme } from "./theme.ts";

export interface MenuProps {
  readonly lessons: readonly Lesson[];
  readonly done: ReadonlySet<string>;
  readonly selected: number;
  /** Broken lesson files and progress problems: shown, never fatal. */
  readonly warnings: readonly string[];
  /**
   * Lessons whose recorded Linux run is offered (w), where this machine
   * cannot show the kernel's side; null: no offer.
   */
  readonly recorded?: ReadonlySet<string> | null;
  /** Exercises the learner has passed (check), by id. */
  readonly passed?: ReadonlySet<string>;
  /** How many hints of each exercise are revealed, by id. */
  readonly hints?: ReadonlyMap<string, number>;
  readonly width: number;
  readonly height: number;
}

export const MENU_TITLE = "socket-lessons";
export const MENU_TAGLINE = "watch the kernel run real blocking and non-blocking socket programs";

interface Item {
  readonly lesson: Lesson;
  readonly lines: string[]; // summary lines
  /** The part's heading, shown above this lesson: the first of its part. */
  readonly heading: string | null;
}

/** The offer under a lesson: a replay, marked as one, never taken for a run on this machine. */
export const WATCH_OFFER = "w: watch a recorded Linux run (a replay: this machine cannot show the kernel's side)";

/** The lines under a lesson for its exercises: one each; for the selected lesson, how to start and the hints revealed. */
export function exerciseLines(
  lesson: Lesson,
  selected: boolean,
  passed: ReadonlySet<string>,
  hints: ReadonlyMap<string, number>,
  width: number,
): { text: string; passed: boolean | null }[] {
  const pad = " ".repeat(5);
  const lines: { text: string; passed: boolean | null }[] = [];
  for (const e of lesson.exercises) {
    const mark = passed.has(e.id) ? "✓ passed" : "not passed";
    lines.push({ text: spread(`${pad}Exercise: ${e.title}`, mark, width), passed: passed.has(e.id) });
    if (!selected) continue;
    lines.push({ text: fitLine(`${pad}  socket-lessons exercise ${e.id}, then check ${e.id}`, width), passed: null });
    const shown = Math.min(hints.get(e.id) ?? 0, e.hints.length);
    e.hints.slice(0, shown).forEach((hint, i) => {
      const wrapped = wrapWords(`Hint ${i + 1} of ${e.hints.length}: ${hint}`, Math.max(10, width - 7));
      for (const line of wrapped) lines.push({ text: `${pad}  ${line}`, passed: null });
    });
  }
  if (selected && lesson.exercises.some((e) => !passed.has(e.id))) {
    lines.push({ text: fitLine(`${pad}  h: a hint`, width), passed: null });
  }
  return lines;
}

export function Menu(
  { lessons, done, selected, warnings, recorded, passed = new Set(), hints = new Map(), width, height }: MenuProps,
) {
  const theme = useTheme();
  const indent = 5; // "▸ 1. "
  const items: Item[] = lessons.map((lesson, i) => ({
    lesson,
    lines: clampLines(
      wrapWords(lesson.summary, Math.max(10, width - indent)),
      width < 60 ? 1 : 2,
      Math.max(10, width - indent),
    ),
    heading: lesson.part !== null && lesson.part !== lessons[i - 1]?.part ? lesson.part : null,
  }));
  const warningLines = warnings.flatMap((w) => wrapWords(`! ${w}`, width)).slice(
    0,
    Math.max(0, Math.floor(height / 3)),
  );
  // title, tagline, blank; items (each: its part's heading if first, 1 + summary lines + blank); warnings
  const header = height >= 12 ? 3 : 1;
  const room = Math.max(1, height - header - warningLines.length);
  // Keep the selected item visible when the list is taller than the room. A
  // part's heading stays on top while its lessons scroll under it.
  const offered = (lesson: Lesson) => recorded?.has(lesson.id) === true;
  const exercises = items.map((item, i) => exerciseLines(item.lesson, i === selected, passed, hints, width));
  const heights = items.map((i, k) =>
    (i.heading ? 1 : 0) + 1 + i.lines.length + exercises[k]!.length + (offered(i.lesson) ? 1 : 0) + 1
  );
  const sticky = (first: number) => (items[first]!.heading === null && items[first]!.lesson.part !== null ? 1 : 0);
  let first = 0;
  const sum = (a: number, b: number) => heights.slice(a, b).reduce((x, y) => x + y, 0);
  while (first < selected && sticky(first) + sum(first, selected + 1) > room) first++;
  const stickyHeading = items.length > 0 && sticky(first) === 1 ? items[first]!.lesson.part : null;
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      <Text wrap="truncate">
        <Text bold color={theme.accent}>{MENU_TITLE}</Text>
        {header === 1
          ? <Text color={theme.muted}>{fitLine(` · ${MENU_TAGLINE}`, width - cellWidth(MENU_TITLE))}</Text>
          : null}
      </Text>
      {header === 3 ? <Text wrap="truncate" color={theme.muted}>{fitLine(MENU_TAGLINE, width)}</Text> : null}
      {header === 3 ? <BlankLine /> : null}
      <Box flexDirection="column" height={room} overflow="hidden">
        {stickyHeading !== null ? <PartHeading part={stickyHeading} width={width} /> : null}
        {items.slice(first).map((item, k) => {
          const i = first + k;
          const isSelected = i === selected;
          const state = done.has(item.lesson.id) ? "✓ done" : "not started";
          const title = `${isSelected ? "▸" : " "} ${i + 1}. ${item.lesson.title}`;
          const line = spread(title, state, width);
          const split = line.length - cellWidth(state);
          return (
            // flexShrink 0: a list taller than its room is cut at the bottom, never squeezed (lines drawn over each other).
            <Box key={item.lesson.id} flexDirection="column" flexShrink={0}>
              {item.heading !== null ? <PartHeading part={item.heading} width={width} /> : null}
              <Text wrap="truncate">
                <Text bold={isSelected} color={isSelected ? theme.accent : undefined}>{line.slice(0, split)}</Text>
                <Text color={done.has(item.lesson.id) ? theme.ok : theme.muted}>{line.slice(split)}</Text>
              </Text>
              {item.lines.map((summary, j) => (
                <Text key={j} wrap="truncate" color={theme.muted}>{`${" ".repeat(indent)}${summary}`}</Text>
              ))}
              {exercises[i]!.map((line, j) => (
                <Text
                  key={`e${j}`}
                  wrap="truncate"
                  color={line.passed === true ? theme.ok : isSelected && line.passed === null ? undefined : theme.muted}
                >
                  {line.text}
                </Text>
              ))}
              {offered(item.lesson)
                ? (
                  <Text wrap="truncate" color={isSelected ? theme.warn : theme.muted}>
                    {fitLine(`${" ".repeat(indent)}${WATCH_OFFER}`, width)}
                  </Text>
                )
                : null}
              <BlankLine />
            </Box>
          );
        })}
      </Box>
      {warningLines.map((w, i) => <Text key={i} wrap="truncate" color={theme.warn}>{w}</Text>)}
    </Box>
  );
}

/** "The tutorial": a part's heading over its lessons. */
function PartHeading({ part, width }: { part: string; width: number }) {
  const theme = useTheme();
  return (
    <Box flexShrink={0}>
      <Text bold color={theme.accent} wrap="truncate">{fitLine(part, width)}</Text>
    </Box>
  );
}
