// Presenter mode's screen below the header: the narration first and large,
// then only the panes the beat is about (presenter-focus.ts), with what to
// look at marked: the program's state line lit, the cited line of code lit
// and marked ›, the socket's gauge rows marked ▸ (all of it also without
// colours: inverse and the marks are not colours). Behind the live edge the
// panes are the moment the player hands over (the run as it was at the
// beat's fact), exactly as in the player.
import { Box } from "ink";
import type { Lesson } from "../lessons/schema.ts";
import type { Moment } from "../session/history.ts";
import type { SessionState } from "../session/session.ts";
import { BlankLine } from "./BlankLine.tsx";
import { CodePane } from "./CodePane.tsx";
import { EndSummary } from "./EndSummary.tsx";
import type { NarrationStatus } from "./Narration.tsx";
import { Panel } from "./Panel.tsx";
import { focusPrograms, type PresenterFocus } from "./presenter-focus.ts";
import {
  PANE_GAP_COLS,
  type PaneWant,
  type PresenterLayout,
  presenterLayout,
  presenterMargin,
  ROOMY_MIN_ROWS,
} from "./presenter-layout.ts";
import { PresenterNarration, presenterNarrationHeight, type PresenterText } from "./PresenterNarration.tsx";
import { laneTitle, ProgramLane } from "./ProgramLane.tsx";
import { RunError } from "./RunError.tsx";
import { COUNTERS, type GaugeData, gaugeLines, SocketGauges } from "./SocketGauges.tsx";
import type { Token } from "./syntax.ts";
import { formatMs } from "../report/format.ts";

/** The mark before the title of the pane the beat is about. */
export const PANE_MARK = "▸ ";

export interface PresenterViewProps {
  readonly session: SessionState;
  readonly lesson: Lesson;
  /** The panes' run: the live one, or the moment of a beat behind the live edge. */
  readonly view: Moment;
  /** Set behind the live edge: the panes are the run as it was then. */
  readonly momentT: number | null;
  readonly focus: PresenterFocus;
  readonly text: PresenterText;
  readonly status: NarrationStatus;
  readonly sources: ReadonlyMap<string, readonly (readonly Token[])[]>;
  readonly error: { readonly message: string; readonly hint: string | null } | null;
  /** Past the last beat: the lesson's end summary in the narration's place. */
  readonly atEnd: boolean;
  readonly next: string | null;
  readonly replay: boolean;
  readonly scroll: number;
  readonly cols: number;
  readonly rows: number;
}

/** What the panes of this focus want, in order: the programs', then the sockets'. */
export function paneWants(
  focus: PresenterFocus,
  lesson: Lesson,
  sources: ReadonlyMap<string, readonly unknown[]>,
  socketLines: number,
): PaneWant[] {
  const programs = lesson.programs.map((p) => p.name);
  const wants: PaneWant[] = focusPrograms(focus, programs).map((name) => ({
    kind: "program",
    name,
    lane: focus.lanes.includes(name),
    code: focus.code.includes(name),
    sourceLines: sources.get(name)?.length ?? 0,
  }));
  if (focus.sockets) wants.push({ kind: "sockets", lines: socketLines });
  return wants;
}

/**
 * The layout, and whether the narration's lines are set apart: on a tall
 * screen, when they all fit that way beside the panes.
 */
export function presenterScreen(
  cols: number,
  rows: number,
  text: PresenterText,
  wants: readonly PaneWant[],
): { layout: PresenterLayout; spaced: boolean } {
  if (rows >= ROOMY_MIN_ROWS) {
    const spaced = presenterLayout(cols, rows, presenterNarrationHeight(text, true), wants);
    if (spaced.narration.height >= presenterNarrationHeight(text, true)) return { layout: spaced, spaced: true };
  }
  return { layout: presenterLayout(cols, rows, presenterNarrationHeight(text, false), wants), spaced: false };
}

