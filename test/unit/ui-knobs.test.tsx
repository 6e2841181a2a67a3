// The knob form (s in the player) and the header's settings: the form's keys
// (pure), the form as drawn, and the app: s opens it over the lesson, a value
// out of range says why inline and applies nothing, Enter runs the lesson
// again with the knobs (the preparer is asked again), Esc leaves it.
import assert from "node:assert/strict";
import { cleanup } from "ink-testing-library";
import { afterEach, test } from "node:test";
import type { Key } from "ink";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { withSettings } from "../../src/lessons/knobs.ts";
import { defaultLessonsDir, loadLessons } from "../../src/lessons/load.ts";
import { createSession } from "../../src/session/session.ts";
import { UserError } from "../../src/runner/errors.ts";
import { App } from "../../src/ui/App.tsx";
import { loadReplay } from "../../src/commands/replay.ts";
import { REPLAY_KNOBS_NOTE, ReplayLesson } from "../../src/ui/replay-run.ts";
import { knobFormKey, type KnobFormResult, type KnobFormState, openKnobForm } from "../../src/ui/knob-form.ts";
import { KnobForm } from "../../src/ui/KnobForm.tsx";
import { PlayerHeader } from "../../src/ui/PlayerHeader.tsx";
import { Progress } from "../../src/ui/progress.ts";
import { loadSources } from "../../src/ui/sources.ts";
import { frameLines, renderUi, snapshotOf, waitUntil } from "./ui-helpers.tsx";

afterEach(cleanup);

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

const { lessons } = loadLessons(defaultLessonsDir());
const blockingSend = lessons.find((l) => l.id === "blocking-send")!;

const NO_KEY = { upArrow: false, downArrow: false, return: false, escape: false, tab: false, shift: false } as Key;
const press = (form: KnobFormState, input: string, key: Partial<Key> = {}): KnobFormResult =>
  knobFormKey(form, input, { ...NO_KEY, ...key });

function edit(result: KnobFormResult): KnobFormState {
  assert.equal(result.kind, "edit");
  return (result as { form: KnobFormState }).form;
}

function typed(form: KnobFormState, text: string): KnobFormState {
  return [...text].reduce((f, ch) => edit(press(f, ch)), form);
}

test("knob form keys: type, erase, d for the default, arrows move; Enter applies only values unlike the default", () => {
  let form = openKnobForm(blockingSend.knobs, {});
  assert.deepEqual(form.knobs.map((k) => k.name), ["sndbuf", "data", "delay"]);
  assert.deepEqual(form.texts, ["", "", ""]);
  form = typed(form, "655367");
  form = edit(press(form, "", { backspace: true }));
  assert.equal(form.texts[0], "65536");
  form = edit(press(form, "", { downArrow: true }));
  form = edit(press(form, "", { downArrow: true }));
  form = typed(form, "0"); // delay=0 is its default: no setting
  assert.equal(form.selected, 2);
  form = edit(press(form, "", { downArrow: true }));
  assert.equal(form.selected, 0, "down from the last wraps to the first");
  form = edit(press(form, "x"));
  assert.equal(form.texts[0], "65536", "only digits are typed");
  assert.deepEqual(press(form, "", { return: true }), { kind: "apply", settings: { sndbuf: 65_536 } });
  assert.deepEqual(press(form, "", { escape: true }), { kind: "cancel" });
  form = edit(press(form, "d"));
  assert.deepEqual(press(form, "", { return: true }), { kind: "apply", settings: {} });
});

test("knob form keys: a value out of range is not applied; Enter marks it and goes to it", () => {
  let form = openKnobForm(blockingSend.knobs, { sndbuf: 65_536 });
  assert.deepEqual(form.texts, ["65536", "", ""]);
  form = edit(press(form, "", { downArrow: true }));
  form = edit(press(form, "", { downArrow: true }));
  form = typed(form, "5000");
  form = edit(press(form, "", { upArrow: true }));
  const refused = edit(press(form, "", { return: true }));
  assert.equal(refused.tried, true);
  assert.equal(refused.selected, 2, "the knob that cannot apply");
});

