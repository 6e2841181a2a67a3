import assert from "node:assert/strict";
import { test } from "node:test";
import { fillTemplate, formatValue, parseTemplate, type TemplatePart } from "../../src/lessons/template.ts";

function parts(text: string, fields?: readonly string[]): readonly TemplatePart[] {
  const result = parseTemplate(text, fields);
  assert.ok(result.ok, result.ok ? "" : result.error.message);
  return result.parts;
}

function fill(text: string, values: Record<string, string | number | boolean | null>): string {
  return fillTemplate(parts(text), values);
}

test("bytes: exact count with thousands separators", () => {
  assert.equal(formatValue(136_314_880, "bytes"), "136,314,880 bytes");
  assert.equal(formatValue(1, "bytes"), "1 byte");
  assert.equal(formatValue(0, "bytes"), "0 bytes");
  assert.equal(formatValue(999, "bytes"), "999 bytes");
  assert.equal(formatValue(-2_048, "bytes"), "-2,048 bytes");
});

test("size: binary units with one decimal", () => {
  assert.equal(formatValue(4 * 1024 * 1024, "size"), "4.0 MiB");
  assert.equal(formatValue(136_314_880, "size"), "130.0 MiB");
  assert.equal(formatValue(2_626_560, "size"), "2.5 MiB");
  assert.equal(formatValue(1_536, "size"), "1.5 KiB");
  assert.equal(formatValue(512, "size"), "512 B");
  assert.equal(formatValue(1_048_535, "size"), "1.0 MiB");
  assert.equal(formatValue(3 * 1024 ** 3, "size"), "3.0 GiB");
});

test("ms: whole milliseconds, one decimal below 10", () => {
  assert.equal(formatValue(2_101, "ms"), "2,101 ms");
  assert.equal(formatValue(2_100.6, "ms"), "2,101 ms");
  assert.equal(formatValue(12.4, "ms"), "12 ms");
  assert.equal(formatValue(2.5, "ms"), "2.5 ms");
  assert.equal(formatValue(3, "ms"), "3 ms");
  assert.equal(formatValue(0.4, "ms"), "0.4 ms");
  assert.equal(formatValue(0.01, "ms"), "<0.1 ms");
  assert.equal(formatValue(0, "ms"), "0 ms");
});

test("count: thousands separators", () => {
  assert.equal(formatValue(12_345, "count"), "12,345");
  assert.equal(formatValue(1_000_000, "count"), "1,000,000");
  assert.equal(formatValue(7, "count"), "7");
  assert.equal(formatValue(1_234.5, "count"), "1,234.5");
});

test("a number sent as a string is formatted; other strings are shown as they are", () => {
  assert.equal(formatValue("4194304", "size"), "4.0 MiB");
  assert.equal(formatValue("EAGAIN", "count"), "EAGAIN");
  // The programs are Python: a flag reads as Python writes it.
  assert.equal(formatValue(true, null), "True");
  assert.equal(formatValue(false, null), "False");
});

test("a null reads as what it means for its field: none where there was none, else unknown", () => {
  const parts = parseTemplate("signal {signal}, cpu {cpu_ms|ms}");
  assert.ok(parts.ok);
  assert.equal(
    fillTemplate(parts.parts, { signal: null, cpu_ms: null }, { signal: "none" }),
    "signal none, cpu unknown",
  );
});

test("missing, null and non-finite values render as unknown, never as a number", () => {
  assert.equal(fill("sent {sent|bytes} in {ms|ms}", { sent: null }), "sent unknown in unknown");
  assert.equal(formatValue(Number.NaN, "count"), "unknown");
  assert.equal(formatValue(Number.POSITIVE_INFINITY, "ms"), "unknown");
});

test("a field without a format is shown raw, so a pid or line gets no commas", () => {
  assert.equal(fill("pid {pid} line {line}", { pid: 123456, line: 12 }), "pid 123456 line 12");
});

test("fills placeholders between literal text", () => {
  const text = "The client slept {asleep_ms|ms} in {syscall}; {sent|bytes} of {total|size} went out.";
  const values = { asleep_ms: 2101, syscall: "sendto", sent: 136_314_880, total: 4_194_304 };
  assert.equal(fill(text, values), "The client slept 2,101 ms in sendto; 136,314,880 bytes of 4.0 MiB went out.");
});

test("doubled braces are literal braces", () => {
  assert.deepEqual(parts("a {{b}} c"), [{ kind: "text", text: "a {b} c" }]);
  assert.equal(fill("{{ {n} }}", { n: 1 }), "{ 1 }");
});

test("spaces inside a placeholder are allowed", () => {
  assert.deepEqual(parts("{ bytes | size }"), [{ kind: "field", field: "bytes", format: "size" }]);
});

test("with a field list, an unknown field is an error naming the placeholder", () => {
  const result = parseTemplate("sent {sent|bytes} of {totl|bytes}", ["sent", "total"]);
  assert.deepEqual(result, {
    ok: false,
    error: {
      placeholder: "{totl|bytes}",
      offset: 21,
      message: 'unknown field "totl" in {totl|bytes} (fields: sent, total)',
    },
  });
});

test("an unknown format is an error", () => {
  const result = parseTemplate("{bytes|kb}");
  assert.ok(!result.ok);
  assert.equal(result.error.message, 'unknown format "kb" in {bytes|kb} (formats: bytes, size, ms, count, times)');
});

test("brace mistakes are errors with their offset", () => {
  const cases: [string, string, number][] = [
    ["line {line}} here", "}", 11],
    ["open {line", "{line", 5],
    ["empty {} here", "{}", 6],
    ["two {a|ms|size}", "{a|ms|size}", 4],
    ["nested {a{b}", "{a{b}", 7],
  ];
  for (const [text, placeholder, offset] of cases) {
    const result = parseTemplate(text);
    assert.ok(!result.ok, text);
    assert.equal(result.error.placeholder, placeholder, text);
    assert.equal(result.error.offset, offset, text);
  }
});
