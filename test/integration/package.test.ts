// The npm package as a learner gets it: packed, installed into an empty folder
// without dev dependencies, started with npx.
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { test } from "node:test";
import { ndjson } from "../helpers/cli.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const NPM_ENV = {
  ...process.env,
  npm_config_audit: "false",
  npm_config_fund: "false",
  npm_config_update_notifier: "false",
};

test("npm pack -> install --omit=dev -> npx socket-lessons list --json and run non-blocking-send --json; the same under Deno", () => {
  const work = mkdtempSync(join(tmpdir(), "sl-pack-"));
  // dist/ is built already (npm test builds first): --ignore-scripts keeps prepack
  // from rebuilding it under the other test files that are running it.
  const name = execFileSync("npm", ["pack", "--silent", "--ignore-scripts", "--pack-destination", work], {
    cwd: ROOT,
    encoding: "utf8",
    env: NPM_ENV,
  })
    .trim().split("\n").at(-1)!;
  const tarball = join(work, name);
  const files = execFileSync("tar", ["tzf", tarball], { encoding: "utf8" }).trim().split("\n");
  assert.ok(files.includes("package/dist/cli.js") && files.includes("package/dist/tracer/tracer.py"));
  assert.ok(files.includes("package/lessons/blocking-send/lesson.yaml"));
  // The recorded Linux runs the menu offers where the kernel cannot be observed; not their test witnesses.
  assert.ok(files.includes("package/recordings/blocking-send.ndjson.gz"));
  assert.deepEqual(files.filter((f) => f.includes("witness")), []);
  assert.deepEqual(
    files.filter((f) => /^package\/(src|test|scripts)\//.test(f)),
    [],
    "no sources or tests in the package",
  );

  const app = join(work, "app");
  execFileSync("mkdir", [app]);
  writeFileSync(join(app, "package.json"), '{"name":"learner","version":"1.0.0","private":true}\n');
  execFileSync("npm", ["install", "--omit=dev", "--no-save", tarball], { cwd: app, env: NPM_ENV, stdio: "ignore" });
  const installed = readdirSync(join(app, "node_modules")).filter((d) => !d.startsWith("."));
  assert.deepEqual(installed, ["socket-lessons"], "the package needs no dependencies at run time");
  console.log(
    `package: ${
      (statSync(tarball).size / 1024).toFixed(0)
    } KiB packed, ${files.length} files, dependencies installed: 0`,
  );

  const npx = (...args: string[]) =>
    spawnSync("npx", ["--no-install", "socket-lessons", ...args], { cwd: app, encoding: "utf8", env: NPM_ENV });
  const list = npx("list", "--json");
  assert.equal(list.status, 0, list.stderr);
  assert.deepEqual(JSON.parse(list.stdout).map((l: { id: string }) => l.id), [
    "blocking-send",
    "non-blocking-send",
    "cancel-connect",
    "blocking-recv",
    "send-all",
    "select-writable",
    "timeouts",
    "one-at-a-time-vs-selectors",
    "slow-reader",
  ]);

  const run = npx("run", "non-blocking-send", "--json");
  assert.equal(run.status, 0, run.stderr);
  const lines = ndjson(run.stdout);
  const returned = lines.find((l) => l.fact === "send.returned" && l.type === "fact")!;
  assert.ok((returned.bytes as number) > 0 && (returned.bytes as number) < 136_314_880);
  const lost = lines.find((l) => l.fact === "transfer.ended" && l.type === "fact")!;
  assert.equal(lost.lost, 136_314_880 - (returned.bytes as number));

  // A shipped recording, from the installed package.
  const replay = npx(
    "replay",
    "node_modules/socket-lessons/recordings/cancel-connect.ndjson.gz",
    "--json",
    "--instant",
  );
  assert.equal(replay.status, 0, replay.stderr);
  assert.equal((ndjson(replay.stdout)[0]!.replay as { machine: { platform: string } }).machine.platform, "linux");

  // The same installed package under Deno.
  const deno = spawnSync(join(ROOT, "node_modules/deno/deno"), [
    "run",
    "-A",
    "node_modules/socket-lessons/dist/cli.js",
    "run",
    "non-blocking-send",
    "--json",
  ], {
    cwd: app,
    encoding: "utf8",
    timeout: 60_000,
  });
  assert.equal(deno.status, 0, deno.stderr);
  assert.ok(ndjson(deno.stdout).some((l) => l.type === "fact" && l.fact === "transfer.ended"));
});

test("a fresh clone: npm ci, then npm pack builds dist/ first (prepack), so the package has its bin", () => {
  const work = mkdtempSync(join(tmpdir(), "sl-clone-"));
  const clone = join(work, "socket-lessons");
  const head = execFileSync("git", ["rev-parse", "HEAD"], { cwd: ROOT, encoding: "utf8" }).trim();
  execFileSync("git", ["clone", "--quiet", "--no-checkout", ROOT, clone]);
  execFileSync("git", ["checkout", "--quiet", head], { cwd: clone });
  assert.ok(!existsSync(join(clone, "dist")), "dist/ is not in the repository");
  execFileSync("npm", ["ci", "--prefer-offline"], { cwd: clone, env: NPM_ENV, stdio: "ignore" });
  const name = execFileSync("npm", ["pack", "--silent", "--pack-destination", work], {
    cwd: clone,
    encoding: "utf8",
    env: NPM_ENV,
  }).trim().split("\n").at(-1)!;
  const files = execFileSync("tar", ["tzf", join(work, name)], { encoding: "utf8" }).trim().split("\n");
  assert.ok(files.includes("package/dist/cli.js"), files.join("\n"));
  assert.ok(files.includes("package/dist/lessons.index.json"));
  assert.ok(files.includes("package/dist/tracer/tracer.py"));
  rmSync(work, { recursive: true, force: true });
});
