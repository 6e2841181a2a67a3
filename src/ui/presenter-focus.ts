// What presenter mode shows under a beat, and what in it to look at: the
// panes a beat names in its `show:`, or else the ones its fact is about (a
// call: that program's lane and the line it cites; a queue: the program's
// lane and the sockets pane, its socket marked; the end of a transfer: the
// byte counters). A projector at 80x24 has room for little besides the
// narration, so only these are drawn. Pure.
import type { Beat } from "../lessons/schema.ts";
import type { BeatView } from "../session/beats.ts";

/** The socket a beat is about: its gauge rows are marked. */
export interface FocusSocket {
  readonly program: string;
  readonly fd: number;
}

export interface PresenterFocus {
  /** Programs whose lane (state, call, latest output) is shown, in lesson order. */
  readonly lanes: readonly string[];
  /** Programs whose source is shown, in lesson order. */
  readonly code: readonly string[];
  /** The kernel's sockets pane. */
  readonly sockets: boolean;
  /** The program the beat's fact is about: its pane is marked. */
  readonly program: string | null;
  /** The line that fact cites in `program`'s source: marked. */
  readonly line: number | null;
  /** The socket the fact is about; null: none in particular. */
  readonly socket: FocusSocket | null;
  /** The byte counters are what the beat speaks of (the end of a transfer). */
  readonly counters: boolean;
  /** Where the choice came from: the beat's show:, its fact, or neither (the introduction, the end). */
  readonly from: "show" | "fact" | "none";
}

/** Nothing but the narration: the introduction, the end, a beat with `show: []`. */
export const NARRATION_ONLY: PresenterFocus = {
  lanes: [],
  code: [],
  sockets: false,
  program: null,
  line: null,
  socket: null,
  counters: false,
  from: "none",
};

/** Facts about a socket's queues or window: the sockets pane shows them. */
const SOCKET_FACT = /^(sendq|recvq|acceptq|window)\./;

/** What the beat is about, from the fact told (null: the beat could not be observed here). */
interface Subject {
  readonly fact: string | null;
  readonly program: string | null;
  readonly line: number | null;
  readonly fd: number | null;
}

/**
 * The panes for the beat the presenter is on. `spec` is the lesson's beat
 * (its show:), `told` the beat as this run told it (null for a beat never
 * observed); `programs` the lesson's programs, in order.
 */
export function presenterFocus(
  spec: Beat | undefined,
  told: BeatView | null,
  programs: readonly string[],
): PresenterFocus {
  if (spec === undefined) return NARRATION_ONLY;
  const subject: Subject = told === null
    ? { fact: null, program: spec.program ?? null, line: null, fd: null }
    : { fact: told.fact, program: told.program ?? spec.program ?? null, line: told.line, fd: told.fd };
  const marks = {
    program: subject.program,
    line: subject.line,
    socket: subject.program !== null && subject.fd !== null ? { program: subject.program, fd: subject.fd } : null,
    counters: subject.fact === "transfer.ended",
  };
  const inOrder = (names: readonly string[]) => programs.filter((p) => names.includes(p));
  if (spec.show !== undefined) {
    const named = inOrder(spec.show);
    const own = subject.program === null ? [] : [subject.program];
    return {
      ...marks,
      lanes: named,
      // code alone: the source of the program the beat is about.
      code: spec.show.includes("code") ? (named.length > 0 ? named : own) : [],
      sockets: spec.show.includes("sockets"),
      from: "show",
    };
  }
  return { ...marks, ...panesForFact(subject), from: "fact" };
}

function panesForFact({ fact, program }: Subject): Pick<PresenterFocus, "lanes" | "code" | "sockets"> {
  const own = program === null ? [] : [program];
  // Not observed here: the program's lane says what it did instead.
  if (fact === null) return { lanes: own, code: [], sockets: false };
  if (fact === "transfer.ended") return { lanes: [], code: [], sockets: true };
  if (SOCKET_FACT.test(fact)) return { lanes: own, code: [], sockets: true };
  // An exit is said by the lane; a start, by the lane and the code about to run.
  if (fact === "program.exited") return { lanes: own, code: [], sockets: false };
  return { lanes: own, code: own, sockets: false };
}

/** The programs with a pane (a lane, code or both), in lesson order. */
export function focusPrograms(focus: PresenterFocus, programs: readonly string[]): string[] {
  return programs.filter((p) => focus.lanes.includes(p) || focus.code.includes(p));
}
