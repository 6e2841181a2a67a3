import assert from "node:assert/strict";
import { test } from "node:test";
import { colorEnabled, createTheme } from "../../src/ui/theme.ts";

test("NO_COLOR (any non-empty value) and --no-color turn colours off", () => {
  assert.equal(colorEnabled({}, false), true);
  assert.equal(colorEnabled({ NO_COLOR: "1" }, false), false);
  assert.equal(colorEnabled({ NO_COLOR: "" }, false), true);
  assert.equal(colorEnabled({}, true), false);
});

test("without colours every colour of the theme is unset", () => {
  const theme = createTheme(false);
  for (const [name, value] of Object.entries(theme)) {
    if (name === "color") continue;
    if (name === "syntax") { for (const v of Object.values(value as object)) assert.equal(v, undefined); }
    else assert.equal(value, undefined, name);
  }
  assert.equal(createTheme(true).accent, "cyan");
});
