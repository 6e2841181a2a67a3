// The app: the menu or a lesson, the help overlay over either, and the
// terminal's size. One input handler for the whole app: Ink re-subscribes a
// useInput handler only after React's effects run, so keys that arrive
// together ("?x", a paste) would reach stale handlers; this one reads the
// app's state from a ref that is updated the moment the state changes.
// Keys typed in one read ("bb", two spaces) are taken one by one, in order
// (keys.ts splitKeys), each on the screen the key before it left.
// Ctrl-C is a key here (raw mode): it ends the app through the same path as
// every other way out.
import { Box, type Key, Text, useInput, useStdout } from "ink";
import { useEffect, useRef, useState } from "react";
import type { RunOutputs } from "../commands/run-outputs.ts";
import type { HoldMode } from "../engine/holds.ts";
import type { ReplayPace } from "../engine/replay.ts";
import type { Recording } from "../recording/format.ts";
import type { Lesson } from "../lessons/schema.ts";
import { Footer } from "./Footer.tsx";
import { knobFormKey, type KnobFormState, openKnobForm } from "./knob-form.ts";
import { KnobForm } from "./KnobForm.tsx";
import { withSettings } from "../lessons/knobs.ts";
import { HelpOverlay, helpScrollMax } from "./HelpOverlay.tsx";
import { actionFor, isInterrupt, type PlayerInput, type PlayerKeys, splitKeys } from "./keys.ts";
import { frameRows, tooSmall } from "./layout.ts";
import { LessonScreen } from "./LessonScreen.tsx";
import { LiveLesson, type Preparer } from "./live-run.ts";
import { Menu } from "./Menu.tsx";
import { menuOrder } from "./menu-groups.ts";
import { ReplayLesson } from "./replay-run.ts";
import type { RunSource } from "./run-source.ts";
import type { Progress } from "./progress.ts";
import { safeLesson } from "./safe-view.ts";
import { recordedSources, type Sources } from "./sources.ts";
import { safeText } from "../text/sanitize.ts";
import { fitLine } from "./text.ts";
import { useTheme } from "./theme.ts";
import { TooSmall } from "./TooSmall.tsx";

export interface AppProps {
  readonly lessons: readonly Lesson[];
  /** Broken lesson files, as lines. */
  readonly lessonWarnings: readonly string[];
  readonly progress: Progress;
  /** `socket-lessons <id>`: open this lesson at once. */
  readonly initial: Lesson | null;
  readonly auto: boolean;
  /** Presenter mode (--present): lessons open in it, with a clicker's keys. */
  readonly present?: boolean;
  /** Whether the programs wait at the lessons' holds (step mode: until the learner moves on). */
  readonly holds: HoldMode;
  readonly preparer: Preparer;
  readonly loadSources: (lesson: Lesson) => Sources;
  /** The app is done: quit with this exit code. */
  readonly onExit: (code: number) => void;
  /** Each live run's --record and --markdown files, when asked for. */
  readonly outputsFor?: ((lesson: Lesson, holds: HoldMode) => RunOutputs) | null;
  /** `socket-lessons replay FILE`: play this recording at once (the app is then this replay). */
  readonly initialReplay?: Replayable | null;
  /** In real time (default) or at once (--instant). */
  readonly replayPace?: ReplayPace;
  /**
   * Where the kernel cannot be observed here: the lessons with a recorded
   * Linux run the menu offers (w), and how to read one. null: no offer.
   */
  readonly recordedRuns?: RecordedRuns | null;
}

/** A recording and the lesson it holds, ready to play. */
export interface Replayable {
  readonly recording: Recording;
  readonly lesson: Lesson;
}

export interface RecordedRuns {
  /** Ids of the lessons with a shipped recording. */
  readonly ids: ReadonlySet<string>;
  /** Reads one; a problem with the file is said in the menu. */
  readonly open: (id: string) => Replayable;
}

type Screen =
  | { readonly kind: "menu" }
  | {
    readonly kind: "lesson";
    readonly lesson: Lesson;
    readonly live: RunSource;
    readonly sources: Sources;
    readonly serial: number;
    /** A recorded run, not this machine's: what every screen says. */
    readonly replay: string | null;
  };

interface AppState {
  readonly screen: Screen;
  readonly selected: number;
  readonly help: boolean;
  /** Presenter mode's blanked screen (b or .): any key shows the lesson again. */
  readonly blank: boolean;
  /** Lines the help is scrolled down. */
  readonly helpScroll: number;
  readonly quitting: boolean;
  /** The knob form (s in the player), open over the lesson; null: closed. */
  readonly knobs: KnobFormState | null;
}

