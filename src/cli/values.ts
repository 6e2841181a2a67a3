// What the command line hands the commands, and the checks on each value.
// Pure: each check answers with the value or throws one sentence saying what
// is wrong and what would be right (the parser adds the command's usage).

export type ProbeMode = "auto" | "trace-only";
export const PROBE_MODES: readonly ProbeMode[] = ["auto", "trace-only"];

/** The options a command was given, checked. Absent: not given. */
export interface CliValues {
  readonly json?: boolean;
  readonly plain?: boolean;
  readonly python?: string;
  readonly port?: number;
  readonly lessons?: string;
  readonly probe?: ProbeMode;
  readonly auto?: boolean;
  /** --present: presenter mode in the player. */
  readonly present?: boolean;
  /** --hold alone: true; --hold 3: 3 (seconds). */
  readonly hold?: boolean | number;
  readonly "no-color"?: boolean;
  /** exercise: the folder for the starter; --force: replace without asking; --solution: show it. */
  readonly dir?: string;
  readonly force?: boolean;
  readonly solution?: boolean;
  /** check: again on every save; --hint: the next hint, no run. */
  readonly watch?: boolean;
  readonly hint?: boolean;
  /** --record FILE: the run's observations go to FILE when it ends. */
  readonly record?: string;
  /** --markdown alone: true (the handout's default name); --markdown FILE: that file. */
  readonly markdown?: boolean | string;
  /** replay --instant: the whole recording at once instead of in real time. */
  readonly instant?: boolean;
  /** --set name=value, each as typed (checked against the lesson's knobs once it is known). */
  readonly set?: readonly string[];
}

/** A value the user typed that cannot be right: the sentence says why. */
export class BadValue extends Error {
  override readonly name = "BadValue";
}

const MAX_PORT = 65_535;

/**
 * A TCP port as people write it: a whole decimal number from 1 to 65535.
 * Not what Number() accepts: "0x50" would be port 80, "1e3" 1000, "" 0.
 */
export function parsePort(text: string): number {
  const port = /^[0-9]{1,5}$/.test(text) ? Number(text) : NaN;
  if (port >= 1 && port <= MAX_PORT) return port;
  throw new BadValue(`--port takes a whole number from 1 to ${MAX_PORT}, not "${text}".`);
}

export function parseProbe(text: string): ProbeMode {
  const mode = PROBE_MODES.find((m) => m === text);
  if (mode) return mode;
  throw new BadValue(`--probe takes ${PROBE_MODES.join(" or ")}, not "${text}".`);
}

const MAX_HOLD_S = 600;

/** How long each hold lasts, in seconds: a number above 0 and at most 600. */
export function parseHoldSeconds(text: string): number {
  const seconds = /^[0-9]+(\.[0-9]+)?$/.test(text) ? Number(text) : NaN;
  if (seconds > 0 && seconds <= MAX_HOLD_S) return seconds;
  throw new BadValue(`--hold takes seconds, more than 0 and at most ${MAX_HOLD_S}, not "${text}".`);
}

/** A path or a program name: anything but empty (an empty one is always a slip). */
export function nonEmpty(option: string, example: string): (text: string) => string {
  return (text) => {
    if (text !== "") return text;
    throw new BadValue(`${option} needs a value, e.g. ${option} ${example}.`);
  };
}

/**
 * One --set, added to those before it. Only its shape is checked here
 * (name=value); the name and range depend on the lesson (lessons/knobs.ts).
 */
export function collectSetting(text: string, previous: readonly string[] | undefined): string[] {
  if (!/^[^=\s]+=\S/.test(text)) {
    throw new BadValue(`--set takes name=value, like --set sndbuf=65536, not "${text}".`);
  }
  return [...(previous ?? []), text];
}
