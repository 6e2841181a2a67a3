// The trace channel's validation and the output tail: pure pieces of the runner.
import assert from "node:assert/strict";
import { test } from "node:test";
import { LineSplitter, parseTraceLine, toRunClock, TraceChannelError } from "../../src/runner/channel.ts";
import { LINE_CHARS, OutputTail, TAIL_LINES } from "../../src/runner/output-tail.ts";

// Lines as the tracer wrote them in a real run of blocking-send.
const REAL = [
  '{"ev":"hello","pid":2296,"python":"3.11.7","t":327186607556}',
  '{"ev":"call","id":3,"fn":"send","fd":4,"line":19,"t":328192189807,"bytes":136314880}',
  '{"ev":"ret","id":3,"fn":"send","fd":4,"line":19,"t":330293552433,"ms":2101.362626,"result":136314880}',
  '{"ev":"sum","fn":"recv","line":21,"fd":5,"calls":4871,"bytes":4987877,"ms":19.7315,"t":328264268067}',
  '{"ev":"sample","t":328277089093,"in":{"fn":"send","line":19,"since":328192189807,"fd":4},"socks":[{"fd":4,"sndbuf":4194304,"rcvbuf":131072,"state":"ESTABLISHED","retrans":0,"sndq":3212934,"rcvq":0}]}',
];

test("real tracer lines parse into their events", () => {
  const events = REAL.map(parseTraceLine);
  assert.deepEqual(events.map((e) => e.ev), ["hello", "call", "ret", "sum", "sample"]);
  const ret = events[2]!;
  assert.ok(ret.ev === "ret" && ret.result === 136314880);
});

test("malformed lines are refused with the raw line in the message", () => {
  for (
    const [raw, reason] of [
      ["not json", /not JSON/],
      ['{"ev":"call","id":1,"fn":"sendfile","fd":3,"line":1,"t":1}', /unknown fn/],
      ['{"ev":"ret","id":1,"fn":"send","fd":3,"line":1,"t":1}', /field "ms" is not a number/],
      ['{"ev":"teleport"}', /unknown event/],
      ['{"ev":"sample","t":1,"in":null,"socks":{}}', /socks is not a list/],
    ] as const
  ) {
    assert.throws(
      () => parseTraceLine(raw),
      (e: unknown) =>
        e instanceof TraceChannelError && reason.test(e.message) &&
        e.message.includes(JSON.stringify(raw).slice(1, 10)),
    );
  }
});

test("tracer nanoseconds map onto the run clock in ms, including a sample's 'since'", () => {
  const sample = toRunClock(parseTraceLine(REAL[4]!), -328000);
  assert.ok(sample.ev === "sample");
  assert.equal(Math.round(sample.t), 277);
  assert.equal(Math.round(sample.in!.since), 192);
});

test("the line splitter keeps a line cut across chunks", () => {
  const s = new LineSplitter();
  assert.deepEqual(s.push('{"a":1}\n{"b"'), ['{"a":1}']);
  assert.deepEqual(s.push(":2}\n"), ['{"b":2}']);
});

test("the output tail counts every byte but keeps only the last lines, clipped", () => {
  const tail = new OutputTail();
  const line = "b'Hello Python\\nHello Python\\n'";
  let bytes = 0;
  for (let i = 0; i < 1000; i++) {
    const chunk = `${line} ${i}\n`;
    tail.push(chunk, Buffer.byteLength(chunk));
    bytes += Buffer.byteLength(chunk);
  }
  tail.push("All Data Rec", 12);
  assert.equal(tail.bytes, bytes + 12);
  assert.deepEqual(tail.tail(), [996, 997, 998, 999].map((i) => `${line} ${i}`).slice(-TAIL_LINES));
  assert.equal(tail.tail(true).at(-1), "All Data Rec");
  tail.push("eived\n", 6);
  assert.equal(tail.tail().at(-1), "All Data Received");
  tail.push(`${"x".repeat(5000)}\n`, 5001);
  assert.equal(tail.tail().at(-1)!.length, LINE_CHARS);
});
