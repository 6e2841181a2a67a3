// Writes the fact reference (src/docs/fact-reference.ts) into README.md,
// between its markers: `npm run docs:facts` after adding a call or a fact.
import { readFileSync, writeFileSync } from "node:fs";
import { factReference, REFERENCE_END, REFERENCE_START } from "../src/docs/fact-reference.ts";

const path = new URL("../README.md", import.meta.url);
const readme = readFileSync(path, "utf8");
const start = readme.indexOf(REFERENCE_START);
const end = readme.indexOf(REFERENCE_END);
if (start < 0 || end < start) throw new Error("README.md has no fact reference markers");
writeFileSync(path, readme.slice(0, start) + factReference() + readme.slice(end + REFERENCE_END.length));
console.log("README.md: fact reference written");
