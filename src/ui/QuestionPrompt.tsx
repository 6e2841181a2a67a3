// Predict, then observe: a beat's question, asked in the narration pane
// before the beat is told: its choices to pick by number, or a number to
// type. The beat (and what the run measured) comes after the answer.
import { Text } from "ink";
import type { QuestionView } from "../session/beats.ts";
import { BlankLine } from "./BlankLine.tsx";
import { fitLine, wrapWords } from "./text.ts";
import { useTheme } from "./theme.ts";

export interface QuestionPromptProps {
  /** The beat's number (from 1) and how many the lesson has. */
  readonly beat: number;
  readonly beats: number;
  readonly question: QuestionView;
  /** What the learner has typed so far (a number question). */
  readonly typed: string;
  readonly width: number;
  readonly height: number;
}

/** The prompt's lines: heading, question, choices, and what to type. */
export function questionLines(props: QuestionPromptProps): { heading: string; body: string[]; prompt: string } {
  const { question: q, typed, width } = props;
  const body = wrapWords(q.question, width);
  if (q.choices !== null) {
    body.push("");
    q.choices.forEach((c, i) => body.push(...wrapWords(`${i + 1}. ${c.text}`, width)));
  }
  const prompt = q.choices !== null
    ? `Your answer: 1-${q.choices.length} · Esc skips`
    : `Your guess: ${typed}▏ · Enter answers · Esc skips`;
  return { heading: `Before beat ${props.beat}/${props.beats}: predict`, body, prompt };
}

export function QuestionPrompt(props: QuestionPromptProps) {
  const theme = useTheme();
  const { heading, body, prompt } = questionLines(props);
  const room = Math.max(0, props.height - 3);
  const shown = body.slice(0, room);
  return (
    <>
      <Text bold color={theme.accent} wrap="truncate">{fitLine(heading, props.width)}</Text>
      <BlankLine />
      {shown.map((line, i) => <Text key={i} wrap="truncate">{line || " "}</Text>)}
      {Array.from({ length: Math.max(0, room - shown.length) }, (_, i) => <BlankLine key={`pad${i}`} />)}
      <Text color={theme.accent} wrap="truncate">{fitLine(prompt, props.width)}</Text>
    </>
  );
}
