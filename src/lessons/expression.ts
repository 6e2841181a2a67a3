// The right-hand side of an exercise's comparison: a number, or arithmetic on
// the fields of the fact it judges ("0.5 * (wall_ms - ready_ms)"). Small on
// purpose: numbers, field names, + - * /, parentheses; nothing else, so a
// criterion reads like the sentence it stands for and can be checked when
// the lesson loads. Pure.

export type Expression =
  | { readonly kind: "number"; readonly value: number }
  | { readonly kind: "field"; readonly name: string }
  | { readonly kind: "negate"; readonly of: Expression }
  | {
    readonly kind: "binary";
    readonly op: "+" | "-" | "*" | "/";
    readonly left: Expression;
    readonly right: Expression;
  };

export type ExpressionResult =
  | { readonly ok: true; readonly expression: Expression }
  | { readonly ok: false; readonly message: string };

type Token =
  | { readonly kind: "number"; readonly value: number; readonly at: number }
  | { readonly kind: "name"; readonly name: string; readonly at: number }
  | { readonly kind: "op"; readonly op: string; readonly at: number };

const TOKEN = /\s*(?:(\d+(?:\.\d+)?)|([a-z_][a-z0-9_]*)|([-+*/()]))/y;

function tokens(text: string): Token[] | string {
  const out: Token[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    const at = TOKEN.lastIndex;
    if (/^\s*$/.test(text.slice(at))) break;
    const m = TOKEN.exec(text);
    if (m === null) return `cannot read "${text.slice(at).trim()}": write numbers, field names, + - * / and ( )`;
    if (m[1] !== undefined) out.push({ kind: "number", value: Number(m[1]), at });
    else if (m[2] !== undefined) out.push({ kind: "name", name: m[2], at });
    else out.push({ kind: "op", op: m[3]!, at });
  }
  return out;
}

/**
 * Parses `text`; every field it names must be in `fields` (the numeric fields
 * of the fact it will be evaluated on), so a typo is caught at load time.
 * `suggest` offers a near name for the "did you mean" of the error.
 */
export function parseExpression(
  text: string,
  fields: readonly string[],
  suggest: (name: string) => string | null = () => null,
): ExpressionResult {
  const list = tokens(text);
  if (typeof list === "string") return { ok: false, message: list };
  if (list.length === 0) return { ok: false, message: "is empty: write a number or an expression of fields" };
  let i = 0;
  const peek = (): Token | undefined => list[i];
  const isOp = (t: Token | undefined, ...ops: string[]): boolean => t?.kind === "op" && ops.includes(t.op);
  const fail = (message: string): never => {
    throw new SyntaxError(message);
  };
  const factor = (): Expression => {
    const t = list[i++];
    if (t === undefined) return fail("ends too early: a number or a field is missing at the end");
    if (t.kind === "number") return { kind: "number", value: t.value };
    if (t.kind === "name") {
      if (!fields.includes(t.name)) {
        const near = suggest(t.name);
        return fail(
          `"${t.name}" is not a number field of this fact${near ? ` (did you mean "${near}"?)` : ""} (fields: ${
            fields.join(", ")
          })`,
        );
      }
      return { kind: "field", name: t.name };
    }
    if (t.op === "-") return { kind: "negate", of: factor() };
    if (t.op === "(") {
      const inner = sum();
      if (!isOp(list[i++], ")")) return fail('a "(" is never closed');
      return inner;
    }
    return fail(`"${t.op}" where a number or a field should be`);
  };
  const product = (): Expression => {
    let left = factor();
    while (isOp(peek(), "*", "/")) {
      const op = (list[i++] as { op: "*" | "/" }).op;
      left = { kind: "binary", op, left, right: factor() };
    }
    return left;
  };
  const sum = (): Expression => {
    let left = product();
    while (isOp(peek(), "+", "-")) {
      const op = (list[i++] as { op: "+" | "-" }).op;
      left = { kind: "binary", op, left, right: product() };
    }
    return left;
  };
  try {
    const expression = sum();
    const rest = peek();
    if (rest !== undefined) {
      const shown = rest.kind === "number" ? String(rest.value) : rest.kind === "name" ? rest.name : rest.op;
      return { ok: false, message: `unexpected "${shown}": join terms with + - * /` };
    }
    return { ok: true, expression };
  } catch (error) {
    if (error instanceof SyntaxError) return { ok: false, message: error.message };
    throw error;
  }
}

/** The value on a fact's fields; null when a field it needs was not measured (or is not a number). */
export function evaluate(expression: Expression, values: Readonly<Record<string, unknown>>): number | null {
  switch (expression.kind) {
    case "number":
      return expression.value;
    case "field": {
      const v = values[expression.name];
      return typeof v === "number" && Number.isFinite(v) ? v : null;
    }
    case "negate": {
      const v = evaluate(expression.of, values);
      return v === null ? null : -v;
    }
    case "binary": {
      const a = evaluate(expression.left, values);
      const b = evaluate(expression.right, values);
      if (a === null || b === null) return null;
      switch (expression.op) {
        case "+":
          return a + b;
        case "-":
          return a - b;
        case "*":
          return a * b;
        case "/":
          return b === 0 ? null : a / b;
      }
    }
  }
}

/** The fields an expression reads. */
export function fieldsOf(expression: Expression): string[] {
  switch (expression.kind) {
    case "number":
      return [];
    case "field":
      return [expression.name];
    case "negate":
      return fieldsOf(expression.of);
    case "binary":
      return [...new Set([...fieldsOf(expression.left), ...fieldsOf(expression.right)])];
  }
}

/** As an author would write it: `0.5 * (wall_ms - ready_ms)`. */
export function expressionText(expression: Expression): string {
  const inner = (e: Expression, parentOp: string | null): string => {
    if (e.kind === "number") return String(e.value);
    if (e.kind === "field") return e.name;
    if (e.kind === "negate") return `-${inner(e.of, "neg")}`;
    const text = `${inner(e.left, e.op)} ${e.op} ${inner(e.right, e.op)}`;
    const loose = (e.op === "+" || e.op === "-") && parentOp !== null && parentOp !== "+";
    return loose ? `(${text})` : text;
  };
  return inner(expression, null);
}
