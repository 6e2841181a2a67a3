import assert from "node:assert/strict";
import { test } from "node:test";
import type { Key } from "ink";
import { actionFor, BINDINGS, footerItems } from "../../src/ui/keys.ts";

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
  for (const screen of ["menu", "player", "help"] as const) {
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
