// The narration at the end of a lesson: how it ended, what this run measured
// (the lesson's recap, each line from a fact of the run), and where to go
// next.
import { Text } from "ink";
import { formatMs } from "../report/format.ts";
import type { SessionState } from "../session/session.ts";
import { fitLine, wrapWords } from "./text.ts";
import { useTheme } from "./theme.ts";

export interface EndSummaryProps {
  readonly session: SessionState;
  /** The next lesson in the menu's order, if any. */
  readonly next: string | null;
  /** A replay: the end of the recording, not of a run on this machine. */
  readonly replay?: boolean;
  /** The key that goes back a beat, as the footer says it: b in the player, PgUp in presenter mode (b blanks there). */
  readonly back?: string;
  /** The exercises that go with this lesson: the other next step. */
  readonly exercises?: readonly { readonly id: string; readonly title: string; readonly passed: boolean }[];
  readonly width: number;
  readonly height: number;
}

export function endSummaryLines(
  session: SessionState,
  next: string | null,
  width: number,
  replay = false,
  back = "b",
  exercises: EndSummaryProps["exercises"] = [],
): string[] {
  const ended = session.ended;
  const how = replay
    ? ended
      ? `Replay over: the recorded run ended after ${formatMs(ended.t)}: ${ended.reason}.`
      : "Replay over: the recording stops here, before the run's end."
    : ended
    ? `Lesson over after ${formatMs(ended.t)}: ${ended.reason}.`
    : "Lesson over.";
  const recap = session.recap.filter((l): l is string => l !== null);
  const lines = [
    ...wrapWords(how, width),
    "",
    ...(recap.length > 0 ? ["What this run measured:", ...recap.flatMap((l) => wrapWords(`- ${l}`, width))] : []),
    "",
    ...wrapWords(`t: the run over time (the timeline). ${back}: back through the beats, each as it was.`, width),
    // The next step: the exercise that goes with this lesson (done in a shell, checked by the kernel), or the next lesson.
    ...exercises.flatMap((e) =>
      wrapWords(
        e.passed
          ? `Exercise ✓ passed: ${e.title}.`
          : `Exercise: ${e.title}. In a shell: socket-lessons exercise ${e.id}`,
        width,
      )
    ),
    ...wrapWords(next ? `n: the next lesson, ${next}.` : "This was the last lesson. q: the menu.", width),
  ];
  return lines;
}

export function EndSummary({ session, next, replay, back, exercises, width, height }: EndSummaryProps) {
  const theme = useTheme();
  const lines = endSummaryLines(session, next, width, replay, back, exercises).slice(0, height);
  return (
    <>
      {lines.map((line, i) => (
        <Text key={i} color={i === 0 ? theme.accent : undefined} bold={i === 0}>{fitLine(line, width) || " "}</Text>
      ))}
    </>
  );
}
