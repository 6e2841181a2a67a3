// The built app (dist/cli.js) in a real pseudo-terminal, read through a
// headless xterm: what a learner sees, key by key. `npm test` builds first.
import { BLOCKING_SEND_LINE } from "../helpers/lesson-lines.ts";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { appendFileSync, cpSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { test } from "node:test";
import { defaultLessonsDir, loadLessons } from "../../src/lessons/load.ts";
import type { Lesson } from "../../src/lessons/schema.ts";
import type { TemplatePart } from "../../src/lessons/template.ts";
import { helpLines, MORE_ABOVE, MORE_BELOW } from "../../src/ui/HelpOverlay.tsx";
import { bindingsFor } from "../../src/ui/keys.ts";
import { formatSize } from "../../src/report/format.ts";
import { playerLayout } from "../../src/ui/layout.ts";
import { menuOrder } from "../../src/ui/menu-groups.ts";
import { tempDir } from "../helpers/temp-dir.ts";
import { KEY, Screen, screensForTests, shownPids } from "./pty.ts";

const lessons = loadLessons(defaultLessonsDir()).lessons;
const blocking = lessons.find((l) => l.id === "blocking-send")!;
const open = screensForTests("socket-lessons-e2e-");

const flat = (text: string) => text.replace(/\s+/g, " ").trim();

/** The narration pane's text in the wide layout (right column, above the gauges), as one line. */
function narration(screen: Screen): string {
  const width = playerLayout(screen.term.cols, screen.term.rows, 2, 0).programsWidth;
  const out: string[] = [];
  for (const line of screen.lines().slice(2)) {
    if (line.includes("kernel: sockets")) break;
    out.push(line.slice(width + 1, -1));
  }
  return flat(out.join(" "));
}

/** The beat's text as a pattern: its literal words exactly, each placeholder a measured value. */
function beatPattern(lesson: Lesson, index: number): RegExp {
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  // No knob is set here: a knob's section reads as its {else} part.
  const pattern = (parts: readonly TemplatePart[]): string =>
    parts.map((part) =>
      part.kind === "text"
        ? escape(part.text).replace(/\s+/g, "\\s+")
        : part.kind === "if"
        ? pattern(part.otherwise)
        : "(\\S(?:.*?\\S)?)"
    ).join("");
  const source = pattern(lesson.beats[index]!.template);
  return new RegExp(source.replace(/^(\\s\+)+|(\\s\+)+$/g, ""));
}

test("menu at 120x40, blocking-send step by step to the end, then done in the menu", async () => {
  // Its own progress, read back below: the answer to the lesson's question is kept there.
  const config = tempDir("sl-cfg-");
  const screen = open({ env: { XDG_CONFIG_HOME: config } });
  let text = await screen.waitFor((t) => t.includes("▸ 1. Blocking send") && t.includes("Ctrl-C quit"), "the menu");
  for (const [i, lesson] of lessons.entries()) {
    const title = lesson.title.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); // "Wait in select(), ..."
    assert.match(text, new RegExp(`${i === 0 ? "▸" : " "} ${i + 1}\\. ${title} +not started`));
    assert.ok(flat(text).includes(lesson.summary), lesson.summary);
  }
  assert.match(text, /↑↓\/jk move · Enter start · q quit · \? help · Ctrl-C quit/);

  screen.press(KEY.enter);
  text = await screen.waitFor((t) => /introduction · ● running/.test(t), "the lesson running");
  assert.match(text, /socket-lessons › Blocking send +port \d+ · /);
  assert.ok(narration(screen).includes(flat(blocking.summary)));

  const n = blocking.beats.length;
  const values: Record<string, string[]> = {};
  const answered: Record<number, string> = {};
  for (const [i, beat] of blocking.beats.entries()) {
    // Step mode: the next beat waits until its fact has arrived, then for Enter.
    await screen.waitFor(
      (t) => /Enter\/Space: (the first beat|next beat|go on)/.test(t),
      `beat ${i + 1} ready`,
      20_000,
    );
    screen.press(i % 2 === 0 ? KEY.enter : KEY.space);
    if (beat.ask) {
      // Predict, then observe: the question first; the beat waits for the answer.
      await screen.waitFor(() => narration(screen).startsWith(`Before beat ${i + 1}/${n}: predict`), "the question");
      assert.ok(narration(screen).includes(flat(beat.ask.question)));
      screen.press("100");
      screen.press(KEY.enter);
    }
    await screen.waitFor(
      () => narration(screen).startsWith(`${i + 1}/${n} · ${beat.title}`),
      `beat ${i + 1}: ${beat.title}`,
    );
    text = screen.text();
    assert.match(text, new RegExp(`beat ${i + 1} of ${n}`));
    const match = beatPattern(blocking, i).exec(narration(screen));
    assert.ok(match, `beat ${i + 1}'s whole text, no word cut:\n${beatPattern(blocking, i)}\n${narration(screen)}`);
    values[beat.title!] = match.slice(1);
    if (beat.ask) {
      // The measured answer is the beat's own number of sleeps (its fifth placeholder) and time (its first).
      const [ms, , , , sleeps] = match.slice(1);
      assert.ok(
        narration(screen).includes(`You guessed 100. Measured: ${sleeps} times, in ${ms}`),
        narration(screen),
      );
      answered[i] = `${sleeps} times, in ${ms}`;
    }
  }
  // The numbers in the narration are the ones the panes show.
  const [serverPid, clientPid] = shownPids(screen.text());
  assert.equal(values["The server starts"]![0], String(serverPid));
  assert.equal(values["The client starts"]![0], String(clientPid));
  assert.deepEqual(values["The kernel puts the client to sleep"]!.slice(0, 1), ["sendto"]);

  text = await screen.waitFor((t) => /Lesson over after/.test(t), "the end of the lesson");
  assert.match(narration(screen), /Lesson over after [\d.]+ s\. Enter\/Space: the summary · r restart/);
  assert.match(text, /› All Data Received/);
  assert.match(text, /delivered by recv\(\) 136,314,880 B/);
  assert.match(text, /✓ exited with code 0/);
  assert.match(text, /■ lesson over/);

  screen.press("q");
  text = await screen.waitForText("✓ done");
  assert.match(text, /▸ 1\. Blocking send +✓ done/);
  assert.match(text, / 2\. Non-blocking send +not started/);
  screen.press("q");
  assert.equal(await screen.exited, 0);
  assert.equal(screen.term.buffer.active.type, "normal", "the alternate screen was left");
  const kept = JSON.parse(readFileSync(join(config, "socket-lessons", "progress.json"), "utf8")).answers;
  assert.deepEqual(
    Object.fromEntries(Object.entries(kept["blocking-send"]).map(([beat, a]) => [beat, { ...(a as object), at: "" }])),
    Object.fromEntries(
      Object.entries(answered).map(([beat, measured]) => [beat, { answer: 100, right: null, measured, at: "" }]),
    ),
  );
});

