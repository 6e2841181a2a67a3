// The terminal while the TUI runs: the alternate screen (so the learner's
// scrollback is untouched) and, on every way out, the terminal as it was:
// main screen, cursor shown, raw mode off. Safe to restore twice.
import { writeSync } from "node:fs";

const ENTER_ALT_SCREEN = "\x1b[?1049h\x1b[H\x1b[2J";
const LEAVE_ALT_SCREEN = "\x1b[?1049l";
const SHOW_CURSOR = "\x1b[?25h";
/** Erase the screen and go home: after a resize the old frame is garbage. */
export const CLEAR_SCREEN = "\x1b[H\x1b[2J";

export interface Fullscreen {
  restore(): void;
}

export function enterFullscreen(stdout: NodeJS.WriteStream, stdin: NodeJS.ReadStream): Fullscreen {
  let restored = false;
  // Synchronous writes: restore() also runs on process 'exit', where nothing async happens.
  const write = (text: string) => {
    try {
      writeSync((stdout as unknown as { fd: number }).fd ?? 1, text);
    } catch {
      // the terminal is gone (SIGHUP): nothing left to restore
    }
  };
  write(ENTER_ALT_SCREEN);
  // Raw mode from the start (Ink sets it only after its first frame): a key
  // pressed early is read as a key, not echoed onto the screen by the tty.
  try {
    if (stdin.isTTY) stdin.setRawMode(true);
  } catch {
    // not a terminal after all: Ink will say so
  }
  const restore = () => {
    if (restored) return;
    restored = true;
    process.off("exit", restore);
    try {
      if (stdin.isTTY) stdin.setRawMode(false);
    } catch {
      // stdin already closed
    }
    write(SHOW_CURSOR + LEAVE_ALT_SCREEN);
  };
  process.on("exit", restore);
  return { restore };
}
