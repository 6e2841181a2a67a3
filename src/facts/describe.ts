// Facts in words, for what a learner reads: "the client's send() to wake up",
// never "send.woke from client". Fact names are the lesson file's vocabulary;
// on screen and in --plain they are said as sentences. Built from the fact
// vocabulary (vocabulary.ts), so a call added to the registry is described
// without code here. Pure.
import { FACTS, type Phase } from "./vocabulary.ts";

/**
 * A fact as a clause in three forms: who (or what) and what it does.
 * `who` ends before the verb; `verb` is the bare form ("wake up"), `verbs`
 * the form after a singular subject ("wakes up").
 */
export interface FactWords {
  readonly who: string;
  readonly verb: string;
  readonly verbs: string;
}

/**
 * Calls whose registry name is not the name a Python programmer writes.
 * The rest are shown as their name with "()".
 */
const CALL_SHOWN_AS: Readonly<Record<string, string>> = {
  epoll: "epoll.poll()",
  selector: "selector.select()",
  sleep: "time.sleep()",
};

/** "send()", "selector.select()". */
export function callShown(call: string): string {
  return CALL_SHOWN_AS[call] ?? `${call}()`;
}

/** Whose: "the client's", or "a program's" when no program is named. */
function owner(program: string | undefined): string {
  return program ? `the ${program}'s` : "a program's";
}

function subject(program: string | undefined): string {
  return program ? `the ${program}` : "a program";
}

const PHASE_WORDS: Readonly<Record<Phase, readonly [verb: string, verbs: string]>> = {
  called: ["", ""], // said with the program as subject: "the server to call accept()"
  // The tracer's own measure: the program still inside the call 200 ms after it began.
  waiting: ["take over 200 ms", "takes over 200 ms"],
  blocked: ["block", "blocks"],
  woke: ["wake up", "wakes up"],
  returned: ["return", "returns"],
  raised: ["raise an error", "raises an error"],
};

/** Facts that are not one call's phase: who, and what it does. */
const OTHER_WORDS: Readonly<
  Record<string, (program: string | undefined) => FactWords>
> = {
  "sendq.filled": (p) => ({ who: `${owner(p)} send queue`, verb: "fill", verbs: "fills" }),
  "sendq.drained": (p) => ({ who: `${owner(p)} send queue`, verb: "drain", verbs: "drains" }),
  "recvq.filled": (p) => ({ who: `${owner(p)} receive queue`, verb: "fill", verbs: "fills" }),
  "recvq.drained": (p) => ({ who: `${owner(p)} receive queue`, verb: "drain", verbs: "drains" }),
  "acceptq.filled": (p) => ({ who: `${owner(p)} accept queue`, verb: "fill", verbs: "fills" }),
  "window.closed": (p) => ({ who: `${owner(p)} receive window`, verb: "close", verbs: "closes" }),
  "window.opened": (p) => ({ who: `${owner(p)} receive window`, verb: "open again", verbs: "opens again" }),
  "program.started": (p) => ({ who: subject(p), verb: "start", verbs: "starts" }),
  "program.exited": (p) => ({ who: subject(p), verb: "exit", verbs: "exits" }),
  "peer.closed": (p) => ({ who: subject(p), verb: "find its peer closed", verbs: "finds its peer closed" }),
  "transfer.ended": () => ({ who: "both ends of a connection", verb: "close", verbs: "close" }),
};

/** The fact's clause; a name outside the vocabulary (a lesson file is checked against it first) says so. */
export function factWords(name: string, program?: string): FactWords {
  const spec = FACTS.get(name);
  if (spec?.call !== undefined && spec.phase !== undefined) {
    const call = callShown(spec.call);
    if (spec.phase === "called") return { who: subject(program), verb: `call ${call}`, verbs: `calls ${call}` };
    const [verb, verbs] = PHASE_WORDS[spec.phase];
    return { who: `${owner(program)} ${call}`, verb, verbs };
  }
  if (spec?.call !== undefined && name === `${spec.call}.totals`) {
    // What all of a program's calls of a name added up to, said when it ends.
    const call = callShown(spec.call);
    return {
      who: `${owner(program)} ${call} calls`,
      verb: "be counted up at its exit",
      verbs: "are counted up at its exit",
    };
  }
  const other = OTHER_WORDS[name];
  if (other) return other(program);
  return { who: "something this version of socket-lessons does not know", verb: "happen", verbs: "happens" };
}

/** What a learner waits for: "the client's send() to wake up", "the server to call accept()". */
export function describeFact(name: string, program?: string): string {
  const w = factWords(name, program);
  return `${w.who} to ${w.verb}`;
}

/** As it happens: "the client's send() wakes up" (after "when", or capitalised as a heading). */
export function factHappens(name: string, program?: string): string {
  const w = factWords(name, program);
  return `${w.who} ${w.verbs}`;
}

/** After "saw": "the client's send() wake up". */
export function factSeen(name: string, program?: string): string {
  const w = factWords(name, program);
  return `${w.who} ${w.verb}`;
}

/** A heading for a beat the lesson gave no title: "The client's send() wakes up". */
export function factHeading(name: string, program?: string): string {
  const words = factHappens(name, program);
  return `${words.charAt(0).toUpperCase()}${words.slice(1)}`;
}
