// Facts said in words: every fact a lesson can name has a sentence, and no
// sentence shows a fact's internal name.
import assert from "node:assert/strict";
import { test } from "node:test";
import { describeFact, factHappens, factSeen, factWords } from "../../src/facts/describe.ts";
import { FACT_NAMES, PHASES } from "../../src/facts/vocabulary.ts";

/** A fact name's shape: "send.woke", "sendq.filled", "transfer.ended". */
const DOT_NAME = new RegExp(
  `\\b[a-z_]+\\.(?:${[...PHASES, "filled", "drained", "closed", "opened", "started", "exited", "ended"].join("|")})\\b`,
);

test("every fact in the vocabulary gets a sentence with no fact name in it", () => {
  assert.ok(FACT_NAMES.length > 100, "the call facts and the others");
  for (const name of FACT_NAMES) {
    for (const program of [undefined, "client"]) {
      const forms = [describeFact(name, program), factHappens(name, program), factSeen(name, program)];
      for (const sentence of forms) {
        assert.doesNotMatch(sentence, DOT_NAME, `${name}: "${sentence}"`);
        for (const other of FACT_NAMES) assert.ok(!sentence.includes(other), `${name}: "${sentence}" names ${other}`);
        assert.doesNotMatch(sentence, /does not know/, `${name} is described from the vocabulary`);
        assert.doesNotMatch(sentence, /\s{2}|\s$|undefined/, `${name}: "${sentence}"`);
      }
      if (program) assert.match(describeFact(name, program), /client|both ends/, `${name} names its program`);
    }
  }
});

test("sentences read as the lessons need them", () => {
  assert.equal(describeFact("send.woke", "client"), "the client's send() to wake up");
  assert.equal(describeFact("accept.called", "server"), "the server to call accept()");
  assert.equal(describeFact("sendq.filled", "client"), "the client's send queue to fill");
  assert.equal(describeFact("peer.closed", "server"), "the server to find its peer closed");
  assert.equal(describeFact("transfer.ended"), "both ends of a connection to close");
  assert.equal(describeFact("recv.blocked"), "a program's recv() to block");
  assert.equal(describeFact("selector.returned", "server"), "the server's selector.select() to return");
  assert.equal(factHappens("send.woke", "client"), "the client's send() wakes up");
  assert.equal(factSeen("connect.blocked", "blocking"), "the blocking's connect() block");
  assert.equal(factWords("no.such").verb, "happen");
});
