// The narration: the beat the learner is on, with the numbers measured in
// this run, and what comes next (Enter for a beat that is ready, or the fact
// the next beat waits for while the programs run on).
import { Text } from "ink";
import { BlankLine } from "./BlankLine.tsx";
import type { ReactNode } from "react";
import { describeFact, factHeading } from "../facts/describe.ts";
import type { Lesson } from "../lessons/schema.ts";
import { formatMs } from "../report/format.ts";
import { type Capabilities, trigger } from "../session/beats.ts";
import type { SessionState } from "../session/session.ts";
import type { AnswerVerdict } from "../session/answer.ts";
import { ClockSpinner } from "./ClockSpinner.tsx";
import type { NarrationEntry } from "./steps.ts";
import { cellWidth, clampLines, fitLine, spread, wrapWords } from "./text.ts";
import { useTheme } from "./theme.ts";

export interface NarrationProps {
  readonly lesson: Lesson;
  readonly entries: readonly NarrationEntry[];
  /** -1: the lesson's introduction. */
  readonly index: number;
  readonly ended: SessionState["ended"];
  readonly probeNotes: readonly string[];
  readonly problems: readonly string[];
  readonly auto: boolean;
  /** Programs the lesson holds now (they go on when the learner moves on). */
  readonly held?: readonly string[];
  /** What this machine lets the run see: which fact the next beat waits for here (its own or its instead:). */
  readonly caps?: Capabilities;
  /** The session's clock (turns the spinner while the narration waits). */
  readonly now: number;
  /** Lines scrolled down in the text. */
  readonly scroll: number;
  readonly width: number;
  readonly height: number;
  /** Shown at the top (the pause note), taking `reserved` lines. */
  readonly children?: ReactNode;
  readonly reserved?: number;
  /** The learner's answers to the beats' questions this run (null: skipped), by beat index. */
  readonly answers?: ReadonlyMap<number, AnswerVerdict | null>;
}

/** A beat without a title is headed by its fact, in words: "The client's send() wakes up". */
function untitled(fact: string | null, program: string | null): string {
  return fact === null ? "Not observable here" : factHeading(fact, program ?? undefined);
}

/** "4/11 · One send() with all the data" and "at 1.93 s". */
export function entryHeading(lesson: Lesson, entry: NarrationEntry | undefined): { title: string; when: string } {
  const total = lesson.beats.length;
  if (!entry) return { title: lesson.title, when: `${total} beats` };
  if (entry.kind === "unobserved") {
    const b = entry.beat;
    return { title: `${b.index + 1}/${total} · ${b.title ?? untitled(b.on, b.program)}`, when: "not observed" };
  }
  const b = entry.beat;
  return { title: `${b.index + 1}/${total} · ${b.title ?? untitled(b.fact, b.program)}`, when: `at ${formatMs(b.t)}` };
}

/** The text of an entry (or of the introduction), wrapped to `width`. */
export function entryLines(
  lesson: Lesson,
  entry: NarrationEntry | undefined,
  probeNotes: readonly string[],
  width: number,
  answers?: ReadonlyMap<number, AnswerVerdict | null>,
): string[] {
  if (!entry) {
    const parts = [lesson.summary, lesson.portNote ?? "", ...probeNotes.map((n) => `Note: ${n}`)].filter(Boolean);
    return wrapWords(parts.join("\n\n"), width);
  }
  if (entry.kind === "unobserved") {
    const text = [`Not observed in this run: ${entry.beat.why}.`, ...probeNotes].join("\n\n");
    return wrapWords(text, width);
  }
  // The measured answer beside the learner's, under the beat it was asked before.
  const verdict = answers?.get(entry.beat.index);
  const said = verdict ? `\n\n${verdict.line}` : "";
  return wrapWords(entry.beat.text.trimEnd() + said, width);
}

export interface NarrationStatus {
  readonly text: string;
  readonly waiting: boolean;
}

/** What the learner can do next, or what the narration waits for. */
export function narrationStatus(
  lesson: Lesson,
  entries: readonly NarrationEntry[],
  index: number,
  ended: SessionState["ended"],
  auto: boolean,
  held: readonly string[] = [],
  caps?: Capabilities,
): NarrationStatus {
  const ready = entries.length - 1 - index;
  if (ready > 0) {
    const what = index === -1 ? "the first beat" : "next beat";
    return { text: `Enter/Space: ${what}${ready > 1 ? ` (${ready} ready)` : ""}`, waiting: false };
  }
  if (ended) {
    return { text: `Lesson over after ${formatMs(ended.t)}. Enter/Space: the summary · r restart`, waiting: false };
  }
  if (held.length > 0) {
    // The lesson holds programs at this beat: they wait for the learner, not for a fact.
    return {
      text: `Enter/Space: go on (socket-lessons holds the ${held.join(" and the ")} until you do)`,
      waiting: false,
    };
  }
  const next = lesson.beats[entries.length];
  if (!next) return { text: "Every beat is shown; the programs are still running.", waiting: true };
  // Where this machine cannot see the beat's own fact, it waits for its instead: one.
  const on = (caps ? trigger(next, caps)?.selector.on : undefined) ?? next.on;
  return { text: `${auto ? "--auto: " : ""}waiting for ${describeFact(on, next.program)}`, waiting: true };
}