test("the form as drawn at 80 columns: value, unit, range and default of each knob, and why a value cannot apply", () => {
  let form = openKnobForm(blockingSend.knobs, { sndbuf: 65_536 });
  form = edit(press(form, "", { downArrow: true }));
  form = edit(press(form, "", { downArrow: true }));
  form = typed(form, "5000");
  const ui = renderUi(<KnobForm form={form} title="Blocking send" width={80} height={20} />);
  const lines = frameLines(ui.frame());
  assert.equal(lines[0], "Knobs · Blocking send");
  const text = ui.frame();
  assert.match(text, /sndbuf \[65536 +\] bytes · 1,024\.\.16,777,216 · default not set/);
  assert.match(text, /data +\[default +\] bytes · 1\.\.268,435,456 · default 136,314,880/);
  assert.match(text, /▸ delay +\[5000▏ +\] ms · 0\.\.1,000 · default 0/);
  assert.match(text, /the client's send buffer, asked for with setsockopt\(SO_SNDBUF\)/);
  assert.match(text, /✗ 5,000 is out of range: delay takes ms from 0 to 1,000 \(default: 0\)\./);
  for (const line of lines) assert.ok(line.length <= 80, line);
});

test("the header says the knobs set, at 80 columns too; none when none are set", () => {
  const set = withSettings(blockingSend, { sndbuf: 65_536 });
  const live = snapshotOf({ ...createSession(set), port: 40_000, now: 1_234 });
  const wide = renderUi(<PlayerHeader live={live} position="beat 4 of 12" width={120} />, { columns: 120 });
  assert.match(wide.frame(), /port 40000 · sndbuf=65536 · 1.23 s · beat 4 of 12 · ● running/);
  const narrow = renderUi(<PlayerHeader live={live} position="beat 4 of 12" width={80} />);
  const line = frameLines(narrow.frame())[0]!;
  assert.ok(line.length <= 80, line);
  assert.match(line, /sndbuf=65536 · 1.23 s · beat 4 of 12 · ● running$/);
  const plain = snapshotOf({ ...createSession(blockingSend), port: 40_000, now: 1_234 });
  const none = renderUi(<PlayerHeader live={plain} position="beat 4 of 12" width={120} />, { columns: 120 });
  assert.doesNotMatch(none.frame(), /sndbuf|=/);
});

function app(tries: { n: number }) {
  return (
    <App
      lessons={lessons}
      lessonWarnings={[]}
      progress={Progress.inMemory()}
      holds={{ kind: "off" }}
      initial={blockingSend}
      auto={false}
      preparer={() => {
        tries.n++;
        return Promise.reject(new UserError("Python was not found.", "Install Python 3.8 or newer."));
      }}
      loadSources={loadSources}
      onExit={() => {}}
    />
  );
}

test("app: s opens the knobs; out of range says why and runs nothing; Enter runs the lesson again with them", async () => {
  const tries = { n: 0 };
  const ui = renderUi(app(tries));
  await ui.waitForFrame((f) => f.includes("could not run"), "the lesson");
  ui.stdin.write("s");
  await ui.waitForFrame((f) => f.includes("Knobs · Blocking send") && f.includes("Enter apply"), "the form");
  ui.stdin.write("100");
  await ui.waitForFrame((f) => f.includes("✗ 100 is out of range: sndbuf takes bytes from 1,024"), "why, inline");
  ui.stdin.write("\r");
  await ui.waitForFrame((f) => f.includes("Knobs · Blocking send"), "the form stays");
  assert.equal(tries.n, 1, "nothing ran again");
  ui.stdin.write("\x7f\x7f\x7f65536");
  await ui.waitForFrame((f) => f.includes("[65536▏"), "the value typed");
  ui.stdin.write("\r");
  await waitUntil(() => tries.n === 2, "the lesson run again");
  const frame = await ui.waitForFrame((f) => f.includes("sndbuf=65536") && f.includes("could not run"), "the header");
  assert.doesNotMatch(frame, /Knobs · /);
  // Open again: the form shows the setting; Esc leaves everything as it was.
  ui.stdin.write("s");
  await ui.waitForFrame((f) => f.includes("[65536▏"), "the form with the setting");
  ui.stdin.write("\x1b");
  await ui.waitForFrame((f) => !f.includes("Knobs · ") && f.includes("sndbuf=65536"), "the lesson, unchanged");
  assert.equal(tries.n, 2);
});

test("a replay cannot change its knobs: s says why, and the form does not open", async () => {
  const { recording, lesson } = loadReplay(join(ROOT, "recordings/blocking-send.ndjson.gz"));
  const replay = new ReplayLesson(recording, lesson, "instant");
  assert.equal(replay.canChangeKnobs(), false);
  await waitUntil(() => replay.store.getSnapshot().problems.includes(REPLAY_KNOBS_NOTE), "the note");
  await replay.dispose("test over");
});
