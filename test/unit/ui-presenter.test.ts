// Presenter mode's pure parts: which panes a beat gets (its show:, or its
// fact's), what in them is marked, and where everything goes at the sizes a
// projector has (80x24 with huge fonts, 200x50): never taller or wider than
// the screen.
import assert from "node:assert/strict";
import { test } from "node:test";
import { frameRows } from "../../src/ui/layout.ts";
import { NARRATION_ONLY, presenterFocus } from "../../src/ui/presenter-focus.ts";
import {
  NARRATION_MAX_WIDTH,
  type PaneWant,
  type PresenterLayout,
  presenterLayout,
  presenterMargin,
} from "../../src/ui/presenter-layout.ts";
import { lessonById, replay } from "../helpers/recordings.ts";

const session = replay("blocking-send", "blocking-send");
const lesson = session.lesson;
const PROGRAMS = ["server", "client"];
/** The lesson's beat and the beat as the recorded run told it, by fact (and program). */
function beat(fact: string, program?: string) {
  const told = session.beats.find((b) => b.fact === fact && (program === undefined || b.program === program));
  assert.ok(told, `${fact} told in the recording`);
  return { spec: lesson.beats[told.index]!, told };
}

test("a call's beat: that program's lane and code, the cited line marked", () => {
  const { spec, told } = beat("send.blocked", "client");
  const focus = presenterFocus(spec, told, PROGRAMS);
  assert.deepEqual(
    { lanes: focus.lanes, code: focus.code, sockets: focus.sockets, program: focus.program, line: focus.line },
    { lanes: ["client"], code: ["client"], sockets: false, program: "client", line: 19 },
  );
  assert.equal(focus.from, "fact");
});

test("a queue's beat: the program's lane and the sockets pane, its socket marked", () => {
  const { spec, told } = beat("sendq.filled", "client");
  const focus = presenterFocus(spec, told, PROGRAMS);
  assert.deepEqual(focus.lanes, ["client"]);
  assert.deepEqual(focus.code, []);
  assert.equal(focus.sockets, true);
  assert.deepEqual(focus.socket, { program: "client", fd: told.fd });
  assert.equal(focus.counters, false);
});

test("the end of a transfer: the sockets pane with its counters marked, no lane", () => {
  const { spec, told } = beat("transfer.ended");
  const focus = presenterFocus(spec, told, PROGRAMS);
  assert.deepEqual([focus.lanes, focus.code, focus.sockets, focus.counters], [[], [], true, true]);
  assert.equal(focus.socket, null);
});

test("a program's start shows its lane and code; its exit, its lane", () => {
  const started = beat("program.started", "server");
  const exited = beat("program.exited", "client");
  const a = presenterFocus(started.spec, started.told, PROGRAMS);
  const b = presenterFocus(exited.spec, exited.told, PROGRAMS);
  assert.deepEqual([a.lanes, a.code], [["server"], ["server"]]);
  assert.deepEqual([b.lanes, b.code, b.sockets], [["client"], [], false]);
});

test("show: overrides the fact's panes; the fact still says what to mark", () => {
  const { spec, told } = beat("send.blocked", "client");
  const both = presenterFocus({ ...spec, show: ["sockets", "client", "server"] }, told, PROGRAMS);
  assert.deepEqual([both.lanes, both.code, both.sockets], [["server", "client"], [], true]);
  assert.deepEqual([both.program, both.line, both.socket], ["client", 19, { program: "client", fd: 3 }]);
  assert.equal(both.from, "show");
  // code alone: the source of the program the beat is about.
  const code = presenterFocus({ ...spec, show: ["code"] }, told, PROGRAMS);
  assert.deepEqual([code.lanes, code.code], [[], ["client"]]);
  const named = presenterFocus({ ...spec, show: ["server", "code"] }, told, PROGRAMS);
  assert.deepEqual([named.lanes, named.code], [["server"], ["server"]]);
  const none = presenterFocus({ ...spec, show: [] }, told, PROGRAMS);
  assert.deepEqual([none.lanes, none.code, none.sockets], [[], [], false]);
});

test("a beat never observed here: the lane of its program, nothing marked in code; the introduction: narration only", () => {
  const { spec } = beat("send.blocked", "client");
  const focus = presenterFocus(spec, null, PROGRAMS);
  assert.deepEqual([focus.lanes, focus.code, focus.line, focus.socket], [["client"], [], null, null]);
  assert.deepEqual(presenterFocus(undefined, null, PROGRAMS), NARRATION_ONLY);
});

