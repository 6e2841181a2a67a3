// The player in presenter mode, against sessions replayed from real recorded
// runs: the narration first, only the beat's panes with the marks, the
// clicker's keys, and every frame within 80x24 and 200x50.
import assert from "node:assert/strict";
import { cleanup } from "ink-testing-library";
import { afterEach, test } from "node:test";
import { useInput } from "ink";
import { useRef } from "react";
import { actionFor, type PlayerInput, splitKeys } from "../../src/ui/keys.ts";
import { LessonPlayer, type LessonPlayerProps } from "../../src/ui/LessonPlayer.tsx";
import type { LiveSnapshot } from "../../src/ui/live-run.ts";
import { loadSources } from "../../src/ui/sources.ts";
import { atFact, lessonById, replay } from "../helpers/recordings.ts";
import { App } from "../../src/ui/App.tsx";
import { Progress } from "../../src/ui/progress.ts";
import { UserError } from "../../src/runner/errors.ts";
import { frameLines, renderUi, snapshotOf, waitUntil } from "./ui-helpers.tsx";

afterEach(cleanup);

const noop = () => {};
const PAGE_DOWN = "\x1b[6~";
const PAGE_UP = "\x1b[5~";

/** The player in presenter mode with the app's keys for that screen. */
function Presenter(props: Omit<LessonPlayerProps, "inputRef">) {
  const ref = useRef<PlayerInput | null>(null);
  useInput((input, key) => {
    for (const k of splitKeys(input, key)) {
      const action = actionFor("presenter", k.input, k.key);
      if (action) ref.current?.(action);
    }
  });
  return <LessonPlayer {...props} inputRef={ref} />;
}

function show(live: LiveSnapshot, cols: number, rows: number) {
  return renderUi(
    <Presenter
      live={live}
      sources={loadSources(live.session.lesson)}
      auto={false}
      present
      cols={cols}
      rows={rows}
      onPause={noop}
      onRestart={noop}
      onPassed={noop}
      onToggleHolds={noop}
      next={null}
      onNextLesson={noop}
      onFinished={noop}
    />,
    { columns: cols },
  );
}

function fits(frame: string, cols: number, rows: number): void {
  const lines = frameLines(frame);
  assert.ok(lines.length <= rows - 1, `${lines.length} lines at ${cols}x${rows}:\n${frame}`);
  for (const line of lines) assert.ok(line.length <= cols, `wider than ${cols}: ${line}`);
}

