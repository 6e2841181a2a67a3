// The lesson player: for each program its lane and code, the kernel's
// gauges, the narration; live while the programs run. It shows the session
// and moves through the narration; the lesson itself lives in the engine.
// On a beat behind the live edge (an earlier beat, or any once the run is
// over) every pane shows the run as it was at that beat's fact: a recorded
// moment, labelled as such (src/session/history.ts). Moving past a beat lets
// the programs its holds keep waiting go on. A beat with a question asks it
// first (predict, then observe), and tells the measured answer beside the
// learner's.
import { Box } from "ink";
import { type RefObject, useEffect, useMemo, useRef, useState } from "react";
import { formatMs } from "../report/format.ts";
import { momentAt } from "../session/history.ts";
import { CodePane } from "./CodePane.tsx";
import { EndSummary } from "./EndSummary.tsx";
import { Footer } from "./Footer.tsx";
import type { PlayerInput, PlayerKeys } from "./keys.ts";
import { type AnswerVerdict, answerVerdict, parseAnswer } from "../session/answer.ts";
import type { BeatView } from "../session/session.ts";
import { QuestionPrompt } from "./QuestionPrompt.tsx";
import { inner, playerLayout } from "./layout.ts";
import type { LiveSnapshot } from "./live-run.ts";
import { Narration, narrationStatus, narrationTextLength } from "./Narration.tsx";
import { NARRATION_ONLY, presenterFocus } from "./presenter-focus.ts";
import { presenterNarrationWidth } from "./presenter-layout.ts";
import { presenterText } from "./PresenterNarration.tsx";
import { PresenterHeader } from "./PresenterHeader.tsx";
import { PresenterView } from "./PresenterView.tsx";
import { Panel } from "./Panel.tsx";
import { pausedLines, PausedNote } from "./PausedNote.tsx";
import { PlayerHeader } from "./PlayerHeader.tsx";
import { laneTitle, ProgramLane } from "./ProgramLane.tsx";
import { RunError } from "./RunError.tsx";
import { safeLane } from "./safe-view.ts";
import { capabilities } from "../session/session.ts";
import { gaugeLines, SocketGauges } from "./SocketGauges.tsx";
import { currentIndex, initialSteps, narrationEntries, seenWith, stepBack, stepNext, type StepState } from "./steps.ts";
import type { Token } from "./syntax.ts";
import { TimelineView } from "./TimelineView.tsx";

export interface LessonPlayerProps {
  readonly live: LiveSnapshot;
  /** Each program's source, highlighted, by program name. */
  readonly sources: ReadonlyMap<string, readonly (readonly Token[])[]>;
  readonly auto: boolean;
  readonly cols: number;
  readonly rows: number;
  /** Where the app's input handler finds what this player does with a key. */
  readonly inputRef: RefObject<PlayerInput | null>;
  readonly onPause: (paused: boolean) => void;
  readonly onRestart: () => void;
  /** The learner moved past beat `index`: its holds let their programs go on. */
  readonly onPassed: (index: number) => void;
  readonly onToggleHolds: () => void;
  /** The next lesson's title in the menu's order, if any, and how to open it. */
  readonly next: string | null;
  readonly onNextLesson: () => void;
  /** The learner has seen every beat of a run that is over. */
  readonly onFinished: () => void;
  /** Where the app's input handler finds the player's own reading of keys (a question's answer). */
  readonly keysRef?: RefObject<PlayerKeys | null>;
  /** The exercises that go with this lesson, for the end's next step. */
  readonly exercises?: readonly ExerciseStep[];
  /** The learner answered a beat's question (kept in the progress file). */
  readonly onAnswered?: (beat: BeatView, answer: number, verdict: AnswerVerdict) => void;
  /** Presenter mode (--present): the narration large and first, only the panes the beat is about. */
  readonly present?: boolean;
}

export interface ExerciseStep {
  readonly id: string;
  readonly title: string;
  readonly passed: boolean;
}

/** A question being asked: the beat it comes before, and what is typed so far. */
interface Asking {
  readonly beat: BeatView;
  readonly typed: string;
}

/** The most lines the pause note may take from the narration. */
const PAUSE_NOTE_MAX_LINES = 12;

