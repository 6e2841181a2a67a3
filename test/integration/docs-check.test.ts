// The docs give real commands and paths: each `socket-lessons ...` command in
// README.md and docs/*.md parses with the real command line, each path is
// there, the README is short, and the progress path it names is doctor's.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { runCli } from "../helpers/cli.ts";
import { checkDocs, commandCount, type DocFile } from "../helpers/docs-check.ts";
import { tempDir } from "../helpers/temp-dir.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

function docs(): DocFile[] {
  const names = ["README.md", ...readdirSync(`${ROOT}docs`).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`)];
  return names.map((name) => ({ name, text: readFileSync(`${ROOT}${name}`, "utf8") }));
}

const README = (): DocFile => docs().find((d) => d.name === "README.md")!;

test("every socket-lessons command in README.md and docs/*.md parses, and every path they name exists", async () => {
  const files = docs();
  assert.ok(files.length >= 5, files.map((f) => f.name).join(", "));
  assert.ok(commandCount(README()) >= 8, "the check reads the README's commands");
  assert.deepEqual(await checkDocs(files, ROOT), []);
});

test("the check fails on a broken command and a broken path, naming each", async () => {
  const readme = README();
  const command = "npx socket-lessons programs blocking-recv";
  assert.ok(readme.text.includes(command) && readme.text.includes("docs/teaching.md"));
  const broken = readme.text.replace(command, `${command} --frobnicate`).replace("docs/teaching.md", "docs/teachng.md");
  const problems = await checkDocs([{ name: "README.md", text: broken }], ROOT);
  assert.equal(problems.length, 2, problems.join("\n"));
  assert.match(
    problems[0]!,
    /^README\.md:\d+: `npx socket-lessons programs blocking-recv --frobnicate`: Unknown option --frobnicate for programs/,
  );
  assert.match(problems[1]!, /^README\.md:\d+: docs\/teachng\.md: no such file or folder$/);
  const link = readme.text.replace("](docs/teaching.md)", "](docs/teachng.md)");
  assert.deepEqual(
    (await checkDocs([{ name: "README.md", text: link }], ROOT)).map((p) => p.replace(/:\d+:/, ":N:")),
    ["README.md:N: link to docs/teachng.md: no such file"],
  );
  const anchor = readme.text.replace("](docs/using.md)", "](docs/using.md#no-such-part)");
  assert.deepEqual(
    (await checkDocs([{ name: "README.md", text: anchor }], ROOT)).map((p) => p.replace(/:\d+:/, ":N:")),
    ["README.md:N: link to docs/using.md#no-such-part: no heading #no-such-part there"],
  );
});

test("the check fails on an unknown lesson id, and on a refusal the docs show that the app does not give", async () => {
  const text = [
    "Run `socket-lessons run blokcing-send --plain`.",
    "",
    "```",
    "$ socket-lessons run blocking-send --port 0x50",
    "socket-lessons: --port takes a whole number from 1 to 65535, not 0x50.",
    "```",
  ].join("\n");
  const problems = await checkDocs([{ name: "x.md", text }], ROOT);
  assert.deepEqual(problems, [
    'x.md:4: `$ socket-lessons run blocking-send --port 0x50`: --port takes a whole number from 1 to 65535, not "0x50".',
    'x.md:1: `socket-lessons run blokcing-send --plain`: no lesson "blokcing-send" in lessons/',
  ]);
});

test("the README is under 12 KB", () => {
  const bytes = Buffer.byteLength(README().text);
  assert.ok(bytes < 12_000, `${bytes} bytes`);
});

test("the progress path the README names is the one doctor prints (HOME a temp folder, XDG_CONFIG_HOME unset)", async () => {
  const home = tempDir("docs-home-");
  const r = await runCli(["doctor", "--json", "--probe", "trace-only"], { HOME: home, XDG_CONFIG_HOME: undefined });
  assert.equal(r.code, 0, r.stderr);
  const progress = (JSON.parse(r.stdout) as { checks: { name: string; detail: string }[] }).checks
    .find((c) => c.name === "progress")!;
  const path = progress.detail.replace(/ \(.*\)$/, "");
  assert.ok(path.startsWith(`${home}/`), path);
  const shown = `~${path.slice(home.length)}`;
  assert.equal(shown, "~/.config/socket-lessons/progress.json");
  assert.ok(README().text.includes(`\`${shown}\``), `the README names ${shown}`);
});