test("every shipped lesson's beats get panes of that lesson's programs", () => {
  for (const id of ["blocking-send", "non-blocking-send", "cancel-connect", "select-writable", "timeouts"]) {
    const l = lessonById(id);
    const names = l.programs.map((p) => p.name);
    const s = replay(id, id);
    for (const told of s.beats) {
      const focus = presenterFocus(l.beats[told.index], told, names);
      for (const p of [...focus.lanes, ...focus.code]) assert.ok(names.includes(p), `${id} beat ${told.index}: ${p}`);
      const shown = focus.lanes.length + focus.code.length + (focus.sockets ? 1 : 0);
      assert.ok(shown > 0, `${id} beat ${told.index + 1} (${told.fact}) shows something besides the narration`);
    }
  }
});

/** Rows the frame takes: header, the blank rows above, narration, each pane with its blank row above, footer. */
function usedRows(layout: PresenterLayout): number {
  const panes = layout.direction === "row"
    ? (layout.panes.length > 0 ? layout.spacing + Math.max(...layout.panes.map((p) => p.height)) : 0)
    : layout.panes.reduce((n, p) => n + layout.spacing + p.height, 0);
  return 2 + layout.top + layout.narration.height + panes;
}

const CLIENT: PaneWant = { kind: "program", name: "client", lane: true, code: true, sourceLines: 19 };
const SERVER_LANE: PaneWant = { kind: "program", name: "server", lane: true, code: false, sourceLines: 24 };
const SOCKETS: PaneWant = { kind: "sockets", lines: 9 };

test("every size fits: at most rows - 1 lines, nothing wider than the screen", () => {
  const sizes = [[80, 24], [200, 50], [60, 20], [100, 30], [120, 40], [80, 16], [140, 30], [250, 70]] as const;
  const cases: PaneWant[][] = [[], [CLIENT], [CLIENT, SOCKETS], [SERVER_LANE, CLIENT, SOCKETS], [SOCKETS]];
  for (const [cols, rows] of sizes) {
    for (const wants of cases) {
      for (const narration of [4, 9, 14, 40]) {
        const layout = presenterLayout(cols, rows, narration, wants);
        const what = `${cols}x${rows}, ${wants.length} panes, narration ${narration}`;
        assert.ok(usedRows(layout) <= frameRows(rows), `${what}: ${usedRows(layout)} rows`);
        assert.ok(layout.narration.width + layout.margin <= cols, what);
        const across = layout.direction === "row"
          ? layout.panes.reduce((n, p) => n + p.width, 0) + 2 * (layout.panes.length - 1)
          : Math.max(0, ...layout.panes.map((p) => p.width));
        assert.ok(layout.margin + across <= cols - layout.margin, `${what}: ${across} columns`);
        for (const p of layout.panes) {
          if (p.kind === "program") assert.equal(p.height, 1 + p.laneLines + p.codeLines, what);
        }
      }
    }
  }
});

test("80x24: the narration gets what it asks for, the program its lane and several lines of code", () => {
  const layout = presenterLayout(80, 24, 9, [CLIENT]);
  assert.equal(layout.margin, 1);
  assert.equal(layout.spacing, 0);
  assert.equal(layout.narration.height, 9);
  assert.equal(layout.narration.width, 78);
  const [pane] = layout.panes;
  assert.ok(pane?.kind === "program" && pane.laneLines === 3 && pane.codeLines >= 6, JSON.stringify(pane));
});

test("80x24: a long narration gives way to the panes down to its minimum, and no further", () => {
  const layout = presenterLayout(80, 24, 30, [SERVER_LANE, CLIENT, SOCKETS]);
  assert.ok(layout.narration.height >= 7, `${layout.narration.height}`);
  assert.ok(layout.panes.length >= 2, JSON.stringify(layout.panes));
  assert.ok(usedRows(layout) <= 23);
});

test("200x50: wide margins, the text at a readable width, the panes side by side with blank lines around", () => {
  const layout = presenterLayout(200, 50, 12, [CLIENT, SOCKETS]);
  assert.equal(layout.margin, presenterMargin(200));
  assert.ok(layout.margin >= 6);
  assert.equal(layout.narration.width, NARRATION_MAX_WIDTH);
  assert.equal(layout.spacing, 1);
  assert.equal(layout.direction, "row");
  assert.equal(layout.narration.height, 12);
  assert.ok(layout.panes.every((p) => p.width >= 80), JSON.stringify(layout.panes));
});

test("narration alone: it has the whole screen", () => {
  const layout = presenterLayout(80, 24, 5, []);
  assert.equal(layout.narration.height, 23 - 2);
  assert.deepEqual(layout.panes, []);
});
