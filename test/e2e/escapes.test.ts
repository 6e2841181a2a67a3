// A lesson whose text, source and output try to take over the terminal
// (window title, clipboard, links, clearing, raw C0 and C1), played in a real
// pty: the terminal obeys none of it, the learner sees it as text, and wide
// and combining characters keep every border in its column.
import { Unicode11Addon } from "@xterm/addon-unicode11";
import assert from "node:assert/strict";
import { test } from "node:test";
import { makeHostileLessons } from "../helpers/hostile-lessons.ts";
import { KEY, type Screen, screensForTests } from "./pty.ts";

const open = screensForTests("socket-lessons-escapes-");

interface Watch {
  readonly titles: string[];
  readonly osc: number[];
  raw: string;
}

/**
 * What the terminal was asked to do: title changes, and every OSC it was
 * sent (52 clipboard, 8 link, 0/1/2 title). Modern widths (Unicode 11, as
 * terminals of today measure emoji) before the app draws anything.
 */
function watch(screen: Screen): Watch {
  const seen: Watch = { titles: [], osc: [], raw: "" };
  screen.term.loadAddon(new Unicode11Addon());
  screen.term.unicode.activeVersion = "11";
  screen.term.onTitleChange((title) => seen.titles.push(title));
  for (const code of [0, 1, 2, 4, 7, 8, 10, 11, 52, 104, 112]) {
    screen.term.parser.registerOscHandler(code, () => {
      seen.osc.push(code);
      return true;
    });
  }
  screen.pty.onData((data) => (seen.raw += data));
  return seen;
}

/** The character drawn in each cell of a row (a wide character's second cell is ""). */
function cells(screen: Screen, row: number): string[] {
  const line = screen.term.buffer.active.getLine(screen.term.buffer.active.viewportY + row)!;
  return Array.from({ length: screen.term.cols }, (_, x) => line.getCell(x)?.getChars() ?? "");
}

/** The narration pane's text (the right column, top pane) as one line. */
function narration(screen: Screen): string {
  const left = cells(screen, 1).indexOf("╭", 1);
  const out: string[] = [];
  for (let row = 2; row < screen.term.rows; row++) {
    const line = cells(screen, row);
    if (line[left] !== "│") break;
    out.push(line.slice(left + 1, -1).join(""));
  }
  return out.join(" ").replace(/\s+/g, " ");
}

/** Every row of the player's frame has its pane borders in the same columns as the top row. */
function assertBordersAligned(screen: Screen): void {
  const top = cells(screen, 1);
  const columns = top.flatMap((ch, x) => ("╭╮".includes(ch) && ch !== "" ? [x] : []));
  assert.ok(columns.length >= 4, `two panes side by side on row 1: ${top.join("")}`);
  const bottom = screen.lines().findLastIndex((l) => l.startsWith("╰"));
  assert.ok(bottom > 1, "the frame's bottom border");
  for (let row = 1; row <= bottom; row++) {
    const line = cells(screen, row);
    for (const x of columns) {
      assert.ok(
        "│╭╮╰╯".includes(line[x]!) && line[x] !== "",
        `row ${row}, column ${x}: "${line[x]}"\n${screen.text()}`,
      );
    }
  }
}

test("a hostile lesson: no title change, no clipboard write, no link, all shown as text, borders aligned", async () => {
  const dir = makeHostileLessons();
  const screen = open({ args: ["--lessons", dir] });
  const seen = watch(screen);

  let text = await screen.waitFor((t) => t.includes("▸ 1. Hostile") && t.includes("Ctrl-C quit"), "the menu");
  assert.match(text, /▸ 1\. Hostile \\x1b\]0;PWNED-TITLE\\x07 text \\x1b\[31m中文 e\u0301\\x1b\[0m +not started/);
  assert.ok(text.includes("Summary \\x1b]52;c;UFdORUQ=\\x07 \\x9b2J \\x1b]2;PWNED-SUMMARY\\x07 end"));
  assert.ok(text.includes("broken\\x1b]0;PWNED-ID\\x07/lesson.yaml:1: summary: missing"));
  // The title has wide and combining characters: "not started" still ends in the last column.
  const titleRow = screen.lines().findIndex((l) => l.includes("▸ 1. Hostile"));
  const lastDrawn = cells(screen, titleRow).findLastIndex((ch) => ch.trim() !== "");
  assert.equal(lastDrawn, screen.term.cols - 1, screen.lines()[titleRow]);

  screen.press(KEY.enter);
  await screen.waitFor((t) => t.includes("Enter/Space: the first beat"), "the first beat ready");
  screen.press(KEY.enter);
  await screen.waitFor((t) => t.includes("1/2 · Beat \\x1b]0;PWNED-BEAT\\x07 title"), "beat 1");
  const beat1 = narration(screen);
  assert.ok(beat1.includes("\\x1b]8;;http://example.com/\\x1b\\link\\x1b]8;;\\x1b\\"), beat1);
  assert.ok(beat1.includes("\\x1bPq#0;PWNED-DCS\\x1b\\ end of beat one"), beat1);

  // Beat 2 (the program's exit, the newest beat once the run is over) shows the run as it ended.
  await screen.waitForText("■ lesson over");
  screen.press(KEY.enter);
  // The lane: the last lines the program printed on stdout and stderr; the code pane: its source.
  text = await screen.waitFor((t) => t.includes("2/2 · ") && t.includes("✗ exited with code 3"), "beat 2, the end");
  assert.match(text, /› \\x1b\]52;c;UFdORUQ=\\x07 clipboard 中文 😀 e\u0301/);
  assert.match(text, /› stderr: \\x1b\]52;c;UFdORUQ=\\x07 clipboard 中文 😀 e\u0301/);
  assert.match(text, / 1 # A program that prints what a terminal would obey\./);
  assert.match(text, / 2 # C1 in the source: \\x9b31m \\x9d0;PWNED-SOURCE-C1\\x9c;/);
  assert.match(text, / 8 marker = "\\x1b\]52;c;UFdORUQtU09VUkNF\\x07"/);
  assertBordersAligned(screen);
  const stderr = narration(screen);
  assert.ok(stderr.includes("\\x1b[2J\\x1b[H\\x1b[31mred\\x1b[0m csi"), stderr);
  assert.ok(stderr.includes("c0 \\x01\\x08\\x7f c1 \\x9b31m\\x9d0;PWNED-ERR-C1\\x9c cr\\rover"), stderr);

  screen.press(KEY.ctrlC);
  assert.equal(await screen.exited, 130);
  assert.deepEqual(seen.titles, [], "the window title was never set");
  assert.deepEqual(seen.osc, [], "no OSC reached the terminal: no clipboard write (52), no link (8)");
  // Nothing the lesson sent is in the byte stream: no OSC or DCS introducer, BEL, DEL or C1.
  // deno-lint-ignore no-control-regex
  const found = /\x1b\]|\x1bP|[\x07\x7f\x80-\x9f]/.exec(seen.raw);
  assert.equal(found, null, `a control sequence reached the terminal at ${found?.index}`);
});
