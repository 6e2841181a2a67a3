import assert from "node:assert/strict";
import { test } from "node:test";
import type { Key } from "ink";
import { actionFor, BINDINGS, footerItems, isInterrupt, splitKeys } from "../../src/ui/keys.ts";

const none: Key = {
  upArrow: false,
  downArrow: false,
  leftArrow: false,
  rightArrow: false,
  pageDown: false,
  pageUp: false,
  home: false,
  end: false,
  return: false,
  escape: false,
  ctrl: false,
  shift: false,
  tab: false,
  backspace: false,
  delete: false,
  meta: false,
  super: false,
  hyper: false,
  capsLock: false,
  numLock: false,
};
const key = (k: Partial<Key>): Key => ({ ...none, ...k });

test("the player's keys", () => {
  assert.equal(actionFor("player", "", key({ return: true })), "next");
  assert.equal(actionFor("player", " ", none), "next");
  assert.equal(actionFor("player", "b", none), "back");
  assert.equal(actionFor("player", "", key({ leftArrow: true })), "back");
  assert.equal(actionFor("player", "p", none), "pause");
  assert.equal(actionFor("player", "r", none), "restart");
  assert.equal(actionFor("player", "q", none), "menu");
  assert.equal(actionFor("player", "", key({ escape: true })), "menu");
  assert.equal(actionFor("player", "?", none), "help");
  assert.equal(actionFor("player", "x", none), null);
});

test("the menu's keys", () => {
  assert.equal(actionFor("menu", "j", none), "down");
  assert.equal(actionFor("menu", "", key({ downArrow: true })), "down");
  assert.equal(actionFor("menu", "k", none), "up");
  assert.equal(actionFor("menu", "", key({ return: true })), "open");
  assert.equal(actionFor("menu", "q", none), "quit");
});

test("Ctrl-C quits on every screen (a key in raw mode, not a signal)", () => {
  for (const screen of ["menu", "player", "presenter", "help", "blank"] as const) {
    assert.equal(actionFor(screen, "c", key({ ctrl: true })), "interrupt");
  }
  assert.equal(actionFor("help", "x", none), "close");
});

test("every binding has a label and help text; the footer shows them", () => {
  for (const b of BINDINGS) assert.ok(b.label && b.help && b.keys, b.action);
  assert.deepEqual(footerItems("player").map((i) => i.label), [
    "next",
    "back",
    "pause output",
    "restart",
    "timeline",
    "menu",
    "help",
    "quit",
  ]);
  assert.equal(footerItems("player", { pause: "resume output" })[2]!.label, "resume output");
});

test("presenter mode: a clicker's keys (PageDown, PageUp, arrows, b and . to blank); any key restores a blank screen", () => {
  for (
    const k of [key({ pageDown: true }), key({ rightArrow: true }), key({ downArrow: true }), key({ return: true })]
  ) {
    assert.equal(actionFor("presenter", "", k), "next");
  }
  assert.equal(actionFor("presenter", " ", none), "next");
  for (const k of [key({ pageUp: true }), key({ leftArrow: true }), key({ upArrow: true })]) {
    assert.equal(actionFor("presenter", "", k), "back");
  }
  // b is back in the player, blank here: a clicker's blank button sends it (or .).
  assert.equal(actionFor("presenter", "b", none), "blank");
  assert.equal(actionFor("presenter", ".", none), "blank");
  assert.equal(actionFor("presenter", "j", none), "scrollDown");
  assert.equal(actionFor("presenter", "k", none), "scrollUp");
  assert.equal(actionFor("presenter", "q", none), "menu");
  assert.equal(actionFor("presenter", "", key({ escape: true })), "menu");
  assert.equal(actionFor("presenter", "?", none), "help");
  for (const [input, k] of [["b", none], [".", none], ["x", none], ["", key({ pageDown: true })]] as const) {
    assert.equal(actionFor("blank", input, k), "restore");
  }
  assert.deepEqual(footerItems("presenter").map((i) => `${i.keys} ${i.label}`), [
    "PgDn/→/↓/Space/Enter next",
    "PgUp/←/↑ back",
    "b/. blank",
    "q/Esc menu",
    "? help",
    "Ctrl-C quit",
  ]);
});

/** The player's actions for one read, as the app dispatches them. */
const playerActions = (read: string, k: Key = none) =>
  splitKeys(read, k).map((p) => actionFor("player", p.input, p.key));

test("keys arriving in one read are split into single keys, in order", () => {
  assert.deepEqual(playerActions("bb"), ["back", "back"]);
  assert.deepEqual(playerActions("  "), ["next", "next"]);
  assert.deepEqual(playerActions("\r\r"), ["next", "next"]);
  assert.deepEqual(playerActions("\n\n"), ["next", "next"]);
  assert.deepEqual(playerActions("jj"), ["scrollDown", "scrollDown"]);
  assert.deepEqual(playerActions("kq"), ["scrollUp", "menu"]);
  assert.deepEqual(playerActions("b p?"), ["back", "next", "pause", "help"]);
  assert.deepEqual(
    splitKeys("jj", none).map((p) => actionFor("menu", p.input, p.key)),
    ["down", "down"],
  );
});

test("split keys look like the keys Ink reports one at a time", () => {
  const [tab, bs, del, ctrlA, upper, accent] = splitKeys("\t\b\x7f\x01Aé", none);
  assert.deepEqual(tab, { input: "", key: key({ tab: true }) });
  assert.deepEqual(bs, { input: "", key: key({ backspace: true }) });
  assert.deepEqual(del, { input: "", key: key({ delete: true }) });
  assert.deepEqual(ctrlA, { input: "a", key: key({ ctrl: true }) });
  assert.deepEqual(upper, { input: "A", key: key({ shift: true }) });
  assert.deepEqual(accent, { input: "é", key: none });
  // A character outside the Basic Multilingual Plane is one key, not two halves.
  assert.deepEqual(splitKeys("😀x", none).map((p) => p.input), ["😀", "x"]);
});

test("a single key passes as Ink gave it; a lone line feed is Enter", () => {
  const up = key({ upArrow: true });
  assert.deepEqual(splitKeys("", up), [{ input: "", key: up }]);
  assert.deepEqual(splitKeys("b", none), [{ input: "b", key: none }]);
  assert.equal(actionFor("player", splitKeys("\n", none)[0]!.input, splitKeys("\n", none)[0]!.key), "next");
});

test("Ctrl-C in a run of keys is found, wherever it is", () => {
  const keys = splitKeys("r\x03j", none);
  assert.deepEqual(keys.map(isInterrupt), [false, true, false]);
  assert.equal(actionFor("player", keys[1]!.input, keys[1]!.key), "interrupt");
  assert.ok(splitKeys("c", key({ ctrl: true })).some(isInterrupt));
});
