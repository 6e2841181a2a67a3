// Every key binding of the app, in one place: what each key does on which
// screen, and the labels the footer and the help overlay show for it.
import type { Key } from "ink";

/**
 * "presenter": a lesson in presenter mode (--present), with the keys a
 * presentation clicker sends; "blank": its screen blanked; "knobs": the
 * knob form (s) over a lesson.
 */
export type Screen = "menu" | "player" | "presenter" | "help" | "blank" | "knobs";

export type Action =
  | "up"
  | "down"
  | "open"
  | "quit"
  | "watch"
  | "hint" // menu
  | "next"
  | "back"
  | "pause"
  | "restart"
  | "menu"
  | "scrollUp"
  | "scrollDown"
  | "timeline"
  | "holds"
  | "nextLesson"
  | "answer" // player
  | "blank" // presenter
  | "restore" // blank
  | "knobs" // player
  | "formMove"
  | "formType"
  | "formErase"
  | "formDefault"
  | "formApply"
  | "formCancel" // the knob form (knob-form.ts reads its keys)
  | "help"
  | "close" // help (and scrollUp, scrollDown)
  | "interrupt"; // everywhere

/** What the lesson player does with a key; it registers this with the app's one input handler. */
export type PlayerInput = (action: Action) => void;

/**
 * The player's own reading of a key before any binding: while it asks a
 * question, digits and the keys that edit them are its answer. True: taken.
 */
export type PlayerKeys = (input: string, key: Key) => boolean;

export interface Binding {
  readonly action: Action;
  readonly screens: readonly Screen[];
  /** As shown to the user, e.g. "Enter/Space". */
  readonly keys: string;
  /** Shorter, for narrow footers. */
  readonly short: string;
  /** What it does, as the footer says it. */
  readonly label: string;
  /** The longer text of the help overlay. */
  readonly help: string;
  /** Shown in the footer (the rest only in the help overlay). */
  readonly footer: boolean;
  /** The screens whose footer shows it, when not all of its screens (presenter mode's footer keeps to a few). */
  readonly footerOn?: readonly Screen[];
  /** In the footer, for a pair shown once ("↑↓/jk move"): the pair's keys, full and short. */
  readonly footerKeys?: readonly [keys: string, short: string];
  readonly matches: (input: string, key: Key) => boolean;
}

const ctrlC = (input: string, key: Key) => key.ctrl && input === "c";

