// The same lesson under Deno (from the npm package `deno`) gives the same facts as under Node.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { test } from "node:test";
import { ndjson, runCli } from "../helpers/cli.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const DENO = `${ROOT}node_modules/deno/deno`;

function factNames(stdout: string): string[] {
  return ndjson(stdout).filter((l) => l.type === "fact").map((l) => `${l.fact}:${l.program ?? ""}`);
}

test("deno task start run non-blocking-send --json: the facts Node gives", async () => {
  const deno = spawnSync(DENO, ["task", "--quiet", "start", "run", "non-blocking-send", "--json"], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: 60_000,
  });
  assert.equal(deno.status, 0, deno.stderr);
  const node = await runCli(["run", "non-blocking-send", "--json"]);
  assert.equal(node.code, 0, node.stderr);
  // Facts of different programs may interleave differently from run to run: compare the sets.
  assert.deepEqual(factNames(deno.stdout).sort(), factNames(node.stdout).sort());
  const lost = ndjson(deno.stdout).find((l) => l.fact === "data.lost");
  assert.equal(lost?.intended, 136_314_880);
  assert.equal(lost?.received, lost?.sent);
});
