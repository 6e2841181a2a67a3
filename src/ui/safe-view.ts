// Where lesson text, program output and messages quoting them enter the TUI:
// the menu's lessons (App) and each snapshot of a running lesson
// (LessonScreen) pass through here, so no component ever holds raw text from
// outside the app. Copies, for the view only: the engine keeps running the
// raw lesson (its program paths must stay as they are on disk). Memoised by
// object: the store hands out a new snapshot at most 10 times a second, and
// only what changed in it (a lane's output, a new beat) is sanitised again.
import type { BeatView, Lane, SessionState } from "../session/session.ts";
import type { QuestionView } from "../session/beats.ts";
import type { Beat, Lesson } from "../lessons/schema.ts";
import type { TemplatePart } from "../lessons/template.ts";
import { safeLine, safeText } from "../text/sanitize.ts";
import type { LiveSnapshot } from "./live-run.ts";

const lessons = new WeakMap<Lesson, Lesson>();
const lanes = new WeakMap<Lane, Lane>();
const beats = new WeakMap<BeatView, BeatView>();
const snapshots = new WeakMap<LiveSnapshot, LiveSnapshot>();

/**
 * A lesson's text (title, summary, port note, beats, program file names) fit
 * to show. The id stays as it is: the TUI never shows it, it keys progress.
 */
export function safeLesson(lesson: Lesson): Lesson {
  return memo(lessons, lesson, () => ({
    ...lesson,
    title: safeLine(lesson.title),
    summary: safeLine(lesson.summary),
    part: lesson.part === null ? null : safeLine(lesson.part),
    portNote: lesson.portNote === null ? null : safeText(lesson.portNote),
    programs: lesson.programs.map((p) => ({ ...p, file: safeLine(p.file) })),
    beats: lesson.beats.map(safeBeat),
    exercises: lesson.exercises.map((e) => ({
      ...e,
      title: safeLine(e.title),
      task: safeText(e.task),
      hints: e.hints.map(safeText),
    })),
    knobs: lesson.knobs.map((k) => ({ ...k, title: safeLine(k.title) })),
  }));
}

/** A running lesson's snapshot, every text in it fit to show. */
export function safeSnapshot(live: LiveSnapshot): LiveSnapshot {
  return memo(snapshots, live, () => ({
    ...live,
    session: safeSession(live.session),
    problems: live.problems.map(safeLine),
    // A replay's label quotes its recording's header: text from a file.
    replay: live.replay && {
      label: {
        machine: safeLine(live.replay.label.machine),
        date: safeLine(live.replay.label.date),
        short: safeLine(live.replay.label.short),
        long: safeLine(live.replay.label.long),
      },
      notes: live.replay.notes.map(safeLine),
    },
    error: live.error && {
      message: safeText(live.error.message),
      hint: live.error.hint === null ? null : safeText(live.error.hint),
    },
  }));
}

function safeSession(session: SessionState): SessionState {
  return {
    ...session,
    lesson: safeLesson(session.lesson),
    lanes: session.lanes.map(safeLane),
    beats: session.beats.map(safeBeatView),
    slots: session.slots.map((b) => (b === null ? null : safeBeatView(b))),
    ended: session.ended && { ...session.ended, reason: safeLine(session.ended.reason) },
  };
}

export function safeLane(lane: Lane): Lane {
  return memo(lanes, lane, () => ({
    ...lane,
    file: safeLine(lane.file),
    stdout: { ...lane.stdout, tail: lane.stdout.tail.map(safeLine) },
    stderr: { ...lane.stderr, tail: lane.stderr.tail.map(safeLine) },
  }));
}

function safeBeatView(beat: BeatView): BeatView {
  return memo(beats, beat, () => ({
    ...beat,
    title: beat.title === null ? null : safeLine(beat.title),
    text: safeText(beat.text),
    ...(beat.question === undefined ? {} : { question: safeQuestion(beat.question) }),
  }));
}

function safeQuestion(q: QuestionView): QuestionView {
  return {
    ...q,
    question: safeLine(q.question),
    choices: q.choices?.map((c) => ({ ...c, text: safeLine(c.text) })) ?? null,
    answer: safeLine(q.answer),
  };
}

function safeBeat(beat: Beat): Beat {
  return {
    ...beat,
    ...(beat.title === undefined ? {} : { title: safeLine(beat.title) }),
    template: beat.template.map(safePart),
    ...(beat.instead === undefined ? {} : {
      instead: {
        ...beat.instead,
        ...(beat.instead.title === undefined ? {} : { title: safeLine(beat.instead.title) }),
        template: beat.instead.template.map(safePart),
      },
    }),
  };
}

function safePart(part: TemplatePart): TemplatePart {
  if (part.kind === "if") return { ...part, then: part.then.map(safePart), otherwise: part.otherwise.map(safePart) };
  return part.kind === "text" ? { ...part, text: safeText(part.text) } : part;
}

function memo<K extends object, V>(cache: WeakMap<K, V>, key: K, make: () => V): V {
  let value = cache.get(key);
  if (value === undefined) cache.set(key, value = make());
  return value;
}
