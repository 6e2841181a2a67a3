// Presenter mode (--present) in a real pseudo-terminal at the sizes a
// projector has: 80x24 (huge fonts) and 200x50. A clicker's PageDown and
// PageUp step through blocking-send (the beat number moves both ways), b
// and . blank the screen and any key brings the same beat back, the beat's
// pane is marked and what to look at lit (read from the terminal's cell
// attributes, not only its text), and Ctrl-C leaves nothing running.
import assert from "node:assert/strict";
import { test } from "node:test";
import { groupMembers, processGone } from "../helpers/cli.ts";
import { BLOCKING_SEND_LINE, lessonLine } from "../helpers/lesson-lines.ts";
import { KEY, type Screen, screensForTests, shownPids } from "./pty.ts";

const open = screensForTests("socket-lessons-present-");

/** What xterm sends for PageDown and PageUp (CSI 6 ~, CSI 5 ~), as a clicker's buttons do. */
const PAGE_DOWN = "\x1b[6~";
const PAGE_UP = "\x1b[5~";

/** "beat 5 of 12", "introduction" or "the end", from the header (the first line). */
function position(screen: Screen): string {
  return /(introduction|the end|beat \d+ of \d+)/.exec(screen.lines()[0] ?? "")?.[1] ?? "";
}

function beatNumber(screen: Screen): number {
  const p = position(screen);
  return p === "introduction" ? 0 : Number(/beat (\d+)/.exec(p)?.[1] ?? Number.NaN);
}

/** Presses `key` once the narration says a next beat may be shown, and waits for the header to move. */
async function pageDown(screen: Screen, pids: Set<number>): Promise<void> {
  await screen.waitFor((t) => /Enter\/Space: /.test(t), "the narration ready for the next beat", 30_000);
  const before = position(screen);
  screen.press(PAGE_DOWN);
  await screen.waitFor(() => position(screen) !== before, `a step from ${before}`, 30_000);
  for (const pid of shownPids(screen.text())) pids.add(pid);
}

/** Whether the cell at (x, y) is lit: inverse, or on a background colour. */
function lit(screen: Screen, y: number, x: number): boolean {
  const cell = screen.term.buffer.active.getLine(screen.term.buffer.active.viewportY + y)?.getCell(x);
  assert.ok(cell, `a cell at ${x},${y}`);
  return cell.isInverse() !== 0 || !cell.isBgDefault();
}

function bold(screen: Screen, y: number, x: number): boolean {
  return screen.term.buffer.active.getLine(screen.term.buffer.active.viewportY + y)?.getCell(x)?.isBold() !== 0;
}