export const BINDINGS: readonly Binding[] = [
  {
    action: "up",
    screens: ["menu"],
    keys: "↑/k",
    short: "↑k",
    label: "move",
    footer: true,
    footerKeys: ["↑↓/jk", "↑↓"],
    help: "Select the lesson above.",
    matches: (input, key) => key.upArrow || input === "k",
  },
  {
    action: "down",
    screens: ["menu"],
    keys: "↓/j",
    short: "↓j",
    label: "move",
    footer: false,
    help: "Select the lesson below.",
    matches: (input, key) => key.downArrow || input === "j",
  },
  {
    action: "open",
    screens: ["menu"],
    keys: "Enter",
    short: "⏎",
    label: "start",
    footer: true,
    help: "Start the selected lesson: its programs run for real, under the tracer.",
    matches: (input, key) => key.return || input === " ",
  },
  {
    action: "quit",
    screens: ["menu"],
    keys: "q",
    short: "q",
    label: "quit",
    footer: true,
    help: "Quit socket-lessons.",
    matches: (input, key) => input === "q" || key.escape,
  },
  {
    action: "watch",
    screens: ["menu"],
    keys: "w",
    short: "w",
    label: "watch a recorded Linux run",
    footer: false,
    help: "Where this machine cannot show the kernel's side (macOS, Windows, no /proc, the probe off): watch the " +
      "selected lesson's run recorded on Linux, replayed and labelled as such. Nothing runs.",
    matches: (input) => input === "w",
  },
  // Presenter mode: a clicker sends PageDown and PageUp (some the arrows),
  // and "b" or "." for its blank-screen button, as slide software expects.
  {
    action: "next",
    screens: ["presenter"],
    keys: "PgDn/→/↓/Space/Enter",
    short: "PgDn",
    label: "next",
    footer: true,
    help: "Show the next beat once its fact has arrived (a clicker's next button sends PageDown). " +
      "The programs keep running; a program the beat holds goes on.",
    matches: (input, key) => key.pageDown || key.rightArrow || key.downArrow || key.return || input === " ",
  },
  {
    action: "back",
    screens: ["presenter"],
    keys: "PgUp/←/↑",
    short: "PgUp",
    label: "back",
    footer: true,
    help: "Go back a beat (a clicker's back button sends PageUp): the panes show the run as it was then.",
    matches: (_input, key) => key.pageUp || key.leftArrow || key.upArrow,
  },
  {
    action: "blank",
    screens: ["presenter"],
    keys: "b/.",
    short: "b",
    label: "blank",
    footer: true,
    help: "Blank the screen (a clicker's blank button sends b or .); any key shows it again, on the same beat.",
    matches: (input) => input === "b" || input === ".",
  },
  {
    action: "scrollDown",
    screens: ["presenter"],
    keys: "j",
    short: "j",
    label: "scroll",
    footer: false,
    help: "Scroll the narration when it is longer than its room.",
    matches: (input) => input === "j",
  },
  {
    action: "scrollUp",
    screens: ["presenter"],
    keys: "k",
    short: "k",
    label: "scroll",
    footer: false,
    help: "Scroll the narration back up.",
    matches: (input) => input === "k",
  },
  {
    action: "restore",
    screens: ["blank"],
    keys: "any key",
    short: "any",
    label: "show the screen again",
    footer: false,
    help: "Show the screen again, on the beat it was blanked on.",
    matches: (input, key) => !ctrlC(input, key),
  },
  {
    // h in the menu, where the exercises are listed: in the player h already
    // toggles holds (an instructor's key), and an exercise is worked on
    // outside the player (your file, then check), so its hints belong here.
    action: "hint",
    screens: ["menu"],
    keys: "h",
    short: "h",
    label: "hint",
    footer: false,
    help: "Reveal the next hint of the selected lesson's exercise (the first not yet passed), one at a time. " +
      "They are remembered, shared with `socket-lessons check <exercise> --hint`.",
    matches: (input) => input === "h",
  },
  {
    action: "next",
    screens: ["player"],
    keys: "Enter/Space",
    short: "⏎",
    label: "next",
    footer: true,
    help: "Show the next beat of the narration once its fact has arrived. The programs keep running meanwhile.",
    matches: (input, key) => key.return || input === " " || key.rightArrow,
  },
  {
    action: "back",
    screens: ["player"],
    keys: "b/←",
    short: "b",
    label: "back",
    footer: true,
    help: "Go back to an earlier beat (Enter/Space comes forward again).",
    matches: (input, key) => input === "b" || key.leftArrow,
  },
  {
    action: "pause",
    screens: ["player", "presenter"],
    footerOn: ["player"],
    keys: "p",
    short: "p",
    label: "pause output",
    footer: true,
    help: "Stop (or resume) reading the programs' output. A program that prints then blocks in write() " +
      "once the pipe is full - real backpressure you can watch spread through the lesson.",
    matches: (input) => input === "p",
  },
  {
    action: "restart",
    screens: ["player", "presenter"],
    footerOn: ["player"],
    keys: "r",
    short: "r",
    label: "restart",
    footer: true,
    help: "Stop the lesson's programs and run the lesson again from the start.",
    matches: (input) => input === "r",
  },
  {
    action: "scrollDown",
    screens: ["player"],
    keys: "↓/j",
    short: "↓",
    label: "scroll",
    footer: false,
    help: "Scroll the narration when it is longer than its pane.",
    matches: (input, key) => key.downArrow || input === "j",
  },
  {
    action: "scrollUp",
    screens: ["player"],
    keys: "↑/k",
    short: "↑",
    label: "scroll",
    footer: false,
    help: "Scroll the narration back up.",
    matches: (input, key) => key.upArrow || input === "k",
  },
  {
    action: "timeline",
    screens: ["player", "presenter"],
    footerOn: ["player"],
    keys: "t",
    short: "t",
    label: "timeline",
    footer: true,
    help: "Show (or hide) the run over time: each program's state, the socket queues, where each beat happened.",
    matches: (input) => input === "t",
  },
  {
    action: "holds",
    screens: ["player", "presenter"],
    keys: "h",
    short: "h",
    label: "holds",
    footer: false,
    help: "Turn holds off or on. With holds on (step mode), a program the lesson holds waits at its call while you " +
      "read the beat, and goes on when you move past it.",
    matches: (input) => input === "h",
  },
  {
    action: "nextLesson",
    screens: ["player", "presenter"],
    keys: "n",
    short: "n",
    label: "next lesson",
    footer: false,
    help: "At the end of a lesson: open the next one.",
    matches: (input) => input === "n",
  },
  {
    action: "answer",
    screens: ["player"],
    keys: "1-9/digits",
    short: "1-9",
    label: "answer",
    footer: false,
    help: "When a beat asks a question before it is told: a choice's number, or a number and Enter. Esc skips it. " +
      "Then the beat shows what this run measured beside your answer.",
    // Typed keys, read by the question itself (PlayerKeys) before any binding.
    matches: () => false,
  },
  {
    action: "knobs",
    screens: ["player", "presenter"],
    keys: "s",
    short: "s",
    label: "knobs",
    footer: false,
    help: "Settings: the lesson's knobs (send buffer, data size, reader delay...) with their ranges and defaults. " +
      "Change them and the lesson runs again with them (like --set name=value).",
    matches: (input) => input === "s",
  },
  {
    action: "menu",
    screens: ["player", "presenter"],
    keys: "q/Esc",
    short: "q",
    label: "menu",
    footer: true,
    help: "Stop the programs and go back to the lesson menu.",
    matches: (input, key) => input === "q" || key.escape,
  },
  {
    action: "help",
    screens: ["menu", "player", "presenter"],
    keys: "?",
    short: "?",
    label: "help",
    footer: true,
    help: "Show this help.",
    matches: (input) => input === "?",
  },
  {
    action: "scrollUp",
    screens: ["help"],
    keys: "↑/k",
    short: "↑k",
    label: "scroll",
    footer: true,
    footerKeys: ["↑↓/jk", "↑↓"],
    help: "Scroll the help back up.",
    matches: (input, key) => key.upArrow || input === "k",
  },
  {
    action: "scrollDown",
    screens: ["help"],
    keys: "↓/j",
    short: "↓j",
    label: "scroll",
    footer: false,
    help: "Scroll the help down, when it is longer than the screen.",
    matches: (input, key) => key.downArrow || input === "j",
  },
  {
    action: "close",
    screens: ["help"],
    keys: "any key",
    short: "any",
    label: "close help",
    footer: true,
    help: "Close the help.",
    matches: (input, key) => !ctrlC(input, key),
  },
  {
    action: "formMove",
    screens: ["knobs"],
    keys: "↑↓/Tab",
    short: "↑↓",
    label: "move",
    footer: true,
    help: "Go to the knob above or below.",
    matches: (_, key) => key.upArrow || key.downArrow || key.tab,
  },
  {
    action: "formType",
    screens: ["knobs"],
    keys: "0-9",
    short: "0-9",
    label: "type",
    footer: false,
    help: "Type the knob's new value, a whole number in its unit.",
    matches: (input) => /^[0-9]$/.test(input),
  },
  {
    action: "formErase",
    screens: ["knobs"],
    keys: "⌫",
    short: "⌫",
    label: "erase",
    footer: true,
    help: "Erase the last digit; an empty value is the lesson's default.",
    matches: (_, key) => key.backspace || key.delete,
  },
  {
    action: "formDefault",
    screens: ["knobs"],
    keys: "d",
    short: "d",
    label: "default",
    footer: true,
    help: "Back to the lesson's default for this knob.",
    matches: (input) => input === "d",
  },
  {
    action: "formApply",
    screens: ["knobs"],
    keys: "Enter",
    short: "⏎",
    label: "apply and run again",
    footer: true,
    help: "Run the lesson again with these values (a value that cannot apply says why instead).",
    matches: (_, key) => key.return,
  },
  {
    action: "formCancel",
    screens: ["knobs"],
    keys: "Esc",
    short: "Esc",
    label: "cancel",
    footer: true,
    help: "Close the form; the lesson goes on as it was.",
    matches: (_, key) => key.escape,
  },
  {
    action: "interrupt",
    screens: ["menu", "player", "presenter", "help", "blank", "knobs"],
    keys: "Ctrl-C",
    short: "^C",
    label: "quit",
    footer: true,
    help: "Quit at once: every lesson program is stopped and the terminal restored.",
    matches: ctrlC,
  },
];

