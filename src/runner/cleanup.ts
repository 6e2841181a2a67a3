// The one owner of "nothing left behind": every way out of the app runs
// these, once. Each cleanup must be safe to run twice and must not throw.
import { readParentPid } from "../probe/linux.ts";

type Cleanup = () => void | Promise<void>;

const cleanups = new Set<Cleanup>();
let running: Promise<void> | null = null;

export function onCleanup(fn: Cleanup): () => void {
  cleanups.add(fn);
  return () => cleanups.delete(fn);
}

export function runCleanups(): Promise<void> {
  running ??= (async () => {
    const all = [...cleanups].reverse();
    cleanups.clear();
    await Promise.allSettled(all.map(async (fn) => await fn()));
  })().finally(() => {
    running = null;
  });
  return running;
}

/** How often the app checks that whoever started it is still there. */
export const ORPHAN_CHECK_MS = 250;

/** The parent of `pid` per the probe's reading of /proc (Linux), or null where that cannot be read. */
const parentOf = (pid: number): number | null => readParentPid(pid);

/**
 * True while the app's parent, and its parent's parent where /proc shows it,
 * are the ones it started with. Two levels, because `npx` runs the app under
 * `sh -c`: killing npx leaves the shell waiting and the app's own parent
 * unchanged, and npm passes no signal on.
 */
function launcherWatch(): () => boolean {
  const parent = process.ppid;
  const grandparent = parentOf(parent);
  return () => process.ppid === parent && (grandparent === null || parentOf(parent) === grandparent);
}

/** `before` (the TUI's terminal restore) must not keep the cleanups from running. */
function runBefore(before: (() => void) | undefined): void {
  try {
    before?.();
  } catch {
    // the terminal may be gone; the programs must still be stopped
  }
}

/**
 * Signals that end the app: stop the programs, then exit with the shell's
 * 128+n convention. Also ends the app when whoever launched it is gone: a
 * lesson nobody can see should not go on.
 */
export function exitOnSignals(before?: () => void): void {
  const codes: Record<string, number> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };
  let leaving = false;
  const leave = (code: number) => {
    if (leaving) return; // a second signal while stopping: the first one finishes the job
    leaving = true;
    runBefore(before);
    void runCleanups().finally(() => process.exit(code));
  };
  // process.on, not once: Ink's signal-exit re-raises a signal it finds no
  // other listener for, which would kill the app before the programs stop.
  for (const [signal, code] of Object.entries(codes)) process.on(signal as NodeJS.Signals, () => leave(code));
  const launcherAlive = launcherWatch();
  const watch = setInterval(() => {
    if (!launcherAlive()) {
      clearInterval(watch);
      leave(codes.SIGHUP!);
    }
  }, ORPHAN_CHECK_MS);
  watch.unref();
}

/**
 * A bug that throws outside any try (in a stream callback, a timer) must not
 * leave the terminal raw or a program running: `before` (the TUI restores
 * the terminal), the cleanups, then the bug's own report from fatal.ts and
 * exit 1. process.on with a guard: the same bug often throws again while
 * the first report is on its way, and Node's default would then cut it short.
 */
export function exitOnCrash(before?: () => void): void {
  let crashing = false;
  const crash = (error: unknown) => {
    if (crashing) return;
    crashing = true;
    runBefore(before);
    void import("../commands/fatal.ts").then(({ reportFatal }) => reportFatal(error)).then(
      (code) => process.exit(code),
      () => process.exit(1),
    );
  };
  process.on("uncaughtException", crash);
  process.on("unhandledRejection", crash);
}