for (const [cols, rows] of [[80, 24], [200, 50]] as const) {
  test(`--present at ${cols}x${rows}: PageDown and PageUp step, b and . blank and restore, the beat's pane lit`, async () => {
    const screen = open({ cols, rows, args: ["blocking-send", "--present"] });
    const pids = new Set<number>();
    await screen.waitFor((t) => position(screen) === "introduction" && /● running/.test(t), "the introduction");
    const intro = screen.lines();
    assert.match(intro[0]!, /^Blocking send\s/, "the header: the lesson's title, big and plain");
    // The footer, on the frame's last row (the screen's last is left spare, as in every layout).
    assert.equal(intro.at(-1), "");
    assert.match(intro.at(-2)!, /PgDn(\/→\/↓\/Space\/Enter)? next · PgUp(\/←\/↑)? back · b(\/\.)? blank/);
    for (const line of intro) assert.ok(line.length <= cols, line);

    // PageDown to the client asleep in send() (beat 5: its hold keeps the server from reading).
    while (beatNumber(screen) < 5) await pageDown(screen, pids);
    assert.equal(beatNumber(screen), 5);
    let text = await screen.waitForText(/◌ asleep in sendto/, 30_000);
    assert.match(text, /5\/12 · The kernel puts the client to sleep/);
    const lines = screen.lines();
    // The narration comes first, right under the header.
    const titleRow = lines.findIndex((l) => l.includes("5/12 · The kernel puts the client to sleep"));
    assert.ok(titleRow >= 1 && lines.slice(1, titleRow).every((l) => l.trim() === ""), `the title on row ${titleRow}`);
    assert.ok(bold(screen, titleRow, lines[titleRow]!.indexOf("5/12")), "the title in bold");
    // Only the client's pane, marked ▸; its state line and the line the beat cites lit.
    assert.match(text, /─ ▸ client · block_client\.py · pid \d+/);
    assert.doesNotMatch(text, /─ (▸ )?server · block_server\.py/);
    const stateRow = lines.findIndex((l) => l.includes("◌ asleep in sendto"));
    assert.ok(lit(screen, stateRow, lines[stateRow]!.indexOf("asleep")), `the state line lit: ${lines[stateRow]}`);
    const codeRow = lines.findIndex((l) => l.includes(`${BLOCKING_SEND_LINE} assert sock.send(data)`));
    assert.ok(codeRow > stateRow, text);
    assert.ok(
      lit(screen, codeRow, lines[codeRow]!.indexOf("assert")),
      `line ${BLOCKING_SEND_LINE} lit: ${lines[codeRow]}`,
    );
    // A line the beat does not cite is not.
    const setblocking = lessonLine("blocking-send", "block_client.py", "sock.setblocking(1)");
    const other = lines.findIndex((l) => l.includes(`${setblocking} sock.setblocking(1)`));
    if (other >= 0) assert.ok(!lit(screen, other, lines[other]!.indexOf("sock")), lines[other]);
    for (const line of lines) assert.ok(line.length <= cols, line);

    // PageUp goes back a beat, PageDown forward again.
    screen.press(PAGE_UP);
    await screen.waitFor(() => beatNumber(screen) === 4, "PageUp to beat 4");
    assert.match(screen.text(), /4\/12 · One send\(\) with all the data/);
    screen.press(PAGE_DOWN);
    await screen.waitFor(() => beatNumber(screen) === 5, "PageDown to beat 5");

    // b blanks the screen: nothing of the lesson on it; any key (b again) brings the same beat back.
    screen.press("b");
    await screen.waitFor((t) => t.trim() === "", "a blank screen");
    screen.press("b");
    text = await screen.waitFor((t) => t.includes("5/12 · The kernel puts the client to sleep"), "the beat back");
    assert.equal(beatNumber(screen), 5);
    // . blanks too; PageDown on a blank screen only restores it (the class sees the beat it left).
    screen.press(".");
    await screen.waitFor((t) => t.trim() === "", "a blank screen (.)");
    screen.press(PAGE_DOWN);
    await screen.waitFor((t) => t.includes("5/12 · The kernel puts the client to sleep"), "the beat back (.)");
    assert.equal(beatNumber(screen), 5);

    // Ctrl-C: the app exits and every program it started is gone.
    for (const pid of shownPids(screen.text())) pids.add(pid);
    assert.ok(pids.size >= 2, `server and client pids seen: ${[...pids]}`);
    screen.press(KEY.ctrlC);
    assert.equal(await screen.exited, 130);
    for (const pid of pids) {
      assert.ok(processGone(pid), `pid ${pid} still runs`);
      assert.deepEqual(groupMembers(pid), [], `pid ${pid}'s group`);
    }
  });
}

test("--present with NO_COLOR at 80x24: what to look at is still lit (inverse) and marked (▸, ▶ or ›)", async () => {
  const screen = open({ cols: 80, rows: 24, args: ["blocking-send", "--present"], env: { NO_COLOR: "1" } });
  const pids = new Set<number>();
  await screen.waitFor((t) => position(screen) === "introduction" && /● running/.test(t), "the introduction");
  while (beatNumber(screen) < 5) await pageDown(screen, pids);
  await screen.waitForText(/◌ asleep in sendto/, 30_000);
  const lines = screen.lines();
  const stateRow = lines.findIndex((l) => l.includes("◌ asleep in sendto"));
  const codeRow = lines.findIndex((l) => new RegExp(`[▶›]${BLOCKING_SEND_LINE} assert sock\\.send\\(data\\)`).test(l));
  assert.ok(codeRow > stateRow && stateRow > 0, screen.text());
  assert.match(screen.text(), /─ ▸ client · block_client\.py/);
  assert.ok(lit(screen, stateRow, lines[stateRow]!.indexOf("asleep")), lines[stateRow]);
  assert.ok(lit(screen, codeRow, lines[codeRow]!.indexOf("assert")), lines[codeRow]);
  for (const pid of shownPids(screen.text())) pids.add(pid);
  screen.press(KEY.ctrlC);
  assert.equal(await screen.exited, 130);
  for (const pid of pids) assert.ok(processGone(pid), `pid ${pid} still runs`);
});
