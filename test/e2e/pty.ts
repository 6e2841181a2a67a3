// A real pseudo-terminal running the built app, with a headless xterm as
// the screen: what the tests read is what a user would see.
import { type IPty, spawn } from "@lydell/node-pty";
import xterm from "@xterm/headless";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before } from "node:test";
import { fileURLToPath } from "node:url";

const { Terminal } = xterm;

// Ink writes each frame between these (synchronized output, mode 2026).
const BEGIN_FRAME = "\x1b[?2026h";
const END_FRAME = "\x1b[?2026l";

export const CLI = fileURLToPath(new URL("../../dist/cli.js", import.meta.url));
export const ROOT = fileURLToPath(new URL("../..", import.meta.url));

export interface ScreenOptions {
  readonly cols?: number;
  readonly rows?: number;
  readonly env?: Record<string, string | undefined>;
  /** Run this shell command instead of the app. */
  readonly shell?: string;
  readonly args?: readonly string[];
}

export class Screen {
  readonly pty: IPty;
  readonly term: InstanceType<typeof Terminal>;
  readonly startedAt = performance.now();
  /** performance.now() of the first byte of output. */
  firstOutputAt: number | null = null;
  raw = "";
  exitCode: number | null = null;
  readonly exited: Promise<number>;
  private pending: Promise<void> = Promise.resolve();
  /** Inside a frame Ink brackets with synchronized-output marks: the screen is half drawn. */
  private midFrame = false;
  private markTail = "";
  private waiters = new Set<() => void>();

  constructor(opts: ScreenOptions = {}) {
    const cols = opts.cols ?? 120;
    const rows = opts.rows ?? 40;
    this.term = new Terminal({ cols, rows, allowProposedApi: true, scrollback: 0 });
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries({ ...process.env, TERM: "xterm-256color", ...opts.env })) {
      if (v !== undefined && k !== "CI") env[k] = v;
    }
    // The bin itself, through its shebang, as npx and a shell start it.
    const [file, args] = opts.shell ? ["/bin/sh", ["-c", opts.shell]] : [CLI, opts.args ?? []];
    this.pty = spawn(file, args as string[], { name: "xterm-256color", cols, rows, cwd: ROOT, env });
    this.pty.onData((data) => {
      this.firstOutputAt ??= performance.now();
      this.raw += data;
      if (this.raw.length > 200_000) this.raw = this.raw.slice(-100_000);
      this.pending = this.pending.then(() => new Promise<void>((resolve) => this.term.write(data, resolve))).then(
        () => {
          // A mark may be split between two chunks: look at the end of the last one too.
          const seen = this.markTail + data;
          this.markTail = data.slice(-(BEGIN_FRAME.length - 1));
          const begin = seen.lastIndexOf(BEGIN_FRAME);
          const end = seen.lastIndexOf(END_FRAME);
          if (begin > end) this.midFrame = true;
          else if (end > begin) this.midFrame = false;
          if (this.midFrame) return;
          for (const w of [...this.waiters]) w();
        },
      );
    });
    this.exited = new Promise((resolve) =>
      this.pty.onExit(({ exitCode }) => {
        // The last output may still be on its way into the terminal.
        void this.pending.then(() => {
          this.exitCode = exitCode;
          this.midFrame = false;
          resolve(exitCode);
          for (const w of [...this.waiters]) w();
        });
      })
    );
  }

  /** The screen's lines as text, trailing spaces trimmed. */
  lines(): string[] {
    const buffer = this.term.buffer.active;
    const out: string[] = [];
    for (let y = 0; y < this.term.rows; y++) {
      out.push(buffer.getLine(buffer.viewportY + y)?.translateToString(true) ?? "");
    }
    return out;
  }

  text(): string {
    return this.lines().join("\n");
  }

  /** Waits until the screen satisfies `check` (re-checked on each output), or fails after timeoutMs. */
  async waitFor(check: (text: string) => boolean, what: string, timeoutMs = 15_000): Promise<string> {
    await this.pending;
    if (!this.midFrame && check(this.text())) return this.text();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(test);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; the screen:\n${this.text()}`));
      }, timeoutMs);
      const test = () => {
        const text = this.text();
        if (check(text)) {
          clearTimeout(timer);
          this.waiters.delete(test);
          resolve(text);
        } else if (this.exitCode !== null) {
          clearTimeout(timer);
          this.waiters.delete(test);
          reject(new Error(`the app exited (${this.exitCode}) while waiting for ${what}; the screen:\n${text}`));
        }
      };
      this.waiters.add(test);
    });
  }

  waitForText(needle: string | RegExp, timeoutMs?: number): Promise<string> {
    const check = typeof needle === "string" ? (t: string) => t.includes(needle) : (t: string) => needle.test(t);
    return this.waitFor(check, JSON.stringify(String(needle)), timeoutMs);
  }

  press(keys: string): void {
    this.pty.write(keys);
  }

  resize(cols: number, rows: number): void {
    this.pty.resize(cols, rows);
    this.term.resize(cols, rows);
  }

  kill(): void {
    // Once it has exited, its pid may already belong to another process.
    if (this.exitCode !== null) return;
    try {
      this.pty.kill("SIGKILL");
    } catch {
      // already gone
    }
  }
}

export const KEY = {
  enter: "\r",
  space: " ",
  esc: "\x1b",
  left: "\x1b[D",
  right: "\x1b[C",
  up: "\x1b[A",
  down: "\x1b[B",
  ctrlC: "\x03",
} as const;

/** PIDs the lanes show: "· pid 123" in the pane titles. */
export function shownPids(text: string): number[] {
  return [...text.matchAll(/\bpid (\d+)/g)].map((m) => Number(m[1]));
}

/**
 * For a test file: opens Screens whose progress goes to a fresh config dir
 * (env-paths honours XDG_CONFIG_HOME), never the user's, and kills any still
 * open when the file's tests end.
 */
export function screensForTests(prefix: string): (opts?: ScreenOptions) => Screen {
  let configHome = "";
  const screens: Screen[] = [];
  before(() => {
    assert.ok(existsSync(CLI), "dist/cli.js is missing: run `npm run build` (npm test does)");
    configHome = mkdtempSync(join(tmpdir(), prefix));
  });
  after(() => {
    for (const s of screens) s.kill();
    rmSync(configHome, { recursive: true, force: true });
  });
  return (opts: ScreenOptions = {}) => {
    const screen = new Screen({ ...opts, env: { XDG_CONFIG_HOME: configHome, NO_COLOR: undefined, ...opts.env } });
    screens.push(screen);
    return screen;
  };
}
