// The TUI's entry (loaded on demand: commands without a UI never load Ink).
// It owns the terminal: enters the alternate screen, renders the app, and
// on every way out - q, Ctrl-C (a key in raw mode), SIGTERM/SIGHUP, an
// error - puts the terminal back and lets the cleanups stop every program.
import { restoreFetch } from "./wasm-without-fetch.ts"; // first: before Ink loads
import { render } from "ink";
import type { CliValues } from "../cli.ts";
import { findLesson, lessonSet, lessonWithSettings } from "../commands/lessons.ts";
import { holdModeFor } from "../engine/holds.ts";
import { formatLessonError } from "../lessons/lesson-error.ts";
import { exitOnCrash, exitOnSignals, runCleanups } from "../runner/cleanup.ts";
import { checkHandoutWritable, markdownPath, prepareOutputs, type RunOutputs } from "../commands/run-outputs.ts";
import { safeText } from "../text/sanitize.ts";
import { checkWritable } from "../commands/output-files.ts";
import { loadReplay } from "../commands/replay.ts";
import type { Lesson } from "../lessons/schema.ts";
import { hostPlatform } from "../platform.ts";
import { createProbe } from "../probe/index.ts";
import { shippedRecording } from "../recording/shipped.ts";
import { App, type RecordedRuns, type Replayable } from "./App.tsx";
import { makePreparer } from "./live-run.ts";
import { Progress } from "./progress.ts";
import { loadSources } from "./sources.ts";
import { CLEAR_SCREEN, enterFullscreen } from "./terminal.ts";
import { colorEnabled, createTheme, ThemeContext } from "./theme.ts";

restoreFetch();

/** After the first frame is on screen. */
const WARM_UP_DELAY_MS = 30;

/**
 * Ink's last guard against too many frames; the store's 100 ms batching comes
 * first, so live updates draw at most 10 times a second. Not 30: Ink's
 * throttle restarts its wait on every call, so at 30 a key pressed just
 * after a store-driven frame waited 33-66 ms for its own frame (p95 over
 * 100 ms during the blocking-send flood); at 60 the p95 is about 65 ms.
 */
export const MAX_FPS = 60;

/**
 * The shipped lessons' recorded Linux runs, offered where this machine cannot
 * show the kernel's side: not Linux (macOS, Windows; hostPlatform() lets a
 * test be either), or a Linux whose /proc the probe cannot read, or the probe
 * turned off. null: no offer (the lessons run here with the kernel's view).
 */
export function recordedRunsOffer(
  values: CliValues,
  lessons: readonly Lesson[],
  platform = hostPlatform(),
): RecordedRuns | null {
  if (values.lessons !== undefined) return null; // the recordings are of the shipped lessons
  const probe = createProbe(values.probe ?? "auto", { platform }).capabilities;
  if (platform === "linux" && probe.proc && probe.syscall && probe.off === null) return null;
  const ids = new Set(lessons.map((l) => l.id).filter((lessonId) => shippedRecording(lessonId) !== null));
  if (ids.size === 0) return null;
  return { ids, open: (lessonId) => loadReplay(shippedRecording(lessonId)!) };
}

/** Checks --record and --markdown before the TUI takes the screen (the handout's name is the lesson's). */
function checkOutputs(values: CliValues, lessons: readonly Lesson[], id: string | null): void {
  if (values.record !== undefined) checkWritable("--record", values.record);
  const handout = markdownPath(values, id ?? lessons[0]?.id ?? "lesson");
  if (handout !== null) checkHandoutWritable(handout);
}

export async function startTui(
  id: string | null,
  values: CliValues,
  replay: Replayable | null = null,
): Promise<number> {
  const set = await lessonSet(replay === null ? values.lessons : undefined);
  // An unknown lesson is the user's mistake: said on the normal screen, before the TUI takes over.
  const initial = id === null ? null : lessonWithSettings(findLesson(set, id), values.set);
  if (replay === null) checkOutputs(values, set.lessons, id);
  const outputs = values.record !== undefined || values.markdown !== undefined;
  /** The files the runs wrote: said again on the terminal once the TUI has given it back. */
  const said: string[] = [];
  const progress = loadProgress();
  const theme = createTheme(colorEnabled(process.env, values["no-color"] === true));
  const stdout = process.stdout;
  const stdin = process.stdin;

  const screen = enterFullscreen(stdout, stdin);
  let unmount: (() => void) | null = null;
  // Ink's last frame goes to the alternate screen, then the terminal is put
  // back. Never throws: it runs on the way out of every exit path, whose
  // cleanups must still follow (an app orphaned in the background can't
  // switch raw mode off: the kernel says EIO, and Node emits it on stdin).
  const restore = () => {
    const inkUnmount = unmount;
    unmount = null;
    try {
      inkUnmount?.();
    } catch {
      // Ink could not put its own state back; ours follows regardless
    }
    screen.restore();
  };
  exitOnSignals(restore);
  exitOnCrash(restore);
  // Registered before Ink's own listener, so Ink redraws onto a clean screen.
  const onResize = () => stdout.write(CLEAR_SCREEN);
  stdout.on("resize", onResize);

  const preparer = makePreparer(values);
  let finish!: (code: number) => void;
  const exited = new Promise<number>((resolve) => (finish = resolve));
  const instance = render(
    <ThemeContext.Provider value={theme}>
      <App
        lessons={set.lessons}
        lessonWarnings={set.errors.map(formatLessonError)}
        progress={progress}
        initial={initial}
        auto={values.auto === true}
        present={values.present === true}
        holds={holdModeFor(values.hold, values.auto !== true)}
        preparer={preparer}
        loadSources={loadSources}
        onExit={(code) => finish(code)}
        outputsFor={outputs ? (lesson, holds) => toldAfterwards(prepareOutputs(lesson, values, holds), said) : null}
        initialReplay={replay}
        replayPace={values.instant ? "instant" : "real-time"}
        recordedRuns={replay === null ? recordedRunsOffer(values, set.lessons) : null}
      />
    </ThemeContext.Provider>,
    { exitOnCtrlC: false, maxFps: MAX_FPS, patchConsole: false },
  );
  unmount = () => instance.unmount();
  if (initial === null && replay === null) {
    // Find Python while the learner reads the menu (a few hundred ms behind
    // a pyenv shim, once), not when they press Enter. Errors are shown when a
    // lesson opens and asks again.
    setTimeout(() => void preparer().catch(() => {}), WARM_UP_DELAY_MS);
  }
  try {
    return await Promise.race([exited, instance.waitUntilExit().then(() => 0)]);
  } finally {
    stdout.off("resize", onResize);
    restore();
    for (const line of said) process.stderr.write(`socket-lessons: ${safeText(line)}\n`);
    await runCleanups();
    // Ink leaves stdin referenced; the app is done with it.
    stdin.pause();
    stdin.unref?.();
  }
}

/** `outputs`, keeping what it says it wrote in `said`. */
function toldAfterwards(outputs: RunOutputs, said: string[]): RunOutputs {
  return {
    record: outputs.record,
    ended: (session) => {
      const lines = outputs.ended(session);
      said.push(...lines);
      return lines;
    },
  };
}

function loadProgress(): Progress {
  try {
    return Progress.load();
  } catch {
    // No config dir at all (no HOME): progress for this session only.
    return Progress.inMemory();
  }
}
