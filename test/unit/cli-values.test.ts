import assert from "node:assert/strict";
import { test } from "node:test";
import { BadValue, nonEmpty, parsePort, parseProbe } from "../../src/cli/values.ts";

test("ports are whole decimal numbers from 1 to 65535", () => {
  assert.equal(parsePort("1"), 1);
  assert.equal(parsePort("8080"), 8080);
  assert.equal(parsePort("65535"), 65535);
  for (const bad of ["abc", "0x50", "1e3", "80.5", "0", "65536", "", " 80", "-1", "+80", "99999999"]) {
    assert.throws(() => parsePort(bad), (e: unknown) => {
      assert.ok(e instanceof BadValue);
      assert.equal(e.message, `--port takes a whole number from 1 to 65535, not "${bad}".`);
      return true;
    });
  }
});

test("probe modes and values that must not be empty", () => {
  assert.equal(parseProbe("trace-only"), "trace-only");
  assert.throws(() => parseProbe("proc"), /--probe takes auto or trace-only, not "proc"\./);
  assert.equal(nonEmpty("--python", "python3")("/usr/bin/python3"), "/usr/bin/python3");
  assert.throws(() => nonEmpty("--python", "python3")(""), /--python needs a value, e.g\. --python python3\./);
});
