// Colours by meaning, in one place. With NO_COLOR (https://no-color.org) or
// --no-color every colour is undefined, so Ink writes none; what the colours
// say is always said by text or a glyph too (▶ for the executing line,
// "asleep" in words, bars drawn with two different characters).
import { createContext, useContext } from "react";
import type { TokenKind } from "./syntax.ts";

export interface Theme {
  readonly color: boolean;
  readonly accent: string | undefined; // titles, the selected item, the executing line's marker
  readonly muted: string | undefined; // frames, hints, secondary text
  readonly ok: string | undefined; // done, exited with 0, running
  readonly warn: string | undefined; // paused, probe limits, asleep
  readonly error: string | undefined; // failures, stderr
  readonly asleep: string | undefined; // a program the kernel has put to sleep
  readonly held: string | undefined; // a program socket-lessons holds at a call (not its own doing)
  readonly running: string | undefined;
  readonly gaugeFill: string | undefined;
  readonly gaugeFull: string | undefined; // a queue at 90 % of its buffer or more
  readonly gaugeEmpty: string | undefined;
  readonly lineBackground: string | undefined; // the executing line of code
  readonly lineText: string | undefined;
  readonly syntax: Readonly<Record<TokenKind, string | undefined>>;
}

/** NO_COLOR counts when set to anything but the empty string, as the convention says. */
export function colorEnabled(env: Readonly<Record<string, string | undefined>>, noColorFlag: boolean): boolean {
  if (noColorFlag) return false;
  const noColor = env.NO_COLOR;
  return noColor === undefined || noColor === "";
}

export function createTheme(color: boolean): Theme {
  const c = (name: string): string | undefined => (color ? name : undefined);
  return {
    color,
    accent: c("cyan"),
    muted: c("gray"),
    ok: c("green"),
    warn: c("yellow"),
    error: c("red"),
    asleep: c("yellow"),
    held: c("magenta"),
    running: c("green"),
    gaugeFill: c("cyan"),
    gaugeFull: c("yellow"),
    gaugeEmpty: c("gray"),
    lineBackground: c("blue"),
    lineText: c("whiteBright"),
    syntax: {
      keyword: c("magenta"),
      builtin: c("cyan"),
      string: c("green"),
      number: c("yellow"),
      comment: c("gray"),
      plain: undefined,
    },
  };
}

export const ThemeContext = createContext<Theme>(createTheme(false));

export function useTheme(): Theme {
  return useContext(ThemeContext);
}
