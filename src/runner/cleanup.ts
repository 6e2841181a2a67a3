// The one owner of "nothing left behind": every way out of the app runs
// these, once. Each cleanup must be safe to run twice and must not throw.
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

/**
 * Signals that end the app: stop the programs, then exit with the shell's
 * 128+n convention. Also ends the app when it is orphaned: `npx` killed does
 * not pass the signal on, and a lesson nobody can see should not go on.
 */
export function exitOnSignals(before?: () => void): void {
  const codes: Record<string, number> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };
  const leave = (code: number) => {
    before?.();
    void runCleanups().finally(() => process.exit(code));
  };
  for (const [signal, code] of Object.entries(codes)) process.once(signal as NodeJS.Signals, () => leave(code));
  const parent = process.ppid;
  const watch = setInterval(() => {
    if (process.ppid !== parent) {
      clearInterval(watch);
      leave(codes.SIGHUP!);
    }
  }, ORPHAN_CHECK_MS);
  watch.unref();
}
