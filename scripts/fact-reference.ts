// Writes the fact reference (src/docs/fact-reference.ts) into docs/facts.md,
// between its markers: `npm run docs:facts` after adding a call or a fact.
import { readFileSync, writeFileSync } from "node:fs";
import { factReference, REFERENCE_END, REFERENCE_START } from "../src/docs/fact-reference.ts";

const path = new URL("../docs/facts.md", import.meta.url);
const doc = readFileSync(path, "utf8");
const start = doc.indexOf(REFERENCE_START);
const end = doc.indexOf(REFERENCE_END);
if (start < 0 || end < start) throw new Error("docs/facts.md has no fact reference markers");
writeFileSync(path, doc.slice(0, start) + factReference() + doc.slice(end + REFERENCE_END.length));
console.log("docs/facts.md: fact reference written");
