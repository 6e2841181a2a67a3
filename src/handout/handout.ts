// A run's handout: the Markdown and its timeline picture, from the session
// the run (or its replay) ended with and what its recording header says of
// the machine and the lesson's files. Pure: the files are written by the
// command (src/commands/run-outputs.ts).
import type { RecordingHeader } from "../recording/format.ts";
import { machineName, recordedDate } from "../recording/label.ts";
import { narrationEntries } from "../session/narration.ts";
import type { SessionState } from "../session/session.ts";
import { buildTimeline, timelineText } from "../session/timeline.ts";
import { handoutMarkdown } from "./markdown.ts";
import { timelineSvg } from "./timeline-svg.ts";

/** The text timeline's columns, as --plain prints it. */
const TEXT_COLUMNS = 72;
/** The picture's columns: about two kernel samples each, so a column rarely has none; within these bounds. */
const MIN_SVG_COLUMNS = 40;
const MAX_SVG_COLUMNS = 240;

function basename(path: string): string {
  return path.slice(Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\")) + 1);
}

export interface Handout {
  readonly markdown: string;
  readonly svg: string;
}

/** The picture's file for handout `markdownPath`: beside it, same name, .timeline.svg. */
export function svgPathFor(markdownPath: string): string {
  return `${markdownPath.replace(/\.(md|markdown)$/i, "")}.timeline.svg`;
}

export function svgColumns(session: SessionState, startMs: number, endMs: number): number {
  const perColumn = 2 * (session.sampleMs ?? 20);
  return Math.round(Math.min(MAX_SVG_COLUMNS, Math.max(MIN_SVG_COLUMNS, (endMs - startMs) / perColumn)));
}

/** `recording`: the recording's file when the handout is written from a replay; null for a live run. */
export function makeHandout(
  session: SessionState,
  header: RecordingHeader,
  svgFile: string,
  recording: string | null,
): Handout {
  const lesson = session.lesson;
  const entries = narrationEntries(session);
  const beats = entries.flatMap((e) => (e.kind === "beat" ? [e.beat] : []));
  const end = session.ended?.t ?? session.now;
  const timeline = (columns: number) => buildTimeline(session.history, lesson, beats, end, columns, session.sampleMs);
  const text = timeline(TEXT_COLUMNS);
  const picture = timeline(svgColumns(session, text.startMs, end));
  const machine = machineName(header.machine);
  const date = recordedDate(header.recordedAt);
  const probeNotes = session.probe?.notes ?? [];
  const svg = timelineSvg(picture, {
    title: `The run over time · ${lesson.title}`,
    subtitle: recording === null
      ? `A run on ${machine} at ${date}`
      : `Replay of a recording (${basename(recording)}) of a run on ${machine} at ${date}`,
  });
  const markdown = handoutMarkdown({
    lesson,
    entries,
    recap: session.recap.filter((line): line is string => line !== null),
    programs: lesson.programs.map((p) => ({
      name: p.name,
      file: basename(p.file),
      role: p.role,
      source: header.files?.programs[basename(p.file)] ?? "",
    })),
    svgFile,
    timelineText: timelineText(text),
    run: {
      machine,
      date,
      endedAfterMs: end,
      endReason: session.ended?.reason ?? "the recording stops here",
      recording: recording === null ? null : basename(recording),
      notes: [...header.notes, ...probeNotes.map((n) => n.replace(/\.$/, ""))],
    },
  });
  return { markdown, svg };
}
