// Helpers of the UI component tests: render with a theme, read frames as
// plain text, wait for frame content (never sleep).
import { render } from "ink-testing-library";
import type { ReactElement } from "react";
import { createTheme, ThemeContext } from "../../src/ui/theme.ts";
import type { LiveSnapshot } from "../../src/ui/live-run.ts";
import type { SessionState } from "../../src/session/session.ts";

// deno-lint-ignore no-control-regex
const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;

export function plain(frame: string | undefined): string {
  return (frame ?? "").replace(ANSI, "");
}

/**
 * Renders with ink-testing-library. Its stdout is 100 columns wide; a test of
 * a wider terminal gives `columns`, and the first frame is drawn again at it.
 */
export function renderUi(node: ReactElement, options: { color?: boolean; columns?: number } = {}) {
  const wrap = (n: ReactElement) => (
    <ThemeContext.Provider value={createTheme(options.color ?? false)}>{n}</ThemeContext.Provider>
  );
  const instance = render(wrap(node));
  if (options.columns !== undefined) {
    Object.defineProperty(instance.stdout, "columns", { get: () => options.columns });
    instance.rerender(wrap(node));
  }
  const frame = () => plain(instance.lastFrame());
  /** Resolves with the first frame that satisfies `check`; rejects with the last frame after timeoutMs. */
  const waitForFrame = (check: (frame: string) => boolean, what: string, timeoutMs = 3000) =>
    new Promise<string>((resolve, reject) => {
      const started = Date.now();
      // ink-testing-library's stdout emits nothing on a new frame: look at the latest one often.
      const look = () => {
        const f = frame();
        if (check(f)) {
          clearInterval(timer);
          resolve(f);
        } else if (Date.now() - started > timeoutMs) {
          clearInterval(timer);
          reject(new Error(`timed out waiting for ${what}; last frame:\n${f}`));
        }
      };
      const timer = setInterval(look, 5);
      look();
    });
  return { ...instance, rerender: (n: ReactElement) => instance.rerender(wrap(n)), frame, waitForFrame };
}

export function snapshotOf(session: SessionState, extra: Partial<LiveSnapshot> = {}): LiveSnapshot {
  return {
    session,
    phase: session.ended ? "over" : "running",
    paused: false,
    problems: [],
    error: null,
    attempt: 1,
    holds: "off",
    ...extra,
  };
}

/** Lines of a frame, for width checks. */
export function frameLines(frame: string): string[] {
  return frame.split("\n");
}

/**
 * The text of the wide layout's right column (narration, then gauges) between
 * its borders, lines joined with spaces: what a reader reads in it.
 */
export function rightColumn(frame: string, programsWidth: number, until = "kernel: sockets"): string {
  const out: string[] = [];
  for (const line of frameLines(frame).slice(2)) { // the header and the pane's title
    if (line.includes(until)) break;
    out.push(line.slice(programsWidth + 1, line.length - 1));
  }
  return out.join(" ").replace(/\s+/g, " ").trim();
}

/** Waits for a condition set by the UI (a callback called from an effect). */
export function waitUntil(check: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const look = () => {
      if (check()) {
        clearInterval(timer);
        resolve();
      } else if (Date.now() - started > timeoutMs) {
        clearInterval(timer);
        reject(new Error(`timed out waiting for ${what}`));
      }
    };
    const timer = setInterval(look, 5);
    look();
  });
}