for (const [cols, rows] of [[80, 24], [200, 50]] as const) {
  test(`${cols}x${rows}: PageDown and PageUp step; the narration first; only the beat's panes, marked`, async () => {
    const session = replay("blocking-send", "blocking-send");
    const ui = show(snapshotOf(session), cols, rows);
    await ui.waitForFrame((f) => frameLines(f)[0]!.includes("introduction"), "the introduction");
    fits(ui.frame(), cols, rows);
    // The introduction: the lesson's summary alone, no panes.
    assert.ok(!ui.frame().includes("block_client.py ·"), ui.frame());
    for (let i = 0; i < 5; i++) ui.stdin.write(PAGE_DOWN);
    const frame = await ui.waitForFrame((f) => frameLines(f)[0]!.includes("beat 5 of 12"), "beat 5");
    fits(frame, cols, rows);
    const lines = frameLines(frame);
    assert.match(lines[0]!, /^Blocking send\s/);
    // The narration comes first: its title right under the header (and a blank line on a tall screen).
    const titleRow = lines.findIndex((l) => l.includes("5/12 · The kernel puts the client to sleep"));
    assert.ok(titleRow >= 1 && lines.slice(1, titleRow).every((l) => l.trim() === ""), frame);
    if (rows < 36) assert.equal(titleRow, 1, "at 80x24 no row is spent above it");
    assert.ok(titleRow < lines.findIndex((l) => l.includes("▸ client")), "above the panes");
    assert.ok(frame.replace(/\s+/g, " ").includes("still on line 19. This is blocking I/O"), frame);
    // The client's pane, marked; its state as at the beat's fact; the cited line (the executing one) lit.
    assert.match(frame, /─ ▸ client · block_client\.py · pid \d+/);
    assert.match(frame, /◌ asleep in sendto/);
    // The cited line lit: the fixture was recorded before the knobs moved send() to a later line, and the
    // pane shows today's file, so the mark is checked on the line number the fact cites.
    assert.match(frame, /▶19 /);
    assert.ok(!/─ (▸ )?server · block_server\.py/.test(frame), "no server pane: the beat is about the client");
    assert.match(lines[0]!, /recorded at [\d.,]+ (ms|s)/, "behind the live edge: a recorded moment");
    // The footer: the clicker's keys.
    assert.match(lines.at(-1)!, /^PgDn(\/→\/↓\/Space\/Enter)? next · PgUp(\/←\/↑)? back · b(\/\.)? blank/);

    ui.stdin.write(PAGE_DOWN);
    const queue = await ui.waitForFrame((f) => frameLines(f)[0]!.includes("beat 6 of 12"), "beat 6");
    fits(queue, cols, rows);
    assert.match(queue, /─ ▸ kernel: sockets · at /);
    // The client's socket marked ▸, the others not.
    const marked = frameLines(queue).filter((l) => /▸ {1,3}(client fd|send q|recv q|client)/.test(l));
    assert.ok(marked.some((l) => /client fd 3|client send q/.test(l)), queue);
    assert.ok(!frameLines(queue).some((l) => /▸ server fd/.test(l)), queue);

    ui.stdin.write(PAGE_UP);
    await ui.waitForFrame((f) => frameLines(f)[0]!.includes("beat 5 of 12"), "back to beat 5");
    ui.stdin.write("\x1b[A"); // ↑ goes back too
    await ui.waitForFrame((f) => frameLines(f)[0]!.includes("beat 4 of 12"), "back to beat 4");
    ui.stdin.write(" "); // Space, as a clicker may send
    await ui.waitForFrame((f) => frameLines(f)[0]!.includes("beat 5 of 12"), "forward with Space");
  });
}

test("the end of the transfer: the counters marked, no lane", async () => {
  const session = replay("blocking-send", "blocking-send");
  const ui = show(snapshotOf(session), 80, 24);
  const at = session.beats.findIndex((b) => b.fact === "transfer.ended");
  ui.stdin.write(PAGE_DOWN.repeat(at + 1));
  const frame = await ui.waitForFrame((f) => frameLines(f)[0]!.includes(`beat ${at + 1} of 12`), "transfer.ended");
  fits(frame, 80, 24);
  assert.match(frame, /▸ +(intended|delivered)/);
  assert.ok(!frame.includes("block_client.py ·") && !frame.includes("block_server.py ·"), frame);
});

test("the end: the summary alone, saying PgUp goes back (b blanks in presenter mode)", async () => {
  const session = replay("blocking-send", "blocking-send");
  const ui = show(snapshotOf(session), 80, 24);
  ui.stdin.write(PAGE_DOWN.repeat(session.lesson.beats.length + 1));
  const frame = await ui.waitForFrame((f) => frameLines(f)[0]!.includes("the end"), "the end");
  fits(frame, 80, 24);
  assert.match(frame, /What this run measured/);
  assert.match(frame.replace(/\s+/g, " "), /PgUp: back through the beats/);
  assert.doesNotMatch(frame, /\bb: back/);
  assert.ok(!frame.includes("block_client.py ·"), "no panes at the end");
});

test("a beat's show: chooses the panes; the marks still follow its fact", async () => {
  const session = replay("blocking-send", "blocking-send");
  // Beat 5 (the client asleep in send()) told with the server's lane and the sockets instead of the client's code.
  const beats = session.lesson.beats.map((b, i) => (i === 4 ? { ...b, show: ["server", "sockets"] } : b));
  const ui = show(snapshotOf({ ...session, lesson: { ...session.lesson, beats } }), 80, 24);
  ui.stdin.write(PAGE_DOWN.repeat(5));
  const frame = await ui.waitForFrame((f) => frameLines(f)[0]!.includes("beat 5 of 12"), "beat 5");
  fits(frame, 80, 24);
  assert.match(
    frame,
    /─ server · block_server\.py · pid \d+/,
    "the server's lane, not marked: the beat is about the client",
  );
  assert.doesNotMatch(frame, /block_client\.py ·/);
  assert.match(frame, /─ ▸ kernel: sockets/);
  assert.ok(frameLines(frame).some((l) => /▸ +(client fd 3|client send q)/.test(l)), frame);
});