/** One key as Ink reports it: the text it typed, and its named flags. */
export interface KeyPress {
  readonly input: string;
  readonly key: Key;
}

const NO_KEY: Key = {
  upArrow: false,
  downArrow: false,
  leftArrow: false,
  rightArrow: false,
  pageDown: false,
  pageUp: false,
  home: false,
  end: false,
  return: false,
  escape: false,
  ctrl: false,
  shift: false,
  tab: false,
  backspace: false,
  delete: false,
  meta: false,
  super: false,
  hyper: false,
  capsLock: false,
  numLock: false,
};

/**
 * The keys in one read, in order. Ink's input parser splits escape sequences
 * (arrows, Esc) into events of their own, but hands a run of plain characters
 * over as one string: "bb" typed fast, two spaces, a paste, keys a terminal
 * or a test sends in one write. Each character here becomes the key Ink
 * would have reported had it come alone, so every binding sees single keys.
 * A lone line feed counts as Enter too (Ink names only \r "return"): some
 * terminals and pipes send \n for it.
 */
export function splitKeys(input: string, key: Key): KeyPress[] {
  const chars = Array.from(input);
  if (chars.length <= 1) return [input === "\n" ? { input, key: { ...key, return: true } } : { input, key }];
  return chars.map(oneKey);
}