// "Full" as the kernel counts it: send() blocks when the queued buffers, with
// their per-packet overhead, reach SO_SNDBUF; SIOCOUTQ (what the gauge shows)
// counts payload only, so a blocked sender's gauge reads 70-99 % of SO_SNDBUF.
const NEAR_FULL_PERCENT = 60;

test("p pauses reading the output: the client falls asleep in sendto with its send queue full; p resumes", async () => {
  // --auto: no holds, so what stops the server is the pause, not the lesson.
  const screen = open({ args: ["blocking-send", "--auto"] });
  await screen.waitForText(`in send() · line ${BLOCKING_SEND_LINE}`, 20_000);
  screen.press("p");
  await screen.waitForText("⏸ output paused");
  const text = await screen.waitFor(
    () => {
      const note = narration(screen);
      const queue = /client fd \d+ send queue: [\d.]+ [KM]?i?B of [\d.]+ [KM]?i?B \((\d+) %\)/.exec(note);
      // The server blocks writing once its unread output fills the pipe; the
      // client once the queues between them are full: both, whichever first.
      return /server: asleep in write · wchan \S+/.test(note) && /client: asleep in sendto/.test(note) &&
        queue !== null && Number(queue[1]) >= NEAR_FULL_PERCENT;
    },
    "the server asleep in write, the client asleep in sendto with a full send queue",
    15_000,
  );
  assert.match(text, /◌ asleep in sendto · wchan \S+/);
  // The client's send-queue gauge, drawn near full.
  const lines = screen.lines();
  const header = lines.findIndex((l) => /client fd \d+ · ESTABLISHED/.test(l));
  const gauge = /send q(?:ueue)? +▕(█*)(░*)▏/.exec(lines[header + 1] ?? "");
  assert.ok(gauge, lines.slice(header, header + 3).join("\n"));
  assert.ok(gauge[1]!.length / (gauge[1]!.length + gauge[2]!.length) >= NEAR_FULL_PERCENT / 100 - 0.1, gauge[0]);
  assert.match(text, /p resume output/);

  screen.press("p");
  await screen.waitForText("● running");
  await screen.waitForText("› All Data Received", 30_000);
  await screen.waitForText("■ lesson over");
  assert.match(screen.text(), /delivered by recv\(\) 136,314,880 B/);
  screen.press(KEY.esc);
  await screen.waitForText("▸ 1. Blocking send");
  screen.press(KEY.ctrlC);
  assert.equal(await screen.exited, 130);
});

