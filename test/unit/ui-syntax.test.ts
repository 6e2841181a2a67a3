import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { highlightPython } from "../../src/ui/syntax.ts";

test("the tokens of each line join back to the line", () => {
  const source = readFileSync(new URL("../../lessons/blocking-send/block_server.py", import.meta.url), "utf8");
  const lines = highlightPython(source);
  assert.deepEqual(lines.map((tokens) => tokens.map((t) => t.text).join("")), source.split("\n"));
});

test("keywords, builtins, strings, numbers and comments", () => {
  const [tokens] = highlightPython(`    print("All Data Received")  # Will execute`);
  assert.deepEqual(tokens, [
    { kind: "plain", text: "    " },
    { kind: "builtin", text: "print" },
    { kind: "plain", text: "(" },
    { kind: "string", text: '"All Data Received"' },
    { kind: "plain", text: ")  " },
    { kind: "comment", text: "# Will execute" },
  ]);
  const [data] = highlightPython(`while data:  conn = s.recv(1024) if True else b'x\\'y'`);
  assert.deepEqual(data!.filter((t) => t.kind !== "plain"), [
    { kind: "keyword", text: "while" },
    { kind: "number", text: "1024" },
    { kind: "keyword", text: "if" },
    { kind: "keyword", text: "True" },
    { kind: "keyword", text: "else" },
    { kind: "string", text: "b'x\\'y'" },
  ]);
});

test("a number inside a name is not a number; a triple-quoted string spans lines", () => {
  const [name] = highlightPython("x1 = v2");
  assert.ok(name!.every((t) => t.kind === "plain"));
  const lines = highlightPython('doc = """one\ntwo # not a comment\nthree""" # comment');
  assert.equal(lines[1]![0]!.kind, "string");
  assert.equal(lines[1]!.length, 1);
  assert.deepEqual(lines[2]!.map((t) => t.kind), ["string", "plain", "comment"]);
});
