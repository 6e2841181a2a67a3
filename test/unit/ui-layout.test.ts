import assert from "node:assert/strict";
import { test } from "node:test";
import { frameCost, inner, layoutMode, playerLayout } from "../../src/ui/layout.ts";

test("breakpoints: side by side from 100 columns, stacked from 60, compact below 60 columns or 20 rows", () => {
  assert.equal(layoutMode(120, 40), "wide");
  assert.equal(layoutMode(100, 20), "wide");
  assert.equal(layoutMode(99, 40), "stacked");
  assert.equal(layoutMode(60, 24), "stacked");
  assert.equal(layoutMode(59, 40), "compact");
  assert.equal(layoutMode(120, 19), "compact");
  assert.equal(layoutMode(50, 16), "compact");
});

for (
  const [cols, rows, programs] of [[120, 40, 2], [120, 40, 3], [100, 20, 2], [70, 24, 2], [60, 20, 3], [50, 16, 2], [
    40,
    10,
    3,
  ], [200, 60, 1]]
) {
  test(`${cols}x${rows} with ${programs} programs: the panes fill the frame exactly, one row spare`, () => {
    const layout = playerLayout(cols!, rows!, programs!, 9);
    assert.equal(layout.rows, rows! - 1);
    const body = layout.rows - 2; // header and footer
    const programRows = layout.programs.reduce((n, p) => n + p.height, 0);
    if (layout.mode === "wide") {
      assert.equal(programRows, body);
      assert.equal(layout.narration.height + layout.gauges.height, body);
      assert.equal(layout.programsWidth + layout.narration.width, cols);
    } else {
      assert.equal(programRows + layout.narration.height + layout.gauges.height, body);
      assert.equal(layout.narration.width, cols);
    }
    for (const pane of layout.programs) {
      const size = inner(pane);
      assert.ok(pane.codeLines + pane.outputLines + 2 <= size.height || pane.codeLines === 0, JSON.stringify(pane));
      assert.ok(pane.codeLines !== 1, "a one-line code pane is shown in the lane instead");
    }
    if (rows! >= 16) {
      assert.ok(inner(layout.narration).height >= 4, `narration has room: ${JSON.stringify(layout.narration)}`);
    }
  });
}

test("frames cost rows and columns", () => {
  assert.deepEqual(frameCost("box"), { rows: 2, cols: 2 });
  assert.deepEqual(frameCost("rule"), { rows: 1, cols: 0 });
  assert.deepEqual(frameCost("none"), { rows: 0, cols: 0 });
});

for (const [cols, rows] of [[80, 24], [100, 30], [70, 24]] as const) {
  test(`${cols}x${rows}: each of three programs has a line for its latest output`, () => {
    const layout = playerLayout(cols, rows, 3, 9);
    for (const pane of layout.programs) {
      assert.ok(pane.outputLines >= 1, `${cols}x${rows}: ${JSON.stringify(pane)}`);
      assert.ok(inner(pane).height >= 2, `${cols}x${rows}: the state and the output: ${JSON.stringify(pane)}`);
    }
    assert.ok(inner(layout.narration).height >= 5, `the narration keeps its room: ${JSON.stringify(layout.narration)}`);
  });
}