/** A single character as Ink's keypress parser reports it (node_modules/ink/build/parse-keypress.js). */
function oneKey(ch: string): KeyPress {
  switch (ch) {
    case "\r":
    case "\n":
      return { input: ch, key: { ...NO_KEY, return: true } };
    case "\t":
      return { input: "", key: { ...NO_KEY, tab: true } };
    case "\b":
      return { input: "", key: { ...NO_KEY, backspace: true } };
    case "\x7f": // DEL: what most terminals send for Backspace; Ink calls it delete
      return { input: "", key: { ...NO_KEY, delete: true } };
  }
  const code = ch.codePointAt(0)!;
  // Ctrl+letter: \x01 is Ctrl-A ... \x03 Ctrl-C ... \x1a Ctrl-Z; Ink gives the letter with ctrl set.
  if (code <= 0x1a) return { input: String.fromCharCode(code + 0x60), key: { ...NO_KEY, ctrl: true } };
  return { input: ch, key: { ...NO_KEY, shift: /^[A-Z]$/.test(ch) } };
}

/** True for Ctrl-C: it quits at once, whatever came with it in the same read. */
export function isInterrupt({ input, key }: KeyPress): boolean {
  return ctrlC(input, key);
}

/** What a key press means on a screen; null if nothing. */
export function actionFor(screen: Screen, input: string, key: Key): Action | null {
  // Ctrl-C first: in raw mode it is a key like any other, and it must always quit.
  if (ctrlC(input, key)) return "interrupt";
  const binding = BINDINGS.find((b) => b.screens.includes(screen) && b.matches(input, key));
  return binding?.action ?? null;
}

export function bindingsFor(screen: Screen): Binding[] {
  return BINDINGS.filter((b) => b.screens.includes(screen));
}

/** The footer's items: "Enter/Space next", ... (a pair such as ↑/↓ shown once). */
export function footerItems(
  screen: Screen,
  overrides: Partial<Record<Action, string>> = {},
): { keys: string; short: string; label: string }[] {
  return bindingsFor(screen)
    .filter((b) => b.footer && (b.footerOn?.includes(screen) ?? true))
    .map((b) => ({
      keys: b.footerKeys?.[0] ?? b.keys,
      short: b.footerKeys?.[1] ?? b.short,
      label: overrides[b.action] ?? b.label,
    }));
}
