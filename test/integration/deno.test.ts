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

test("deno task start run blocking-send --json: the facts Node gives", async () => {
  const deno = spawnSync(DENO, ["task", "--quiet", "start", "run", "blocking-send", "--json"], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: 60_000,
  });
  assert.equal(deno.status, 0, deno.stderr);
  const node = await runCli(["run", "blocking-send", "--json"]);
  assert.equal(node.code, 0, node.stderr);
  // Facts of different programs may interleave differently from run to run: compare the sets.
  assert.deepEqual(factNames(deno.stdout).sort(), factNames(node.stdout).sort());
  const fact = (name: string) => ndjson(deno.stdout).find((l) => l.type === "fact" && l.fact === name);
  assert.equal(fact("send.blocked")?.syscall, "sendto");
  assert.equal(fact("send.returned")?.sent, 136_314_880);
  assert.equal(fact("recv.total")?.bytes, 136_314_880);
});
