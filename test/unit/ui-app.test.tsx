// The menu and the app's navigation: the lessons with progress, keys to
// move and open, back to the menu, quit. Opening a lesson here uses a
// preparer that fails the way a machine without Python does, so no program runs.
import assert from "node:assert/strict";
import { cleanup } from "ink-testing-library";
import { afterEach, test } from "node:test";
import { defaultLessonsDir, loadLessons } from "../../src/lessons/load.ts";
import { UserError } from "../../src/runner/errors.ts";
import { App } from "../../src/ui/App.tsx";
import { helpLines, HelpOverlay, helpScrollMax, MORE_ABOVE, MORE_BELOW } from "../../src/ui/HelpOverlay.tsx";
import { Menu } from "../../src/ui/Menu.tsx";
import { menuGroups, menuOrder } from "../../src/ui/menu-groups.ts";
import type { Lesson } from "../../src/lessons/schema.ts";
import { Progress } from "../../src/ui/progress.ts";
import { loadSources } from "../../src/ui/sources.ts";
import { frameLines, renderUi, waitUntil } from "./ui-helpers.tsx";

afterEach(cleanup);

const { lessons } = loadLessons(defaultLessonsDir());

test("menu: titles, summaries, done or not started, the selected lesson marked", () => {
  const ui = renderUi(
    // Tall enough for every shipped lesson with its summary: the scrolling has its own tests.
    <Menu lessons={lessons} done={new Set(["blocking-send"])} selected={1} warnings={[]} width={100} height={80} />,
  );
  const lines = frameLines(ui.frame());
  assert.equal(lines[0], "socket-lessons");
  assert.equal(lines[2], "", "a blank line under the title");
  assert.equal(lines[3], "The tutorial", "the part's heading");
  assert.match(lines[4]!, /^ {2}1\. Blocking send/);
  const second = lines.findIndex((l) => l.includes("2. Non-blocking send"));
  assert.equal(lines[second - 1], "", "a blank line between lessons");
  for (const lesson of lessons) {
    const row = lines.find((l) => l.includes(`. ${lesson.title} `) || l.endsWith(`. ${lesson.title}`));
    assert.ok(row, `${lesson.title} listed`);
    assert.equal(row.startsWith("▸"), row.includes("2. "), "the second in the menu's order is selected");
    assert.match(row, lesson.id === "blocking-send" ? /✓ done$/ : /not started$/);
    assert.ok(ui.frame().replace(/\s+/g, " ").includes(lesson.summary), lesson.summary);
  }
});

test("menu: a narrow terminal gets one summary line, cut at a word", () => {
  const ui = renderUi(
    <Menu
      lessons={lessons}
      done={new Set()}
      selected={0}
      warnings={["lessons/x/lesson.yaml:3: title: must be a string"]}
      width={50}
      height={16}
    />,
  );
  const lines = frameLines(ui.frame());
  for (const line of lines) assert.ok(line.length <= 50, line);
  assert.ok(lines.some((l) => /^ {5}A client sends 130 MiB with one send\(\);.*…$/.test(l)), lines.join("\n"));
  assert.ok(lines.includes("! lessons/x/lesson.yaml:3: title: must be a string"));
});

function app(progress: Progress, exits: number[], initial: string | null = null, tries: { n: number } = { n: 0 }) {
  return (
    <App
      lessons={lessons}
      lessonWarnings={[]}
      progress={progress}
      holds={{ kind: "off" }}
      initial={lessons.find((l) => l.id === initial) ?? null}
      auto={false}
      preparer={() => {
        tries.n++;
        return Promise.reject(
          new UserError(
            'Python was not found: "python3" is not a program on this machine.',
            "Install Python 3.8 or newer.",
          ),
        );
      }}
      loadSources={loadSources}
      onExit={(code) => exits.push(code)}
    />
  );
}

test("app: the last lesson is preselected; j/k move; Enter opens; q goes back; q quits", async () => {
  const progress = Progress.inMemory();
  progress.setLast("non-blocking-send");
  const exits: number[] = [];
  const ui = renderUi(app(progress, exits));
  await ui.waitForFrame((f) => f.includes("▸ 2. Non-blocking send"), "the last lesson selected");
  ui.stdin.write("j");
  await ui.waitForFrame((f) => f.includes("▸ 3. Cancel a connect"), "j moves down");
  ui.stdin.write("k");
  ui.stdin.write("k");
  await ui.waitForFrame((f) => f.includes("▸ 1. Blocking send"), "k moves up");
  ui.stdin.write("\r");
  const frame = await ui.waitForFrame((f) => f.includes("could not run"), "the lesson, which cannot run here");
  assert.match(frame, /socket-lessons › Blocking send/);
  assert.match(frame.replace(/[│\s]+/g, " "), /The lesson could not run: Python was not found/);
  assert.equal(progress.last(), "blocking-send");
  ui.stdin.write("q");
  await ui.waitForFrame((f) => f.includes("▸ 1. Blocking send") && f.includes("not started"), "back in the menu");
  ui.stdin.write("q");
  await waitUntil(() => exits.length === 1, "quit");
  assert.deepEqual(exits, [0]);
});

