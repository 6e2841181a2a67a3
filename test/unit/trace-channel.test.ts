// The trace channel's validation, its clock, and the output tail.
import assert from "node:assert/strict";
import { test } from "node:test";
import { LineSplitter, parseTraceLine, toRunClock, TraceChannelError } from "../../src/trace/channel.ts";
import { clockMapping } from "../../src/trace/clock.ts";
import { LINE_CHARS, OutputTail, TAIL_LINES } from "../../src/runner/output-tail.ts";

// Lines as the tracer writes them (blocking-send: the client's one send(), the
// server's hot recv() loop summarised, a sample while the client is inside send()).
const REAL = [
  '{"ev":"hello","pid":2296,"python":"3.11.7","t":327186607556}',
  '{"ev":"caps","sock_queues":true,"tcp_info":true,"tcp_window":true,"rusage_thread":true,"platform":"linux"}',
  '{"ev":"ready","t":327187607556}',
  '{"ev":"call","id":4,"call":"send","fd":3,"line":19,"t":328192189807,"nth":1,"timeout_s":null,"mode":"blocking","bytes":136314880,"fields":{}}',
  '{"ev":"ret","id":4,"call":"send","fd":3,"line":19,"t":330293552433,"nth":1,"ms":2101.362626,"result":136314880,"bytes":136314880,"fields":{},"sleeps":88,"cpu_ms":16.6,"totals":{"sent":136314880,"received":0,"send_calls":1,"recv_calls":0,"unsent":0}}',
  '{"ev":"sum","call":"recv","line":21,"fd":4,"calls":4871,"bytes":4987877,"ms":19.7315,"t":328264268067,"first":5,"last":4875}',
  '{"ev":"sample","t":328277089093,"in":{"call":"send","line":19,"since":328192189807,"fd":3,"nth":1,"id":4,"timeout_s":null,"mode":"blocking"},"socks":[{"fd":3,"sndbuf":4194304,"rcvbuf":131072,"state":"ESTABLISHED","retrans":0,"sndq":3212934,"rcvq":0}]}',
  '{"ev":"exit","t":330393552433,"left":0,"cpu_ms":210.5,"sleeps":120,"socks":[{"fd":3,"totals":null,"local":"127.0.0.1:40000","peer":"127.0.0.1:12345"}]}',
];

test("tracer lines parse into their events", () => {
  const events = REAL.map(parseTraceLine);
  assert.deepEqual(events.map((e) => e.ev), ["hello", "caps", "ready", "call", "ret", "sum", "sample", "exit"]);
  const ret = events[4]!;
  assert.ok(ret.ev === "ret" && ret.result === 136314880 && ret.sleeps === 88);
});

test("malformed lines are refused with the raw line in the message", () => {
  for (
    const [raw, reason] of [
      ["not json", /not JSON/],
      [
        '{"ev":"call","id":1,"call":"sendfile","fd":3,"line":1,"t":1,"nth":1,"mode":"blocking","timeout_s":null,"bytes":null,"fields":{}}',
        /unknown call/,
      ],
      ['{"ev":"ret","id":1,"call":"send","fd":3,"line":1,"t":1,"nth":1}', /field "ms" is not a number/],
      [
        '{"ev":"call","id":1,"call":"send","fd":3,"line":1,"t":1,"nth":1,"mode":"sideways","timeout_s":null,"bytes":null,"fields":{}}',
        /bad mode/,
      ],
      [
        '{"ev":"ret","id":1,"call":"send","fd":3,"line":1,"t":1,"nth":1,"ms":1,"result":1,"bytes":1,"fields":{"x":[1]}}',
        /not a plain value/,
      ],
      ['{"ev":"teleport"}', /unknown event/],
      ['{"ev":"sample","t":1,"in":null,"socks":{}}', /socks is not a list/],
      ['{"ev":"sample","t":1,"in":{"call":"recv","since":1},"socks":[]}', /bad in/],
    ] as const
  ) {
    assert.throws(
      () => parseTraceLine(raw),
      (e: unknown) =>
        e instanceof TraceChannelError && reason.test(e.message) &&
        e.message.includes(JSON.stringify(raw).slice(1, 10)),
      raw,
    );
  }
});

test("tracer nanoseconds map onto the run clock in ms, including a sample's 'since'", () => {
  const sample = toRunClock(parseTraceLine(REAL[6]!), -328000);
  assert.ok(sample.ev === "sample");
  assert.equal(Math.round(sample.t), 277);
  assert.equal(Math.round(sample.in!.since), 192);
});

test("the clock handshake: the same clock converts exactly; another is bounded by the round trip", () => {
  // The tracer read "start" 1.5 ms after the app wrote it, on the app's own clock: the same clock.
  const same = clockMapping({ runStartNs: 5_000_000_000, sentMs: 10, readyNs: 5_011_500_000, receivedMs: 12 });
  assert.deepEqual(same, { offsetMs: -5000, errorMs: 0 });
  // A clock with another origin (Deno's hrtime): the midpoint of the round trip, within half of it.
  const other = clockMapping({ runStartNs: 5_000_000_000, sentMs: 10, readyNs: 900_000_000, receivedMs: 14 });
  assert.equal(other.errorMs, 2);
  assert.equal(900_000_000 / 1e6 + other.offsetMs, 12);
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