export function PresenterView(props: PresenterViewProps) {
  const { session, lesson, view, momentT, focus, text, sources, cols, rows } = props;
  const programs = lesson.programs.map((p) => p.name);
  const exited = view.lanes.filter((l) => l.status === "exited").map((l) => l.name);
  const gaugeData: GaugeData = {
    sockets: view.sockets,
    counters: view.counters,
    totals: view.totals,
    programs,
    exited,
  };
  // The narration alone when there is only it to read: an error, the end.
  const alone = props.error !== null || props.atEnd;
  const paneWidth = cols - 2 * presenterMargin(cols);
  const socketLines = (paneCols: number) =>
    focus.sockets ? gaugeLines(gaugeData, "full", paneCols - PANE_MARK.length).length : 0;
  const screenFor = (lines: number) =>
    presenterScreen(cols, rows, text, alone ? [] : paneWants(focus, lesson, sources, lines));
  let { layout, spaced } = screenFor(socketLines(paneWidth));
  // Side by side, the sockets pane is narrower than the screen: its rows wrap differently (the counters split).
  const narrower = layout.panes.find((p) => p.kind === "sockets" && p.width < paneWidth);
  if (narrower) ({ layout, spaced } = screenFor(socketLines(narrower.width)));
  const width = layout.narration.width;
  const height = layout.narration.height;
  const narration = props.error
    ? <RunError message={props.error.message} hint={props.error.hint} width={width} />
    : props.atEnd
    ? (
      <EndSummary
        session={session}
        next={props.next}
        replay={props.replay}
        back="PgUp"
        width={width}
        height={height}
      />
    )
    : (
      <PresenterNarration
        text={text}
        status={props.status}
        spaced={spaced}
        now={session.now}
        scroll={props.scroll}
        width={width}
        height={height}
      />
    );

  const panes = layout.panes.map((pane) => {
    if (pane.kind === "sockets") {
      const title = momentT !== null ? `kernel: sockets · at ${formatMs(momentT)}` : "kernel: sockets";
      const marked = focus.counters || focus.socket !== null;
      return (
        <Panel key="sockets" pane={{ ...pane, frame: "rule" }} title={`${marked ? PANE_MARK : ""}${title}`}>
          <SocketGauges
            data={gaugeData}
            width={pane.width}
            height={pane.height - 1}
            focus={focus.counters ? COUNTERS : focus.socket ? `${focus.socket.program}|${focus.socket.fd}` : null}
          />
        </Panel>
      );
    }
    const lane = view.lanes.find((l) => l.name === pane.name);
    if (!lane) return null;
    const marked = focus.program === lane.name;
    const source = sources.get(lane.name) ?? [];
    const line = lane.call?.line ?? null;
    // No code pane: the lane's call line quotes the executing line instead.
    const codeLine = line !== null && pane.codeLines === 0
      ? (source[line - 1] ?? []).map((t) => t.text).join("")
      : null;
    return (
      <Panel
        key={lane.name}
        pane={{ width: pane.width, height: pane.height, frame: "rule" }}
        title={`${marked ? PANE_MARK : ""}${laneTitle(lane, Math.max(0, pane.width - 6))}`}
      >
        <ProgramLane
          lane={lane}
          spec={lesson.programs.find((p) => p.name === lane.name)}
          probe={session.probe}
          now={view.t}
          width={pane.width}
          height={pane.laneLines}
          outputLines={pane.laneLines >= 2 ? 1 : 0}
          named={false}
          codeLine={codeLine}
          marked={marked}
        />
        <CodePane
          lines={source}
          line={line}
          cited={marked ? focus.line : null}
          strong
          forMs={lane.call ? Math.max(0, view.t - lane.call.since) : null}
          width={pane.width}
          height={pane.codeLines}
        />
      </Panel>
    );
  });

  const gap = (key: string) => (layout.spacing > 0 ? <BlankLine key={key} /> : null);
  return (
    <Box flexDirection="column" width={cols} height={layout.rows - 2} overflow="hidden">
      {layout.top > 0 ? <Box height={layout.top} /> : null}
      <Box flexDirection="column" marginLeft={layout.margin} width={width} height={height} overflow="hidden">
        {narration}
      </Box>
      {layout.direction === "row"
        ? (
          <>
            {gap("below")}
            <Box flexDirection="row" marginLeft={layout.margin} gap={PANE_GAP_COLS}>{panes}</Box>
          </>
        )
        : panes.map((p, i) => (
          <Box key={i} flexDirection="column" marginLeft={layout.margin}>
            {gap(`g${i}`)}
            {p}
          </Box>
        ))}
    </Box>
  );
}
