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

/** Signals that end the app: stop the programs, then exit with the shell's 128+n convention. */
export function exitOnSignals(before?: () => void): void {
  const codes: Record<string, number> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };
  for (const [signal, code] of Object.entries(codes)) {
    process.once(signal as NodeJS.Signals, () => {
      before?.();
      void runCleanups().finally(() => process.exit(code));
    });
  }
}