test("app: ? shows the keys and any key closes it; the lesson keeps its place", async () => {
  const exits: number[] = [];
  const ui = renderUi(app(Progress.inMemory(), exits, "blocking-send"));
  await ui.waitForFrame((f) => f.includes("could not run"), "the lesson");
  ui.stdin.write("?");
  const help = await ui.waitForFrame((f) => f.includes("Keys in a lesson"), "the help");
  assert.match(help, /Enter\/Space +Show the next beat/);
  assert.match(help, /p +Stop \(or resume\) reading the programs' output/);
  ui.stdin.write("x");
  await ui.waitForFrame((f) => f.includes("could not run") && !f.includes("Keys in a lesson"), "the lesson again");
});

test("app: Ctrl-C quits from anywhere with 130, as an interrupted program", async () => {
  const exits: number[] = [];
  const ui = renderUi(app(Progress.inMemory(), exits, "blocking-send"));
  await ui.waitForFrame((f) => f.includes("could not run"), "the lesson");
  ui.stdin.write("\x03");
  await waitUntil(() => exits.length === 1, "quit");
  assert.deepEqual(exits, [130]);
});

test("app: r runs the lesson again (here: tries to find Python again)", async () => {
  const tries = { n: 0 };
  const ui = renderUi(app(Progress.inMemory(), [], "blocking-send", tries));
  await ui.waitForFrame((f) => f.includes("could not run"), "the lesson");
  assert.equal(tries.n, 1);
  ui.stdin.write("r");
  await waitUntil(() => tries.n === 2, "a second attempt");
  await ui.waitForFrame((f) => f.includes("could not run"), "the same error, from the new attempt");
});

test("app: keys in one read act one by one, in order: jj moves two lessons, kk back, ?x opens and closes help", async () => {
  const ui = renderUi(app(Progress.inMemory(), []));
  await ui.waitForFrame((f) => f.includes("▸ 1. Blocking send"), "the menu");
  ui.stdin.write("jj");
  await ui.waitForFrame((f) => f.includes("▸ 3. Cancel a connect"), "jj: two down");
  ui.stdin.write("kk");
  await ui.waitForFrame((f) => f.includes("▸ 1. Blocking send"), "kk: two up");
  ui.stdin.write("?");
  await ui.waitForFrame((f) => f.includes("Keys in the menu"), "the help");
  ui.stdin.write("xj");
  await ui.waitForFrame(
    (f) => f.includes("▸ 2. Non-blocking send") && !f.includes("Keys in the menu"),
    "x closed, j moved",
  );
});

test("app: Ctrl-C in a run of keys quits at once; the keys before it start nothing", async () => {
  const exits: number[] = [];
  const tries = { n: 0 };
  const ui = renderUi(app(Progress.inMemory(), exits, null, tries));
  await ui.waitForFrame((f) => f.includes("▸ 1. Blocking send"), "the menu");
  ui.stdin.write("\r\x03");
  await waitUntil(() => exits.length === 1, "quit");
  assert.deepEqual(exits, [130]);
  assert.equal(tries.n, 0, "Enter before Ctrl-C opened no lesson");
});

test("help: longer than its room, it ends on a more mark; scrolled, it shows more above, and its end", () => {
  const height = 10;
  const { lines } = helpLines("player", false, 40);
  assert.ok(lines.length > height, "the help is longer than 10 lines at 40 columns");
  const top = renderUi(<HelpOverlay screen="player" auto={false} width={40} height={height} scroll={0} />);
  let shown = frameLines(top.frame());
  assert.equal(shown.length, height);
  assert.equal(shown[0], "Keys in a lesson");
  assert.equal(shown.at(-1), MORE_BELOW);
  top.unmount();
  const max = helpScrollMax("player", false, 40, height);
  // Asked to scroll past the end, it stops at it: the last line of help on the last row.
  const end = renderUi(<HelpOverlay screen="player" auto={false} width={40} height={height} scroll={max + 5} />);
  shown = frameLines(end.frame());
  assert.match(shown[0]!, new RegExp(`^Keys in a lesson +${MORE_ABOVE.replace(/[|\\^$.*+?()[\]{}]/g, "\\$&")}$`));
  assert.equal(shown.at(-1), lines.at(-1)!.text);
  assert.ok(!shown.includes(MORE_BELOW));
  end.unmount();
});

test("app: in the help, j and k scroll it (as far as there is), another key closes it", async () => {
  const ui = renderUi(app(Progress.inMemory(), []));
  await ui.waitForFrame((f) => f.includes("▸ 1. Blocking send"), "the menu");
  ui.stdin.write("?");
  await ui.waitForFrame((f) => f.includes("Keys in the menu"), "the help");
  assert.match(ui.frame(), /↑↓\/jk scroll · any key close help · Ctrl-C quit/);
  ui.stdin.write("j");
  ui.stdin.write("x");
  await ui.waitForFrame(
    (f) => !f.includes("Keys in the menu") && f.includes("▸ 1. Blocking send"),
    "closed, j did not move",
  );
});

/** Shipped lessons made into a menu of parts: order as loaded, parts as given. */
function parted(parts: readonly (string | null)[]): Lesson[] {
  return parts.map((part, i) => ({ ...lessons[i % lessons.length]!, id: `l${i}`, title: `Lesson ${i}`, part }));
}

test("menu groups: parts in the order of their first lesson, lessons keep their order, no part last", () => {
  const menu = parted(["A", null, "B", "A", null, "B"]);
  const groups = menuGroups(menu);
  assert.deepEqual(groups.map((g) => [g.part, g.lessons.map((l) => l.id)]), [
    ["A", ["l0", "l3"]],
    ["B", ["l2", "l5"]],
    [null, ["l1", "l4"]],
  ]);
  assert.deepEqual(menuOrder(menu).map((l) => l.id), ["l0", "l3", "l2", "l5", "l1", "l4"]);
  assert.deepEqual(menuGroups(parted([null, null])).map((g) => g.part), [null]);
});

test("menu: a heading per part, numbered in menu order, done shown; the lessons without a part last, no heading", () => {
  const menu = menuOrder(parted(["The tutorial", "Beyond the tutorial", "The tutorial", null]));
  const ui = renderUi(
    <Menu lessons={menu} done={new Set(["l2"])} selected={0} warnings={[]} width={80} height={30} />,
  );
  const rows = frameLines(ui.frame()).filter((l) => /^\S|^[ ▸] \d+\./.test(l)).slice(2);
  assert.deepEqual(rows.map((l) => l.replace(/(\S) {2,}(✓ done|not started)$/, "$1 · $2")), [
    "The tutorial",
    "▸ 1. Lesson 0 · not started",
    "  2. Lesson 2 · ✓ done",
    "Beyond the tutorial",
    "  3. Lesson 1 · not started",
    "  4. Lesson 3 · not started",
  ]);
  ui.unmount();
});

test("menu: scrolled to a lesson further down, its part's heading stays above it", () => {
  const menu = menuOrder(parted(["The tutorial", "The tutorial", "The tutorial", "Beyond", "Beyond", "Beyond"]));
  const ui = renderUi(<Menu lessons={menu} done={new Set()} selected={2} warnings={[]} width={80} height={12} />);
  let lines = frameLines(ui.frame());
  assert.ok(lines.some((l) => l.startsWith("▸ 3. Lesson 2")), lines.join("\n"));
  assert.ok(!lines.some((l) => l.includes("1. Lesson 0")), "scrolled past the first lesson");
  assert.equal(lines[3], "The tutorial", "the heading stays on top");
  ui.rerender(<Menu lessons={menu} done={new Set()} selected={5} warnings={[]} width={80} height={12} />);
  lines = frameLines(ui.frame());
  assert.ok(lines.some((l) => l.startsWith("▸ 6. Lesson 5")), lines.join("\n"));
  assert.equal(lines[3], "Beyond");
  ui.unmount();
});

test("app: j/k follow the menu's order, across parts", async () => {
  const menu = parted(["A", "B", "A"]);
  const ui = renderUi(
    <App
      lessons={menu}
      lessonWarnings={[]}
      progress={Progress.inMemory()}
      initial={null}
      auto={false}
      holds={{ kind: "off" }}
      preparer={() => Promise.reject(new UserError("no", null))}
      loadSources={loadSources}
      onExit={() => {}}
    />,
  );
  await ui.waitForFrame((f) => f.includes("▸ 1. Lesson 0"), "the menu");
  ui.stdin.write("j");
  await ui.waitForFrame((f) => f.includes("▸ 2. Lesson 2"), "j: the next in menu order, of the same part");
  ui.stdin.write("j");
  await ui.waitForFrame((f) => f.includes("▸ 3. Lesson 1"), "j: into the next part");
});
