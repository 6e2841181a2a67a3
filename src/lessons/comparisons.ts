// The comparisons a criterion or a question's choice may make (schema.ts). Apart, so that the readers and
// the schema share them without importing each other.
export const COMPARISONS = ["equals", "below", "above", "at_least", "at_most", "between"] as const;
export type ComparisonName = (typeof COMPARISONS)[number];
