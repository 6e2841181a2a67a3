// Nothing outlives the app: each signal at each phase of each lesson, and the
// app killed outright. "Gone" means no /proc entry (or a zombie), an empty
// process group, and nothing listening on the lesson's port.
import assert from "node:assert/strict";
import { test } from "node:test";
import { type JsonLine, startApp, waitAllGone } from "../helpers/cli.ts";

const isFact = (name: string, program?: string) => (l: JsonLine) =>
  l.type === "fact" && l.fact === name && (program === undefined || l.program === program);

const PHASES: Record<string, Record<string, (l: JsonLine) => boolean>> = {
  "blocking-send": { "before connect": isFact("accept.called"), "client asleep in send": isFact("send.blocked") },
  "non-blocking-send": { "before connect": isFact("accept.called"), "after the send": isFact("send.returned") },
  "cancel-connect": {
    "before connect": isFact("listen.returned"),
    "client asleep in connect": isFact("connect.blocked"),
  },
};
const CODES = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;
const EXIT_WITHIN_MS = 2000;

for (const [lesson, phases] of Object.entries(PHASES)) {
  for (const [phase, reached] of Object.entries(phases)) {
    for (const signal of Object.keys(CODES) as (keyof typeof CODES)[]) {
      test(`${lesson}, ${phase}, ${signal}: exits with ${CODES[signal]} within 2 s, nothing left`, async () => {
        const app = startApp(["run", lesson, "--json"]);
        await app.waitFor(reached);
        const sentAt = performance.now();
        app.child.kill(signal);
        const { code } = await app.exit;
        const tookMs = performance.now() - sentAt;
        assert.equal(code, CODES[signal]);
        assert.ok(tookMs < EXIT_WITHIN_MS, `exit took ${tookMs.toFixed(0)} ms`);
        await waitAllGone(app.pids(), app.port(), 500);
      });
    }
  }
}

for (
  const [lesson, reached] of [["blocking-send", isFact("send.blocked")], [
    "cancel-connect",
    isFact("connect.blocked"),
  ]] as const
) {
  test(`${lesson}: the app killed with SIGKILL mid-lesson; the programs see their channel close and go within 2 s`, async () => {
    const app = startApp(["run", lesson, "--json"]);
    await app.waitFor(reached);
    app.child.kill("SIGKILL");
    await app.exit;
    await waitAllGone(app.pids(), app.port(), 2000);
  });
}
