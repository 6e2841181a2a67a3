// docs/facts.md's fact reference is the registry's and the vocabulary's own:
// regenerated, it must be what the doc says (npm run docs:facts fixes it).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { factReference, REFERENCE_END, REFERENCE_START } from "../../src/docs/fact-reference.ts";
import { FACT_NAMES } from "../../src/facts/vocabulary.ts";
import { CALL_NAMES } from "../../src/trace/registry.ts";

const DOC = readFileSync(new URL("../../docs/facts.md", import.meta.url), "utf8");

test("docs/facts.md's fact reference is generated from the registry and the vocabulary", () => {
  const start = DOC.indexOf(REFERENCE_START);
  const end = DOC.indexOf(REFERENCE_END);
  assert.ok(start >= 0 && end > start, "docs/facts.md has the reference's markers");
  assert.equal(DOC.slice(start, end + REFERENCE_END.length), factReference(), "run npm run docs:facts");
});

test("every traced call and every fact that is not a call's is named in it", () => {
  const reference = factReference();
  for (const call of CALL_NAMES) assert.ok(reference.includes(`| \`${call}\` |`), call);
  for (const fact of FACT_NAMES.filter((f) => !CALL_NAMES.includes(f.split(".")[0]!))) {
    assert.ok(reference.includes(`| \`${fact}\` |`), fact);
  }
});
