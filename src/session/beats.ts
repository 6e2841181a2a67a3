// Which fact unlocks which beat. Pure.
//
// A fact goes to the first beat (in lesson order) still waiting for one like
// it: same name, program and `where:` values, and the right `nth:`. Beats are
// shown in lesson order up to the first that still waits; a beat whose fact
// came early waits, filled, for the gap before it to close. A beat this
// machine can never show (its fact needs what is missing here, and it has no
// `instead:` that can be seen) is passed with a note, so it holds up nothing.
import type { Fact } from "../facts/types.ts";
import { type Capability, factNeeds } from "../facts/vocabulary.ts";
import type { Beat, FactSelector, Question } from "../lessons/schema.ts";
import { checkHolds } from "../exercises/judge.ts";
import { fillTemplate, type KnobValues, NO_KNOBS } from "../lessons/template.ts";
import type { ProbeCapabilities } from "../probe/types.ts";
import { nullText } from "../facts/vocabulary.ts";
export { selects } from "../facts/select.ts";

export interface BeatView {
  readonly index: number;
  readonly title: string | null;
  readonly text: string;
  /** The fact shown (the beat's own, or its instead's); null for a beat this machine cannot show. */
  readonly fact: string | null;
  readonly program: string | null;
  /** The program's line the fact cites, if it does: the code pane shows it. */
  readonly line: number | null;
  /** The socket the fact is about, if it names one (its fd in `program`): presenter mode marks its gauges. */
  readonly fd: number | null;
  readonly t: number;
  /**
   * Set when this machine cannot observe the beat's own fact: says what is
   * missing. The text is then the lesson's `instead:` (from the trace), or,
   * without one, only this note.
   */
  readonly unobservable: string | null;
  /** The beat's question, asked before its text is told, with the answer this run measured. */
  readonly question?: QuestionView;
}

/** A question as every view shows it: what to ask, and what this run's fact says the answer is. */
export interface QuestionView {
  readonly question: string;
  /** Each choice, and whether the fact bears it out (null: the fact cannot tell here). */
  readonly choices: readonly { readonly text: string; readonly right: boolean | null }[] | null;
  /** A number to guess: which field, and what the run measured (null: not measured). */
  readonly number: { readonly field: string; readonly measured: number | null } | null;
  /** The measured answer, in words, from the fact. */
  readonly answer: string;
}

/** What the tracer said it can measure here (its caps line); null until it says. */
export interface TracerCaps {
  readonly sockQueues: boolean | null;
  readonly rusageThread: boolean | null;
  readonly tcpWindow: boolean | null;
}

export interface Capabilities {
  readonly probe: ProbeCapabilities | null;
  readonly tracer: TracerCaps;
}

/** Per beat: matches counted so far (nth on facts without an ordinal), and the latest match (nth: last). */
export interface BeatProgress {
  readonly count: number;
  readonly last: Fact | null;
}

const CAPABILITY_SOURCES: Readonly<Record<Capability, string>> = {
  proc: "/proc/PID/stat",
  syscall: "/proc/PID/syscall",
  sock_queues: "socket queue sizes (SIOCOUTQ)",
  rusage_thread: "per-thread kernel counters (getrusage RUSAGE_THREAD)",
  tcp_window: "the advertised receive window (TCP_INFO, Linux 6.2+)",
};

/** What is missing to observe `fact`, in words; null when it can be seen (or cannot tell yet). */
export function missingFor(fact: string, caps: Capabilities): string | null {
  const has = (cap: Capability): boolean | null => {
    if (cap === "sock_queues") return caps.tracer.sockQueues;
    if (cap === "rusage_thread") return caps.tracer.rusageThread;
    if (cap === "tcp_window") return caps.tracer.tcpWindow;
    return caps.probe === null ? null : caps.probe[cap];
  };
  const lacking = factNeeds(fact).filter((cap) => has(cap) === false);
  if (lacking.length === 0) return null;
  const probeOff = caps.probe?.off ?? null;
  if (probeOff !== null && lacking.every((cap) => cap === "proc" || cap === "syscall")) {
    return `the kernel probe is off (${probeOff})`;
  }
  return `this machine does not show ${lacking.map((cap) => CAPABILITY_SOURCES[cap]).join(" and ")}`;
}

