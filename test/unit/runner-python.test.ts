// Finding Python: the blocking and the non-blocking check give the same
// answer, and each way a --python can be wrong gets its own sentence.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { findPython, findPythonAsync } from "../../src/runner/python.ts";
import { UserError } from "../../src/runner/errors.ts";

test("python3 is found, the same by both checks, with its real interpreter and version", async () => {
  const sync = findPython("python3");
  assert.deepEqual(await findPythonAsync("python3"), sync);
  assert.match(sync.version, /^3\.\d+\.\d+$/);
  assert.ok(sync.command.startsWith("/"), sync.command);
});

async function refusal(command: string): Promise<[string, string]> {
  const errors = [];
  for (const find of [() => Promise.resolve().then(() => findPython(command)), () => findPythonAsync(command)]) {
    const error = await find().then(() => null, (e: unknown) => e);
    assert.ok(error instanceof UserError, `${command}: ${error}`);
    errors.push(error.message);
  }
  return errors as [string, string];
}

test("not a program: 'not found', by both checks", async () => {
  for (const message of await refusal("/nonexistent/python3")) assert.match(message, /^Python was not found: /);
});

test("not executable, and a program that is not Python: each its own sentence, by both checks", async () => {
  const dir = mkdtempSync(join(tmpdir(), "python-check-"));
  try {
    const notExecutable = join(dir, "python3");
    writeFileSync(notExecutable, "#!/bin/sh\n", { mode: 0o644 });
    // (Under Deno the blocking check learns only that it could not run it: Deno's spawnSync says no more.)
    for (const message of await refusal(notExecutable)) {
      assert.match(message, /^Could not run ".*python3"(: .*EACCES|\.)/);
    }
    for (const message of await refusal("false")) {
      assert.equal(message, `"false" did not answer like Python 3 (exit 1).`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
