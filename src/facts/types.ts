// Facts: what the observations prove, each with its evidence. Their names and
// fields (vocabulary.ts) are the contract of `run --json` and of lesson
// files, whose beats name a fact and fill placeholders from its fields.

/** A fact's name: `<call>.<phase>` for every traced call, or one of the other facts (vocabulary.ts). */
export type FactName = string;

export type FactValue = string | number | boolean | null;

/** One piece of evidence: which source said what, and when (run clock, ms). */
export interface Evidence {
  readonly source: "trace" | "proc" | "socket" | "process" | "output";
  readonly t: number;
  readonly what: string;
}

export interface Fact {
  readonly fact: FactName;
  readonly t: number;
  readonly values: Readonly<Record<string, FactValue>>;
  readonly evidence: readonly Evidence[];
}
