// While the learner has paused reading the programs' output (p): what the
// kernel shows about each program and each send queue right now. Only what
// the session holds; the explanation says what "p" does, nothing more.
import { Text } from "ink";
import type { ProgramSpec } from "../lessons/schema.ts";
import { formatSize } from "../report/format.ts";
import type { Lane, SessionState } from "../session/session.ts";
import { laneStatus } from "./ProgramLane.tsx";
import { sortedSockets } from "./SocketGauges.tsx";
import { wrapWords } from "./text.ts";
import { useTheme } from "./theme.ts";

export const PAUSE_EXPLANATION = "Output paused (p resumes): socket-lessons is not reading the programs' output, " +
  "so a program that prints blocks in write() once its pipe is full.";

export interface NoteLine {
  readonly text: string;
  readonly headline: boolean;
}

/** The note's lines, most important first. */
export function pausedLines(session: SessionState, width: number): NoteLine[] {
  const out: NoteLine[] = wrapWords(`⏸ ${PAUSE_EXPLANATION}`, width).map((text) => ({ text, headline: true }));
  const lines: string[] = [];
  const specs = new Map<string, ProgramSpec>(session.lesson.programs.map((p) => [p.name, p]));
  for (const lane of session.lanes) {
    if (lane.status !== "running") continue;
    lines.push(...wrapWords(`${lane.name}: ${laneWords(lane, specs.get(lane.name), session)}`, width));
  }
  for (const s of sortedSockets(session.sockets, session.lanes.map((l) => l.name))) {
    if (s.sndq === undefined || s.sndbuf === undefined || s.sndq === 0) continue;
    const share = Math.round((100 * s.sndq) / s.sndbuf);
    // Sizes, as the gauges show queues (SocketGauges.tsx says why).
    lines.push(
      ...wrapWords(
        `${s.program} fd ${s.fd} send queue: ${formatSize(s.sndq)} of ${formatSize(s.sndbuf)} (${share} %)`,
        width,
      ),
    );
  }
  return [...out, ...lines.map((text) => ({ text, headline: false }))];
}

function laneWords(lane: Lane, spec: ProgramSpec | undefined, session: SessionState): string {
  const status = laneStatus(lane, spec, session.probe, session.now).text;
  return lane.call
    ? `${status}; its ${lane.call.call}() call${lane.call.line ? ` on line ${lane.call.line}` : ""} has not returned`
    : status;
}

export function PausedNote({ session, width, height }: { session: SessionState; width: number; height: number }) {
  const theme = useTheme();
  const lines = pausedLines(session, width).slice(0, Math.max(0, height));
  return (
    <>
      {lines.map((line, i) => (
        <Text key={i} wrap="truncate" color={line.headline ? theme.warn : undefined} bold={line.headline}>
          {line.text}
        </Text>
      ))}
    </>
  );
}