test("a problem the run reported is said above the narration's status", async () => {
  const session = replay("blocking-send", "blocking-send");
  const problem = "server did not stop when asked (SIGTERM): killed (SIGKILL) after 700 ms";
  const ui = show(snapshotOf(session, { problems: ["an older one", problem] }), 80, 24);
  ui.stdin.write(PAGE_DOWN.repeat(2));
  const frame = await ui.waitForFrame((f) => frameLines(f)[0]!.includes("beat 2 of 12"), "beat 2");
  fits(frame, 80, 24);
  const lines = frameLines(frame);
  const at = lines.findIndex((l) => l.includes(`! ${problem}`.slice(0, 60)));
  assert.ok(at > 0 && /Enter\/Space: next beat/.test(lines[at + 1]!), frame);
  assert.ok(!frame.includes("an older one"));
});

test("on the live edge of a running lesson the panes are live: no recorded moment in the header", async () => {
  const midway = replay("blocking-send", "blocking-send", atFact("send.called"));
  const ui = show(snapshotOf(midway), 80, 24);
  ui.stdin.write(PAGE_DOWN.repeat(midway.beats.length));
  const frame = await ui.waitForFrame(
    (f) => frameLines(f)[0]!.includes(`beat ${midway.beats.length} of 12`),
    "the newest beat",
  );
  assert.doesNotMatch(frameLines(frame)[0]!, /recorded at/);
  assert.match(frame, /waiting for the client's send\(\) to block/);
  fits(frame, 80, 24);
});

test("app: b and . blank the screen, any key shows it again on the same screen; ? explains presenter mode", async () => {
  const lesson = lessonById("blocking-send");
  const exits: number[] = [];
  const ui = renderUi(
    <App
      lessons={[lesson]}
      lessonWarnings={[]}
      progress={Progress.inMemory()}
      holds={{ kind: "step" }}
      initial={lesson}
      auto={false}
      present
      // No Python here: the lesson says why in the narration's place, and no program runs.
      preparer={() => Promise.reject(new UserError("Python was not found.", "Install Python 3.8 or newer."))}
      loadSources={loadSources}
      onExit={(code) => exits.push(code)}
    />,
  );
  const shown = await ui.waitForFrame((f) => f.includes("The lesson could not run"), "the lesson's screen");
  assert.match(frameLines(shown).at(-1)!, /b(\/\.)? blank/);
  for (const blank of ["b", "."]) {
    ui.stdin.write(blank);
    await ui.waitForFrame((f) => f.trim() === "", `blanked by ${JSON.stringify(blank)}`);
    ui.stdin.write(blank === "b" ? "x" : "\x1b[6~");
    const back = await ui.waitForFrame((f) => f.includes("The lesson could not run"), "shown again");
    assert.equal(back, shown, "the same screen, the key only restored it");
  }
  ui.stdin.write("?");
  const help = await ui.waitForFrame((f) => f.includes("Keys in presenter mode"), "the help");
  assert.match(help, /PgDn\/→\/↓\/Space\/Enter +Show the next beat/);
  assert.match(help, /b\/\. +Blank the screen/);
  ui.stdin.write("x");
  await ui.waitForFrame((f) => f.includes("The lesson could not run"), "help closed");
  ui.stdin.write("b");
  await ui.waitForFrame((f) => f.trim() === "", "blanked");
  ui.stdin.write("\x03");
  await waitUntil(() => exits.length > 0, "the app's exit");
  assert.deepEqual(exits, [130], "Ctrl-C quits from a blank screen");
});