export interface Trigger {
  readonly selector: FactSelector;
  readonly missing: string | null;
  readonly instead: boolean;
}

/** The selector a beat waits on here: its own, or its `instead:` where its own cannot be seen; null: neither. */
export function trigger(beat: Beat, caps: Capabilities): Trigger | null {
  const missing = missingFor(beat.on, caps);
  if (missing === null) return { selector: beat, missing: null, instead: false };
  if (!beat.instead || missingFor(beat.instead.on, caps) !== null) return null;
  const { on, where, nth } = beat.instead;
  const selector: FactSelector = {
    on,
    ...(beat.program === undefined ? {} : { program: beat.program }),
    ...(where === undefined ? {} : { where }),
    ...(nth === undefined ? {} : { nth }),
  };
  return { selector, missing, instead: true };
}

/** Call facts carry their call's ordinal: `nth: 2` names the second call, not the second match. */
function hasOrdinal(fact: Fact): boolean {
  return typeof fact.values.nth === "number" && typeof fact.values.call === "string";
}

export type NthVerdict = "now" | "later" | "no";

/** Whether this matching fact is the one `nth:` asks for; "later": nth last, decided when its program ends. */
export function nthVerdict(selector: FactSelector, fact: Fact, progress: BeatProgress): NthVerdict {
  const nth = selector.nth;
  if (nth === undefined) return "now";
  if (nth === "last") return "later";
  if (hasOrdinal(fact)) return fact.values.nth === nth ? "now" : "no";
  return progress.count + 1 === nth ? "now" : "no";
}

/** A template filled from a fact: a null reads as what it means for its field. */
export function fillFrom(template: Beat["template"], fact: Fact, knobs: KnobValues = NO_KNOBS): string {
  const nulls = Object.fromEntries(Object.keys(fact.values).map((field) => [field, nullText(fact.fact, field)]));
  return fillTemplate(template, fact.values, nulls, knobs);
}

/** The beat as shown, its text filled from the fact's values. */
export function beatView(beat: Beat, fact: Fact, found: Trigger, knobs: KnobValues = NO_KNOBS): BeatView {
  const told = found.instead && beat.instead ? beat.instead : beat;
  const values = fact.values;
  // A question is about its beat's own fact; told from a stand-in, it is not asked.
  const question = beat.ask && !found.instead ? questionView(beat.ask, fact, knobs) : undefined;
  return {
    index: beat.index,
    title: told.title ?? beat.title ?? null,
    text: fillFrom(told.template, fact, knobs),
    fact: fact.fact,
    program: typeof values.program === "string" ? values.program : null,
    line: typeof values.line === "number" ? values.line : null,
    fd: typeof values.fd === "number" ? values.fd : null,
    t: fact.t,
    unobservable: found.missing,
    ...(question === undefined ? {} : { question }),
  };
}

export function questionView(ask: Question, fact: Fact, knobs: KnobValues = NO_KNOBS): QuestionView {
  const measured = ask.number === null ? null : fact.values[ask.number];
  return {
    question: ask.question,
    choices: ask.choices?.map((c) => ({ text: c.text, right: c.when === null ? false : checkHolds(c.when, [fact]) })) ??
      null,
    number: ask.number === null
      ? null
      : { field: ask.number, measured: typeof measured === "number" ? measured : null },
    answer: fillFrom(ask.answer, fact, knobs),
  };
}

/** A beat this machine cannot show, passed with a note at time t. */
export function unobservableView(beat: Beat, caps: Capabilities, t: number): BeatView {
  const missing = missingFor(beat.on, caps) ?? "not observable here";
  return {
    index: beat.index,
    title: beat.title ?? null,
    text: `Not observable here: ${missing}.`,
    fact: null,
    program: beat.program ?? null,
    line: null,
    fd: null,
    t,
    unobservable: missing,
  };
}