export function LessonPlayer(props: LessonPlayerProps) {
  const { live, sources, auto, cols, rows, inputRef, present = false } = props;
  const session = live.session;
  const lesson = session.lesson;
  const [steps, setStepsState] = useState(() => initialSteps(auto));
  // The cursor and the question as the latest key left them: keys that come
  // together (a paste, "\r\r") each meet what the one before did, not the
  // last render's state.
  const stepsNow = useRef(steps);
  const setSteps = (next: StepState | ((s: StepState) => StepState)) => {
    stepsNow.current = typeof next === "function" ? next(stepsNow.current) : next;
    setStepsState(stepsNow.current);
  };
  const [scroll, setScroll] = useState(0);
  const [showTimeline, setShowTimeline] = useState(false);
  /** Enter on the newest beat while the run goes on: move on when the next beat comes. */
  const [pendingNext, setPendingNext] = useState(false);
  /** The question before a beat, while it is asked. */
  const [asking, setAskingState] = useState<Asking | null>(null);
  const askingNow = useRef(asking);
  const setAsking = (next: Asking | null) => {
    askingNow.current = next;
    setAskingState(next);
  };
  /** Each beat's answer this run (null: skipped), by beat index: a new run asks again. */
  const [answers, setAnswers] = useState<ReadonlyMap<number, AnswerVerdict | null>>(() => new Map());
  // A restart is a new run: the narration starts again. Reset while rendering
  // the new run, not in an effect: React runs a pending effect before the
  // next key's update, so an effect's reset (at mount too) undid a key
  // pressed the moment the lesson appeared.
  const [run, setRun] = useState(live.attempt);
  if (run !== live.attempt) {
    setRun(live.attempt);
    setSteps(initialSteps(auto));
    setScroll(0);
    setPendingNext(false);
    setAsking(null);
    setAnswers(new Map());
  }

  const entries = narrationEntries(session);
  // Once the run is over, one more step past the last beat: the end, its summary.
  const count = entries.length + (session.ended !== null ? 1 : 0);
  const index = currentIndex(steps, count);
  const atEnd = session.ended !== null && index === entries.length;
  const entry = index >= 0 && index < entries.length ? entries[index] : undefined;
  /**
   * The next beat's question, if it is still to be asked: never with --auto
   * (nobody is there to answer), nor in presenter mode (a clicker cannot type
   * an answer: the class is asked aloud), nor where no keys reach the player's
   * own input.
   */
  const questionBefore = (at: number): BeatView | null => {
    const upcoming = entries[at + 1];
    if (auto || present || !props.keysRef || upcoming?.kind !== "beat" || !upcoming.beat.question) return null;
    return answers.has(upcoming.beat.index) ? null : upcoming.beat;
  };
  useEffect(() => {
    if (pendingNext && index + 1 < count) {
      setPendingNext(false);
      const beat = questionBefore(currentIndex(stepsNow.current, count));
      if (beat) setAsking({ beat, typed: "" });
      else setSteps((s) => stepNext(s, count, auto));
    }
  }, [pendingNext, count]);

  // Behind the live edge, the panes as they were at the beat's fact.
  const liveEdge = index === -1 || atEnd || (session.ended === null && index === entries.length - 1);
  const momentT = !liveEdge && entry?.kind === "beat" ? entry.beat.t : null;
  const moment = useMemo(() => {
    if (momentT === null) return null;
    const m = momentAt(session.history, session.lanes, momentT);
    return { ...m, lanes: m.lanes.map(safeLane) };
  }, [session.history, momentT]);
  const view = moment ??
    {
      t: session.now,
      lanes: session.lanes,
      sockets: session.sockets,
      counters: session.counters,
      totals: session.totals,
    };
  // A replay says what it is first (the introduction's notes), then what was done to the recorded run.
  const replayNotes = live.replay
    ? [live.replay.label.long, ...live.replay.notes.map((n) => `The recorded run: ${n}.`)]
    : [];
  const notes = [...replayNotes, ...(session.probe?.notes ?? [])];
  const finished = session.ended !== null && entries.length === lesson.beats.length &&
    seenWith(steps, entries.length) >= entries.length;
  useEffect(() => {
    if (finished) props.onFinished();
  }, [finished]);

  const programs = view.lanes.map((l) => l.name);
  const mode0 = playerLayout(cols, rows, programs.length, 0);
  const exited = view.lanes.filter((l) => l.status === "exited").map((l) => l.name);
  const gaugeData = {
    sockets: view.sockets,
    counters: view.counters,
    totals: view.totals,
    programs,
    exited,
  };
  const gaugeCount = gaugeLines(gaugeData, "full", inner(mode0.gauges).width).length;
  const layout = playerLayout(cols, rows, programs.length, gaugeCount);
  const narrationInner = inner(layout.narration);
  const pauseLines = live.paused
    ? Math.min(
      PAUSE_NOTE_MAX_LINES,
      pausedLines(session, narrationInner.width).length,
      Math.max(0, narrationInner.height - 4),
    )
    : 0;

  /** The learner's answer (null: skipped): kept, and the beat told with it. */
  const answer = (beat: BeatView, value: number | null) => {
    const verdict = value === null ? null : answerVerdict(beat.question!, value, beat.fact);
    setAnswers((m) => new Map(m).set(beat.index, verdict));
    if (value !== null && verdict !== null) props.onAnswered?.(beat, value, verdict);
    setAsking(null);
    setScroll(0);
    // Moving on from the beat before the question lets the programs its holds keep go on.
    const before = entries[currentIndex(stepsNow.current, count)];
    if (before?.kind === "beat") props.onPassed(before.beat.index);
    setSteps((s) => stepNext(s, count, auto));
  };

  // While a question is asked, its keys are read here before any binding.
  if (props.keysRef) {
    props.keysRef.current = (input, key) => {
      const asking = askingNow.current;
      if (asking === null) return false;
      const q = asking.beat.question!;
      if (key.escape) {
        answer(asking.beat, null);
        return true;
      }
      if (q.choices !== null) {
        const n = parseAnswer(q, input);
        if (n !== null) answer(asking.beat, n);
        // Enter and Space pick nothing: a choice is its number.
        return n !== null || key.return || input === " ";
      }
      if (key.return) {
        const n = parseAnswer(q, asking.typed);
        if (n !== null) answer(asking.beat, n);
        return true;
      }
      const typed = key.backspace || key.delete
        ? asking.typed.slice(0, -1)
        : /^[0-9.,]$/.test(input) && asking.typed.length < 12
        ? asking.typed + input
        : null;
      if (typed !== null) setAsking({ ...asking, typed });
      return typed !== null || input === " ";
    };
  }

  // Set on every render, so the next key always meets this render's state.
  inputRef.current = (action) => {
    // Asked: other keys (help, timeline, back, the menu) still work; moving on waits for the answer.
    if (askingNow.current !== null && action === "next") return;
    switch (action) {
      case "next": {
        setScroll(0);
        const at = currentIndex(stepsNow.current, count);
        const beat = questionBefore(at);
        if (beat) return setAsking({ beat, typed: "" });
        if (entry?.kind === "beat") props.onPassed(entry.beat.index);
        // The newest beat, the run going on: its holds released, the next beat comes by itself.
        if (index === count - 1 && session.ended === null && live.phase === "running") setPendingNext(true);
        return setSteps((s) => stepNext(s, count, auto));
      }
      case "back":
        setScroll(0);
        setPendingNext(false);
        if (askingNow.current !== null) return setAsking(null); // back from the question to the beat it follows
        return setSteps((s) => stepBack(s, count));
      case "timeline":
        return setShowTimeline((shown) => !shown);
      case "holds":
        return props.onToggleHolds();
      case "nextLesson":
        if (session.ended !== null && props.next !== null) props.onNextLesson();
        return;
      case "scrollDown": {
        const total = present
          ? presenterText(lesson, entry, notes, presenterNarrationWidth(cols)).text.length
          : narrationTextLength(lesson, entry, notes, narrationInner.width, answers);
        return setScroll((n) => Math.min(n + 1, Math.max(0, total - 1)));
      }
      case "scrollUp":
        return setScroll((n) => Math.max(0, n - 1));
      case "pause":
        if (live.phase === "running") props.onPause(!live.paused);
        return;
      case "restart":
        if (live.phase !== "starting") props.onRestart();
        return;
    }
  };

  const where = index === -1 ? "introduction" : atEnd ? "the end" : `beat ${index + 1} of ${lesson.beats.length}`;
  const position = momentT !== null ? `${where} · at ${formatMs(momentT)}, recorded` : where;
  const cited = entry?.kind === "beat" ? entry.beat : null;
  const beatsTold = entries.flatMap((e) => (e.kind === "beat" ? [e.beat] : []));
  if (present) {
    const held = live.replay ? [] : session.lanes.filter((l) => l.held !== null).map((l) => l.name);
    const spec = entry ? lesson.beats[entry.beat.index] : undefined;
    const focus = atEnd ? NARRATION_ONLY : presenterFocus(spec, cited, lesson.programs.map((p) => p.name));
    return (
      <Box flexDirection="column" width={cols} height={layout.rows} overflow="hidden">
        <PresenterHeader
          live={live}
          position={where}
          moment={momentT !== null ? `recorded at ${formatMs(momentT)}` : null}
          width={cols}
        />
        {showTimeline
          ? <TimelineView session={session} beats={beatsTold} width={cols} height={layout.rows - 2} />
          : (
            <PresenterView
              session={session}
              lesson={lesson}
              view={view}
              momentT={momentT}
              focus={focus}
              text={presenterText(lesson, entry, notes, presenterNarrationWidth(cols), live.problems)}
              status={narrationStatus(lesson, entries, index, session.ended, auto, held, capabilities(session))}
              sources={sources}
              error={live.error}
              atEnd={atEnd}
              next={props.next}
              replay={live.replay !== null && live.replay !== undefined}
              scroll={scroll}
              cols={cols}
              rows={rows}
            />
          )}
        <Footer screen="presenter" width={cols} />
      </Box>
    );
  }
  const programPanes = view.lanes.map((lane, i) => {
    const pane = layout.programs[i];
    if (!pane) return null;
    const spec = lesson.programs.find((p) => p.name === lane.name);
    const source = sources.get(lane.name) ?? [];
    const line = lane.call?.line ?? null;
    const forMs = lane.call ? Math.max(0, view.t - lane.call.since) : null;
    const citedLine = cited !== null && cited.program === lane.name ? cited.line : null;
    const size = inner(pane);
    const codeLine = line !== null && (pane.codeLines === 0)
      ? (source[line - 1] ?? []).map((t) => t.text).join("")
      : null;
    // Output slots the program has not filled go to the code.
    const printed = lane.stdout.tail.length + (lane.stderr.tail.length > 0 ? 1 : 0);
    const outputLines = pane.codeLines > 0 ? Math.min(pane.outputLines, Math.max(1, printed)) : pane.outputLines;
    const codeLines = pane.codeLines + (pane.outputLines - outputLines);
    const laneHeight = size.height - codeLines;
    return (
      <Panel key={lane.name} pane={pane} title={laneTitle(lane, Math.max(0, size.width - 4))}>
        <ProgramLane
          lane={lane}
          spec={spec}
          probe={session.probe}
          now={view.t}
          width={size.width}
          height={laneHeight}
          outputLines={outputLines}
          named={pane.frame === "none"}
          codeLine={codeLine}
        />
        <CodePane
          lines={source}
          line={line}
          cited={citedLine}
          forMs={forMs}
          width={size.width}
          height={codeLines}
        />
      </Panel>
    );
  });

  const gaugesInner = inner(layout.gauges);
  const gauges = (
    <Panel
      pane={layout.gauges}
      title={momentT !== null ? `kernel: sockets · at ${formatMs(momentT)}` : "kernel: sockets"}
    >
      <SocketGauges data={gaugeData} width={gaugesInner.width} height={gaugesInner.height} />
    </Panel>
  );
  const narration = (
    <Panel pane={layout.narration} title="narration" note={auto ? "--auto" : "step mode"}>
      {live.error
        ? <RunError message={live.error.message} hint={live.error.hint} width={narrationInner.width} />
        : atEnd
        ? (
          <EndSummary
            session={session}
            next={props.next}
            exercises={props.exercises ?? []}
            replay={live.replay !== null && live.replay !== undefined}
            width={narrationInner.width}
            height={narrationInner.height}
          />
        )
        : asking !== null
        ? (
          <QuestionPrompt
            beat={asking.beat.index + 1}
            beats={lesson.beats.length}
            question={asking.beat.question!}
            typed={asking.typed}
            width={narrationInner.width}
            height={narrationInner.height}
          />
        )
        : (
          <Narration
            lesson={lesson}
            answers={answers}
            entries={entries}
            index={index}
            ended={session.ended}
            probeNotes={notes}
            problems={live.problems}
            auto={auto}
            held={live.replay ? [] : session.lanes.filter((l) => l.held !== null).map((l) => l.name)}
            caps={capabilities(session)}
            now={session.now}
            scroll={scroll}
            width={narrationInner.width}
            height={narrationInner.height}
            reserved={pauseLines}
          >
            {pauseLines > 0 ? <PausedNote session={session} width={narrationInner.width} height={pauseLines} /> : null}
          </Narration>
        )}
    </Panel>
  );

  return (
    <Box flexDirection="column" width={cols} height={layout.rows} overflow="hidden">
      <PlayerHeader live={live} position={position} width={cols} />
      {showTimeline
        ? <TimelineView session={session} beats={beatsTold} width={cols} height={layout.rows - 2} />
        : layout.mode === "wide"
        ? (
          <Box flexDirection="row" height={layout.rows - 2}>
            <Box flexDirection="column" width={layout.programsWidth}>{programPanes}</Box>
            <Box flexDirection="column" width={cols - layout.programsWidth}>
              {narration}
              {gauges}
            </Box>
          </Box>
        )
        : (
          <Box flexDirection="column" height={layout.rows - 2}>
            {programPanes}
            {gauges}
            {narration}
          </Box>
        )}
      <Footer
        screen="player"
        width={cols}
        labels={{ pause: live.paused ? "resume output" : "pause output" }}
      />
    </Box>
  );
}