/** Words as the app could have cut them: every maximal run of letters, digits, _ and '. */
function words(text: string): Set<string> {
  return new Set(text.match(/[A-Za-z0-9_']+/g) ?? []);
}

function checkFits(screen: Screen, vocabulary: Set<string>, beatText: string): void {
  const { cols, rows } = screen.term;
  const buffer = screen.term.buffer.active;
  for (let y = 0; y < rows; y++) {
    assert.equal(buffer.getLine(y)?.isWrapped, false, `line ${y} overflowed at ${cols}x${rows}:\n${screen.text()}`);
  }
  const lines = screen.lines();
  assert.equal(lines[rows - 1], "", "the last row stays free");
  for (const line of lines) {
    for (const token of line.split(/[\s│╭╮╰╯─▕▏]+/)) {
      if (!token.endsWith("…")) continue;
      // The programs print bytes reprs: "\n" there is an escape, not part of a word.
      const word = /[A-Za-z0-9_']*$/.exec(token.slice(0, -1).replace(/\\[nrt0]/g, " "))![0];
      assert.ok(
        word === "" || vocabulary.has(word),
        `"${token}" is cut inside a word at ${cols}x${rows}:\n${screen.text()}`,
      );
    }
  }
  // The narration's lines are whole-word pieces of the beat's text.
  const start = lines.findIndex((l) => /^─ narration/.test(l));
  assert.ok(start >= 0, screen.text());
  const body = ` ${flat(beatText)} `;
  for (const line of lines.slice(start + 2)) {
    if (/Enter\/Space|waiting for|^⏎|^Lesson over/.test(line.trim()) || line.trim() === "") break;
    const piece = flat(line.replace(/↓ j\/↓ more$/, ""));
    assert.ok(
      body.includes(` ${piece} `),
      `narration line "${piece}" is not a whole-word piece of the beat at ${cols}x${rows}`,
    );
  }
}

test("resizing to 70x24 and 50x16 re-lays out; nothing overflows, no word is cut", async () => {
  const screen = open({ args: ["blocking-send"] });
  await screen.waitForText("introduction");
  for (let i = 0; i < 4; i++) {
    await screen.waitFor(
      (t) => /Enter\/Space: (the first beat|next beat|go on)/.test(t),
      `beat ${i + 1} ready`,
      20_000,
    );
    screen.press(KEY.enter);
    await screen.waitFor(() => narration(screen).startsWith(`${i + 1}/`), `beat ${i + 1}`);
  }
  const shown = beatPattern(blocking, 3).exec(narration(screen));
  assert.ok(shown, `beat 4 in full:\n${narration(screen)}`);
  const beatText = shown[0];
  const sources = blocking.programs.map((p) => readFileSync(p.file, "utf8")).join("\n");
  const lessonText = readFileSync(blocking.file, "utf8");
  const vocabulary = words(`${screen.text()}\n${sources}\n${lessonText}`);

  screen.resize(70, 24);
  await screen.waitFor((t) => /^─ narration/m.test(t) && /^─ server/m.test(t), "the stacked layout");
  checkFits(screen, vocabulary, beatText);
  assert.match(screen.text(), /^─ client · block_client\.py · pid \d+/m);

  screen.resize(50, 16);
  await screen.waitFor((t) => /^server \d+ /m.test(t) && /^client \d+ /m.test(t), "the compact layout");
  checkFits(screen, vocabulary, beatText);
  assert.match(screen.text(), /^client send q +▕/m);

  screen.resize(120, 40);
  await screen.waitFor(() => narration(screen).startsWith("4/"), "the wide layout again, on the same beat");
  screen.press(KEY.ctrlC);
  assert.equal(await screen.exited, 130);
});

/** The stacked layout's narration pane (below its "─ narration" rule): its lines, trailing spaces trimmed. */
function stackedNarration(screen: Screen): string[] {
  const lines = screen.lines();
  const rule = lines.findIndex((l) => /^─ narration/.test(l));
  assert.ok(rule >= 0, screen.text());
  return lines.slice(rule + 1, -2);
}

test("80x24: keys sent in one write act one by one: jj and kk in the menu, jj scrolls, two spaces, two Enters and bb step two beats, kq", async () => {
  const screen = open({ cols: 80, rows: 24 });
  await screen.waitForText("▸ 1. Blocking send");
  screen.press("jj");
  await screen.waitForText("▸ 3. Cancel a connect");
  screen.press("kk");
  await screen.waitForText("▸ 1. Blocking send");
  screen.press(KEY.enter);
  await screen.waitFor((t) => /introduction/.test(t) && /^─ narration/m.test(t), "the lesson's introduction");
  // The introduction is longer than the pane: jj scrolls it by two lines.
  const before = stackedNarration(screen);
  const [title, first, second, third] = before;
  assert.match(title!, /^Blocking send/);
  screen.press("jj");
  await screen.waitFor(() => stackedNarration(screen)[1] === third, `the text two lines down ("${third}" first)`);
  assert.match(stackedNarration(screen)[0]!, /↑ k\/↑$/);
  screen.press("k");
  await screen.waitFor(() => stackedNarration(screen)[1] === second, "one line back up");
  assert.notEqual(first, second);

  const n = blocking.beats.length;
  await screen.waitFor(
    (t) => Number(/the first beat \((\d+) ready\)/.exec(t)?.[1] ?? 0) >= 4,
    "four beats ready",
    20_000,
  );
  const onBeat = (i: number) => () =>
    stackedNarration(screen)[0]!.startsWith(`${i}/${n} · ${blocking.beats[i - 1]!.title}`);
  screen.press("  ");
  await screen.waitFor(onBeat(2), "two spaces: beat 2");
  screen.press("\r\r");
  await screen.waitFor(onBeat(4), "two Enters: beat 4");
  screen.press("bb");
  await screen.waitFor(onBeat(2), "bb: back to beat 2");
  screen.press("kq");
  await screen.waitForText("▸ 1. Blocking send");
  screen.press(KEY.ctrlC);
  assert.equal(await screen.exited, 130);
});

/** Scrolls the help to its end with j, one line a press; every line shown on the way. */
async function wholeHelp(screen: Screen): Promise<string[]> {
  const seen: string[] = [];
  for (let presses = 0; presses < 200; presses++) {
    const lines = screen.lines();
    seen.push(...lines);
    if (!lines.some((l) => l.trim() === MORE_BELOW)) return seen;
    const body = lines.slice(2).join("\n");
    screen.press("j");
    await screen.waitFor(() => screen.lines().slice(2).join("\n") !== body, "the help scrolled");
  }
  throw new Error(`the help never ended:\n${screen.text()}`);
}

for (const [cols, rows] of [[80, 24], [40, 12]] as const) {
  test(`${cols}x${rows}: the help scrolls (j/k, a "more" mark) so every binding's line can be reached, in the menu and in a lesson`, async () => {
    const screen = open({ cols, rows });
    await screen.waitForText("1. Blocking send");
    for (const where of ["menu", "player"] as const) {
      screen.press("?");
      await screen.waitForText(where === "menu" ? "Keys in the menu" : "Keys in a lesson");
      const seen = await wholeHelp(screen);
      for (const b of bindingsFor(where).filter((b) => b.action !== "close")) {
        const first = b.help.split(" ")[0]!;
        assert.ok(
          seen.some((l) => l.startsWith(b.keys) && l.slice(b.keys.length).trimStart().startsWith(first)),
          `${where}: the line of ${b.keys} (${b.help}) at ${cols}x${rows}`,
        );
      }
      const last = helpLines(where, false, cols).lines.at(-1)!.text;
      assert.ok(seen.includes(last), `${where}: the help's last line, "${last}", at ${cols}x${rows}`);
      for (const line of seen) assert.ok(line.length <= cols, line);
      // k scrolls back: the heading says there is more above until the top.
      if (seen.some((l) => l.endsWith(MORE_ABOVE))) {
        screen.press("k");
        await screen.waitForText(MORE_BELOW);
      }
      screen.press("x"); // any other key closes it
      await screen.waitFor((t) => !t.includes("socket-lessons · help"), "the help closed");
      if (where === "menu") {
        screen.press(KEY.enter);
        await screen.waitForText(/introduction|beat \d/);
      }
    }
    screen.press(KEY.ctrlC);
    assert.equal(await screen.exited, 130);
  });
}

for (const [cols, rows] of [[80, 24], [100, 30]] as const) {
  test(`${cols}x${rows}: cancel-connect's lanes show each program's latest output, as it is printed`, async () => {
    // Its own progress: the lesson opened last is the menu's selection in the tests after this one.
    // --auto: no holds (the lesson holds the stopper before connect_ex() in step mode); the lanes are the test.
    const screen = open({
      cols,
      rows,
      args: ["cancel-connect", "--auto"],
      env: { XDG_CONFIG_HOME: tempDir("sl-cfg-") },
    });
    // The stopper flushes what it prints: its first line shows while it still waits in select(), not at its exit.
    const early = await screen.waitFor((t) => t.includes("› connect_ex returned"), "the stopper's first line", 20_000);
    const lines = early.split("\n");
    const at = lines.findIndex((l) => l.includes("› connect_ex returned"));
    const lane = lines.slice(lines.findIndex((l) => /stopper · stop_button_client\.py/.test(l)), at).join("\n");
    assert.doesNotMatch(lane, /[✓■✗] (exited|stopped|killed)/, `the stopper is still running:\n${early}`);
    assert.match(lane, /in select\(\)/, `the stopper waits in select():\n${early}`);
    const end = await screen.waitFor(
      (t) => /■ lesson over/.test(t) && t.includes("› Stop! Gave up after 2.0 s"),
      "the end, with the stopper's last line",
      20_000,
    );
    assert.match(end, /› Connecting\.\.\./);
    assert.match(end, /› Listening on \d+/);
    assert.match(end, /■ stopped at the lesson's end \(SIGTERM\)/);
    assert.doesNotMatch(end, /✓ ended by/);
    screen.press(KEY.ctrlC);
    assert.equal(await screen.exited, 130);
  });
}

/**
 * A lessons folder with more lessons than 80x24 shows at once: the shipped
 * ones (part The tutorial), two written ones in "Beyond the tutorial" and
 * two without a part.
 */
function manyLessons(): string {
  const root = tempDir("sl-menu-");
  cpSync(defaultLessonsDir(), root, { recursive: true });
  const written = fileURLToPath(new URL("../fixtures/lessons-written/", import.meta.url));
  for (
    const [id, part] of [["recv-blocked", "Beyond the tutorial"], ["accept-wait", null], [
      "select-send",
      "Beyond the tutorial",
    ], ["recv-timeout", null]] as const
  ) {
    cpSync(join(written, id), join(root, id), { recursive: true });
    if (part) appendFileSync(join(root, id, "lesson.yaml"), `part: ${part}\n`);
  }
  return root;
}

test("80x24: the menu groups lessons by part, in order, the ones without a part last; j reaches every one", async () => {
  const dir = manyLessons();
  const expected = menuOrder(loadLessons(dir).lessons);
  assert.equal(expected.length, loadLessons(defaultLessonsDir()).lessons.length + 4, "the shipped ones and 4 more");
  assert.deepEqual([...new Set(expected.map((l) => l.part))], ["The tutorial", "Beyond the tutorial", null]);
  const screen = open({ cols: 80, rows: 24, args: ["--lessons", dir], env: { XDG_CONFIG_HOME: tempDir("sl-cfg-") } });
  await screen.waitForText("▸ 1. Blocking send");
  for (const [i, lesson] of expected.entries()) {
    if (i > 0) screen.press("j");
    const text = await screen.waitFor(
      (t) => new RegExp(`^▸ ${i + 1}\\. ${lesson.title.replace(/[()]/g, "\\$&")} +not started$`, "m").test(t),
      `lesson ${i + 1}, ${lesson.title}, selected and shown`,
    );
    const lines = text.split("\n");
    const at = lines.findIndex((l) => l.startsWith(`▸ ${i + 1}. `));
    // Its part's heading above it (kept on top when scrolled); the lessons without a part have none.
    const headings = lines.slice(0, at).filter((l) => /^(The tutorial|Beyond the tutorial)$/.test(l));
    if (lesson.part) assert.equal(headings.at(-1), lesson.part, `${lesson.title} under ${lesson.part}:\n${text}`);
    if (expected[i - 1]?.part !== lesson.part) {
      // The first of a group: right under its heading, or (no part) under a blank line only.
      assert.equal(lines[at - 1], lesson.part ?? "", `above ${lesson.title}:\n${text}`);
    }
    for (const line of lines) assert.ok(line.length <= 80);
  }
  screen.press("q");
  assert.equal(await screen.exited, 0);
});

// deno-lint-ignore no-control-regex
const COLOUR = /\x1b\[(?:[0-9;]*;)?(?:3[0-8]|9[0-7]|4[0-8]|10[0-7])(?:;[0-9;]*)?m/;

test("NO_COLOR and --no-color: no colour codes at all; the executing line still marked ▶", async () => {
  const menu = open({ env: { NO_COLOR: "1" } });
  await menu.waitFor((t) => t.includes("▸ 1. Blocking send") && t.includes("Ctrl-C quit"), "the menu");
  assert.doesNotMatch(menu.raw, COLOUR);
  menu.press("q");
  assert.equal(await menu.exited, 0);

  const player = open({ args: ["blocking-send", "--no-color"] });
  await player.waitForText(`▶${BLOCKING_SEND_LINE} assert sock.send(data)`, 20_000);
  assert.doesNotMatch(player.raw, COLOUR);
  player.press(KEY.ctrlC);
  assert.equal(await player.exited, 130);
});

test("s: the knob form; sndbuf=65536 applied runs the lesson again, the header says it, the gauges show the kernel's SO_SNDBUF", async () => {
  // What Python itself reads back after asking for 65,536 bytes: the independent witness of the buffer shown.
  const code = "import socket; s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 65536); " +
    "print(s.getsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF))";
  const applied = Number(spawnSync("python3", ["-c", code], { encoding: "utf8" }).stdout.trim());
  assert.ok(applied > 0, "Python's getsockopt");
  const screen = open({ args: ["blocking-send", "--auto"] });
  await screen.waitFor((t) => /introduction · ● running|beat \d+ of \d+ · ● running/.test(t), "the lesson running");
  screen.press("s");
  let text = await screen.waitForText("Knobs · Blocking send");
  assert.match(text, /▸ sndbuf \[▏ +\] bytes · 1,024\.\.16,777,216 · default not set/);
  assert.match(text, /delay +\[default +\] ms · 0\.\.1,000 · default 0/);
  screen.press("99");
  await screen.waitForText("✗ 99 is out of range: sndbuf takes bytes from 1,024 to 16,777,216");
  screen.press("\x7f\x7f65536");
  await screen.waitForText("[65536▏");
  screen.press(KEY.enter);
  text = await screen.waitFor((t) => /sndbuf=65536 · .*● running/.test(t), "the run again, with the knob", 20_000);
  assert.doesNotMatch(text, /Knobs · /);
  // The programs' output paused: the client's send queue fills its buffer, SO_SNDBUF as the kernel set it.
  await screen.waitForText(`in send() · line ${BLOCKING_SEND_LINE}`, 20_000);
  screen.press("p");
  text = await screen.waitFor(
    (t) =>
      new RegExp(`client fd \\d+ send queue: [\\d.]+ [KM]?i?B of ${formatSize(applied).replace(".", "\\.")}`).test(
        flat(t),
      ),
    `the send queue against ${formatSize(applied)}`,
    15_000,
  );
  assert.match(text, /sndbuf=65536/);
  screen.press(KEY.ctrlC);
  assert.equal(await screen.exited, 130);
});