let openings = 0;

/** Exit code for Ctrl-C, as a shell reports an interrupted program. */
export const INTERRUPTED_EXIT_CODE = 130;

function useTerminalSize(): { cols: number; rows: number } {
  const { stdout } = useStdout();
  const read = () => ({ cols: stdout.columns || 80, rows: stdout.rows || 24 });
  const [size, setSize] = useState(read);
  useEffect(() => {
    const onResize = () => setSize(read());
    stdout.on("resize", onResize);
    return () => void stdout.off("resize", onResize);
  }, [stdout]);
  return size;
}

/** Whose keys the help explains: the screen under it. */
function helpFor(s: AppState, present: boolean): "menu" | "player" | "presenter" {
  return s.screen.kind === "menu" ? "menu" : present ? "presenter" : "player";
}

/** The help's lines: the frame but its title and footer. */
function helpHeight(rows: number): number {
  return frameRows(rows) - 2;
}

export function App(props: AppProps) {
  const { progress, auto } = props;
  // The menu's order: grouped by part. j/k, the numbers and Enter all follow it.
  const [lessons] = useState(() => menuOrder(props.lessons));
  const theme = useTheme();
  const { cols, rows } = useTerminalSize();
  const [menuWarning, setMenuWarning] = useState<string | null>(null);
  const [state, setState] = useState<AppState>(() => ({
    screen: props.initialReplay
      ? openReplay(props.initialReplay)
      : props.initial
      ? open(props.initial)
      : { kind: "menu" },
    selected: Math.max(0, lessons.findIndex((l) => l.id === (props.initial?.id ?? progress.last()))),
    help: false,
    blank: false,
    helpScroll: 0,
    quitting: false,
    knobs: null,
  }));
  const present = props.present === true;
  const current = useRef(state);
  // The size the help was last drawn at: how far it can scroll.
  const size = useRef({ cols, rows });
  size.current = { cols, rows };
  const playerInput = useRef<PlayerInput | null>(null);
  const playerKeys = useRef<PlayerKeys | null>(null);
  const [, setProgressVersion] = useState(0);

  const update = (change: (s: AppState) => AppState) => {
    current.current = change(current.current);
    setState(current.current);
  };

  function open(lesson: Lesson): Screen {
    const outputsFor = props.outputsFor;
    const live = new LiveLesson(
      lesson,
      props.preparer,
      props.holds,
      outputsFor ? (holds, running) => outputsFor(running, holds) : null,
    );
    void live.start();
    progress.setLast(lesson.id);
    return { kind: "lesson", lesson, live, sources: props.loadSources(lesson), serial: ++openings, replay: null };
  }

  /** A recorded run in the player: the lesson and the code as the recording holds them. */
  function openReplay({ recording, lesson }: Replayable): Screen {
    const live = new ReplayLesson(recording, lesson, props.replayPace ?? "real-time");
    void live.start();
    const sources = recordedSources(lesson, (file) => recording.header.files?.programs[baseName(file)] ?? "");
    return { kind: "lesson", lesson, live, sources, serial: ++openings, replay: live.label.short };
  }

  /** w in the menu: the selected lesson's recorded Linux run, where one is offered. */
  function watch(lesson: Lesson | undefined) {
    const runs = props.recordedRuns;
    if (!lesson || !runs?.ids.has(lesson.id)) return;
    try {
      const screen = openReplay(runs.open(lesson.id));
      update((x) => ({ ...x, screen }));
    } catch (error) {
      setMenuWarning(String((error as Error)?.message ?? error));
    }
  }

  /** h in the menu: the next hint of the selected lesson's first exercise not passed (shared with check --hint). */
  function revealHint(lesson: Lesson | undefined) {
    const exercise = lesson?.exercises.find((e) =>
      progress.exercise(e.id).passed === null && progress.exercise(e.id).hints < e.hints.length
    );
    if (!exercise) return;
    progress.revealHint(exercise.id, exercise.hints.length);
    setProgressVersion((v) => v + 1);
  }

  function quit(code: number) {
    const s = current.current;
    if (s.quitting) return;
    update((x) => ({ ...x, quitting: true }));
    if (s.screen.kind === "lesson") void s.screen.live.dispose("the app is quitting");
    props.onExit(code);
  }

  /** The lesson after `lesson` in the menu's order. */
  function nextLesson(lesson: Lesson): Lesson | null {
    const at = lessons.findIndex((l) => l.id === lesson.id);
    return at >= 0 ? (lessons[at + 1] ?? null) : null;
  }

  function openNext(lesson: Lesson) {
    if (current.current.screen.kind === "lesson" && current.current.screen.replay !== null) return;
    const next = nextLesson(lesson);
    if (next === null) return;
    backToMenu();
    update((x) => ({ ...x, screen: open(next), selected: lessons.indexOf(next) }));
  }

  function backToMenu() {
    const s = current.current;
    if (s.screen.kind !== "lesson") return;
    void s.screen.live.dispose("back to the menu");
    playerInput.current = null;
    playerKeys.current = null;
    // By id: a lesson run with knobs set is a copy of the menu's (withSettings).
    const id = s.screen.lesson.id;
    const selected = Math.max(0, lessons.findIndex((l) => l.id === id));
    update((x) => ({ ...x, screen: { kind: "menu" }, selected, blank: false, knobs: null }));
  }

  /** A key while the knob form is open: the form's (knob-form.ts); Enter applies and runs the lesson again. */
  function knobKey(form: KnobFormState, input: string, key: Key) {
    const s = current.current;
    if (s.screen.kind !== "lesson") return update((x) => ({ ...x, knobs: null }));
    const result = knobFormKey(form, input, key);
    if (result.kind === "edit") return update((x) => ({ ...x, knobs: result.form }));
    if (result.kind === "cancel") return update((x) => ({ ...x, knobs: null }));
    const lesson = withSettings(s.screen.lesson, result.settings);
    void s.screen.live.restartWith(result.settings);
    update((x) => (x.screen.kind === "lesson" ? { ...x, knobs: null, screen: { ...x.screen, lesson } } : x));
  }

  function onKey(input: string, key: Key) {
    const s = current.current;
    if (s.quitting) return;
    if (s.knobs !== null && !s.help && actionFor("knobs", input, key) !== "interrupt") {
      return knobKey(s.knobs, input, key);
    }
    const where = s.help
      ? "help"
      : s.screen.kind === "menu"
      ? "menu"
      : s.blank
      ? "blank"
      : present
      ? "presenter"
      : "player";
    // A question asked in the player reads its answer's keys first.
    if (where === "player" && playerKeys.current?.(input, key)) return;
    const action = actionFor(where, input, key);
    if (action === null) return;
    if (action === "interrupt") return quit(INTERRUPTED_EXIT_CODE);
    if (action === "blank") return update((x) => ({ ...x, blank: true }));
    if (action === "restore") return update((x) => ({ ...x, blank: false }));
    if (action === "close") return update((x) => ({ ...x, help: false }));
    if (action === "help") return update((x) => ({ ...x, help: true, helpScroll: 0 }));
    if (where === "help") {
      const max = helpScrollMax(helpFor(s, present), props.auto, size.current.cols, helpHeight(size.current.rows));
      const by = action === "scrollDown" ? 1 : action === "scrollUp" ? -1 : 0;
      return update((x) => ({ ...x, helpScroll: Math.max(0, Math.min(max, x.helpScroll + by)) }));
    }
    if (where === "player" || where === "presenter") {
      if (action === "menu") return backToMenu();
      if (action === "knobs") {
        if (s.screen.kind !== "lesson" || !s.screen.live.canChangeKnobs()) return;
        const form = openKnobForm(s.screen.lesson.knobs, s.screen.lesson.settings);
        return update((x) => ({ ...x, knobs: form }));
      }
      return playerInput.current?.(action);
    }
    switch (action) {
      case "up":
        return update((x) => ({ ...x, selected: Math.max(0, x.selected - 1) }));
      case "down":
        return update((x) => ({ ...x, selected: Math.min(lessons.length - 1, x.selected + 1) }));
      case "open": {
        const lesson = lessons[s.selected];
        if (lesson) update((x) => ({ ...x, screen: open(lesson) }));
        return;
      }
      case "quit":
        return quit(0);
      case "watch":
        return watch(lessons[s.selected]);
      case "hint":
        return revealHint(lessons[s.selected]);
    }
  }

  useInput((input, key) => {
    const keys = splitKeys(input, key);
    // Ctrl-C anywhere in a read quits before the keys typed with it: they
    // could only start what the quit must stop.
    if (keys.some(isInterrupt)) return quit(INTERRUPTED_EXIT_CODE);
    for (const k of keys) onKey(k.input, k.key);
  });

  const { screen, selected, help, blank } = state;
  const height = frameRows(rows);
  const small = tooSmall(cols, rows) ? <TooSmall key="small" cols={cols} rows={rows} height={height} /> : null;
  const helpScreen = help
    ? (
      <Box key="help" display="flex" flexDirection="column" width={cols} height={height} overflow="hidden">
        <Text bold color={theme.accent}>
          {fitLine(
            screen.kind === "lesson" && screen.replay !== null
              ? `socket-lessons · help · ${safeText(screen.replay)}`
              : "socket-lessons · help",
            cols,
          )}
        </Text>
        <HelpOverlay
          screen={helpFor(state, present)}
          auto={auto}
          width={cols}
          height={helpHeight(rows)}
          scroll={state.helpScroll}
        />
        <Footer screen="help" width={cols} />
      </Box>
    )
    : null;
  // Blanked: nothing at all on the screen, as a projector's blank button gives.
  const blankScreen = blank && screen.kind === "lesson"
    ? <Box key="blank" display="flex" width={cols} height={height} />
    : null;
  const knobScreen = state.knobs !== null && screen.kind === "lesson"
    ? (
      <Box key="knobs" display="flex" flexDirection="column" width={cols} height={height} overflow="hidden">
        {/* The knobs' titles are lesson text: sanitised with the lesson (safe-view.ts). */}
        <KnobForm
          form={{ ...state.knobs, knobs: safeLesson(screen.lesson).knobs }}
          title={safeLesson(screen.lesson).title}
          width={cols}
          height={height - 1}
        />
        <Footer screen="knobs" width={cols} />
      </Box>
    )
    : null;
  const overlay = small ?? helpScreen ?? knobScreen ?? blankScreen;

  if (screen.kind === "lesson") {
    // The player stays mounted under an overlay, so the narration keeps its place.
    return (
      <>
        {overlay}
        {/* Keyed, display always set: Ink 6.8 turns an unset display into "none" when it reuses a Box. */}
        <Box key="player" display={overlay ? "none" : "flex"}>
          <LessonScreen
            key={screen.serial}
            lesson={screen.live}
            sources={screen.sources}
            auto={auto}
            present={present}
            cols={cols}
            rows={rows}
            inputRef={playerInput}
            keysRef={playerKeys}
            next={screen.replay === null ? (nextLesson(screen.lesson)?.title ?? null) : null}
            onNextLesson={() => openNext(screen.lesson)}
            exercises={screen.replay === null
              ? screen.lesson.exercises.map((e) => ({
                id: e.id,
                title: safeText(e.title),
                passed: progress.exercise(e.id).passed !== null,
              }))
              : []}
            onAnswered={(beat, answer, verdict) => {
              if (screen.replay !== null) return; // a replay's answers are not the learner's progress
              progress.setAnswer(screen.lesson.id, beat.index, {
                answer,
                right: verdict.right,
                measured: beat.question?.answer ?? "",
                at: new Date().toISOString(),
              });
            }}
            onFinished={() => {
              if (screen.replay !== null) return; // watching a recording is not doing the lesson
              progress.markDone(screen.lesson.id);
              setProgressVersion((v) => v + 1);
            }}
          />
        </Box>
      </>
    );
  }
  if (overlay) return overlay;

  const done = new Set(lessons.filter((l) => progress.isDone(l.id)).map((l) => l.id));
  return (
    <Box key="menu" display="flex" flexDirection="column" width={cols} height={height} overflow="hidden">
      {/* Lesson text and warnings quoting it enter the view here, sanitised (safe-view.ts). */}
      <Menu
        lessons={lessons.map(safeLesson)}
        done={done}
        selected={selected}
        warnings={[...props.lessonWarnings, ...progress.warnings, ...(menuWarning ? [menuWarning] : [])].map(safeText)}
        recorded={props.recordedRuns?.ids ?? null}
        passed={new Set(
          lessons.flatMap((l) => l.exercises.filter((e) => progress.exercise(e.id).passed !== null)).map((e) => e.id),
        )}
        hints={new Map(lessons.flatMap((l) => l.exercises.map((e) => [e.id, progress.exercise(e.id).hints] as const)))}
        width={cols}
        height={height - 1}
      />
      <Footer screen="menu" width={cols} />
    </Box>
  );
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}
