// The same lesson under Deno (from the npm package `deno`) gives the same facts as under Node.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { test } from "node:test";
import { ndjson, runCli } from "../helpers/cli.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const DENO = `${ROOT}node_modules/deno/deno`;

/** The beats told, with the fact each was told on: the same lesson under both runtimes. */
function beatsTold(stdout: string): string[] {
  return ndjson(stdout).filter((l) => l.type === "beat").map((l) => `${l.index}:${l.fact}:${l.program ?? ""}`);
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
  // How many hot-loop facts come depends on timing; the beats and their facts do not.
  assert.deepEqual(beatsTold(deno.stdout), beatsTold(node.stdout));
  const fact = (name: string) => ndjson(deno.stdout).find((l) => l.type === "fact" && l.fact === name);
  assert.equal(fact("send.blocked")?.syscall, "sendto");
  assert.equal(fact("send.returned")?.bytes, 136_314_880);
  assert.equal(fact("transfer.ended")?.lost, 0);
  assert.equal(fact("peer.closed")?.bytes, 136_314_880);
});