/** With this many lines or more, blank lines set the text apart. */
const SPACIOUS_LINES = 12;

export function Narration(props: NarrationProps) {
  const { lesson, entries, index, ended, probeNotes, problems, auto, caps, now, scroll, width, height, children } =
    props;
  const theme = useTheme();
  const own = height - (props.reserved ?? 0); // lines below the pause note
  if (own <= 0) return <>{children}</>;
  const entry = index >= 0 ? entries[index] : undefined;
  const heading = entryHeading(lesson, entry);
  const status = narrationStatus(lesson, entries, index, ended, auto, props.held, caps);
  const statusLines = wrapWords(status.text, Math.max(1, width - 2)).slice(0, 2);
  const problemLine = problems.length > 0 ? fitLine(`! ${problems[problems.length - 1]}`, width) : null;
  const text = entryLines(lesson, entry, probeNotes, width, props.answers);
  const spacious = own >= SPACIOUS_LINES;
  // The title is never cut: it wraps (two lines at most), the time goes at the end if it fits.
  const titleLines = clampLines(wrapWords(heading.title, width), 2, width);
  const fixed = titleLines.length + (spacious ? 2 : 0) + (problemLine ? 1 : 0) + statusLines.length;
  const room = Math.max(0, own - fixed);
  const top = Math.min(scroll, Math.max(0, text.length - room));
  const shown = text.slice(top, top + room);
  const more = top + room < text.length;
  const right = top > 0 ? "↑ k/↑" : heading.when;
  const last = titleLines[titleLines.length - 1]!;
  const lastWithRight = cellWidth(last) + 2 + cellWidth(right) <= width ? spread(last, right, width) : last;
  const moreHint = more ? "↓ j/↓ more" : "";
  // Spare lines below the text list the beats before this one (instructors
  // on a projector like to see the path so far); the newest are kept.
  const spare = room - shown.length;
  const past = entries.slice(0, Math.max(0, index)).map((e) => fitLine(`✓ ${entryHeading(lesson, e).title}`, width));
  const history = spacious && spare >= 4 && past.length > 0
    ? ["", "So far:", ...(past.length > spare - 2 ? past.slice(-(spare - 2)) : past)]
    : [];
  return (
    <>
      {children}
      {titleLines.map((line, i) => (
        <Text key={`t${i}`} wrap="truncate">
          <Text bold color={theme.accent}>{line}</Text>
          <Text color={theme.muted}>{i === titleLines.length - 1 ? lastWithRight.slice(line.length) : ""}</Text>
        </Text>
      ))}
      {spacious ? <BlankLine /> : null}
      {shown.map((line, i) => <Text key={i} wrap="truncate">{line || " "}</Text>)}
      {history.map((line, i) => <Text key={`h${i}`} wrap="truncate" color={theme.muted}>{line || " "}</Text>)}
      {Array.from({ length: spare - history.length }, (_, i) => <BlankLine key={`pad${i}`} />)}
      {spacious ? <Text color={theme.muted}>{moreHint || " "}</Text> : null}
      {problemLine ? <Text wrap="truncate" color={theme.warn}>{problemLine}</Text> : null}
      {statusLines.map((line, i) => (
        <Text key={`s${i}`} wrap="truncate" color={status.waiting ? theme.muted : theme.accent}>
          {status.waiting && i === 0
            ? (
              <>
                <ClockSpinner now={now} />
                {" "}
              </>
            )
            : "  "}
          {i === 0 && !spacious && moreHint ? spread(line, moreHint, width - 2) : line}
        </Text>
      ))}
    </>
  );
}

/** How far the narration can scroll (for the key handler). */
export function narrationTextLength(
  lesson: Lesson,
  entry: NarrationEntry | undefined,
  probeNotes: readonly string[],
  width: number,
  answers?: ReadonlyMap<number, AnswerVerdict | null>,
): number {
  return entryLines(lesson, entry, probeNotes, width, answers).length;
}
