// The panes against sessions replayed from real recorded runs.
import assert from "node:assert/strict";
import { afterEach, test } from "node:test";
import { cleanup } from "ink-testing-library";
import { formatMs, formatSize } from "../../src/report/format.ts";
import { CodePane } from "../../src/ui/CodePane.tsx";
import { heldText, laneStatus, LESSON_OVER as LESSON_OVER_UI, ProgramLane } from "../../src/ui/ProgramLane.tsx";
import { LESSON_OVER } from "../../src/runner/run-lesson.ts";
import type { Lane, SessionState } from "../../src/session/session.ts";
import { acceptQueueText, type GaugeData, sizeOf, SocketGauges } from "../../src/ui/SocketGauges.tsx";
import { loadSources } from "../../src/ui/sources.ts";
import { atFact, lessonById, replay } from "../helpers/recordings.ts";
import { BLOCKING_SEND_LINE, lessonLine } from "../helpers/lesson-lines.ts";
import { frameLines, renderUi } from "./ui-helpers.tsx";

const sources = loadSources(lessonById("blocking-send"));
afterEach(cleanup);

test("code pane: the client's executing line is marked, with how long it has been there", () => {
  const s = replay("blocking-send", "blocking-send", atFact("send.blocked"));
  const client = s.lanes.find((l) => l.name === "client")!;
  assert.equal(client.call?.line, 19); // the recorded run's program, before the lesson's knobs
  const forMs = s.now - client.call!.since;
  // The code pane shows the program as it is now: its send() line found by its text.
  const line = BLOCKING_SEND_LINE;
  const ui = renderUi(<CodePane lines={sources.get("client")!} line={line} forMs={forMs} width={64} height={8} />);
  const lines = frameLines(ui.frame());
  assert.equal(lines.length, 8);
  const marked = lines.filter((l) => l.startsWith("▶"));
  assert.equal(marked.length, 1);
  assert.match(
    marked[0]!,
    new RegExp(`^▶${line} assert sock\\.send\\(data\\)  # Send data till true +${formatMs(forMs)}$`),
  );
  const sendAll = lessonLine("blocking-send", "block_client.py", "sock.setblocking(1)");
  assert.ok(lines.some((l) => l.startsWith(` ${sendAll} sock.setblocking(1)`)), lines.join("\n"));
  for (const line of lines) assert.ok(line.length <= 64, line);
  ui.unmount();
});

test("code pane: long lines are cut at a word, and the window follows the line", () => {
  const all = lessonLine("blocking-send", "block_server.py", 'print("All Data Received")');
  const ui = renderUi(<CodePane lines={sources.get("server")!} line={all - 1} forMs={3} width={40} height={4} />);
  const lines = frameLines(ui.frame());
  assert.deepEqual(lines.map((l) => l.slice(0, 3)), [` ${all - 2}`, `▶${all - 1}`, ` ${all}`, ` ${all + 1}`]);
  assert.equal(lines[2], ` ${all}     print("All Data Received")  #…`);
  ui.unmount();
});

test("lane: the client asleep in sendto, with the wchan the kernel reports, inside send() on line 19", () => {
  const s = replay(
    "blocking-send",
    "blocking-send",
    (line, state) =>
      line.type === "observation" && line.obs.kind === "proc" && line.obs.program === "client" &&
      state.lanes[1]!.proc?.state === "S" && state.lanes[1]!.call !== null,
  );
  const lane = s.lanes.find((l) => l.name === "client")!;
  const spec = s.lesson.programs[1];
  const ui = renderUi(
    <ProgramLane
      lane={lane}
      spec={spec}
      probe={s.probe}
      now={s.now}
      width={60}
      height={3}
      outputLines={1}
      named={false}
      codeLine={null}
    />,
  );
  const [status, call, output] = frameLines(ui.frame());
  assert.equal(status, `◌ asleep in sendto · wchan ${lane.proc!.wchan}`);
  assert.match(call!, new RegExp(`^  in send\\(\\) · line 19 · ${formatMs(s.now - lane.call!.since)}$`));
  assert.equal(output, "› (no output yet)");
  ui.unmount();
});

test("lane: the server's last lines include All Data Received; exit code shown", () => {
  const s = replay("blocking-send", "blocking-send");
  const lane = s.lanes.find((l) => l.name === "server")!;
  const ui = renderUi(
    <ProgramLane
      lane={lane}
      spec={s.lesson.programs[0]}
      probe={s.probe}
      now={s.now}
      width={50}
      height={4}
      outputLines={2}
      named={false}
      codeLine={null}
    />,
  );
  const lines = frameLines(ui.frame());
  assert.equal(lines[0], "✓ exited with code 0");
  assert.equal(lines[3], "› All Data Received");
  assert.match(lines[2]!, /^› b'.*Hello…$/);
  ui.unmount();
});

test("lane, compact: name, pid and the executing line's source in one lane", () => {
  const s = replay("blocking-send", "blocking-send", atFact("send.called"));
  const lane = s.lanes.find((l) => l.name === "client")!;
  const ui = renderUi(
    <ProgramLane
      lane={lane}
      spec={s.lesson.programs[1]}
      probe={s.probe}
      now={s.now}
      width={70}
      height={2}
      outputLines={0}
      named
      codeLine="assert sock.send(data)  # Send data till true"
    />,
  );
  const [status, call] = frameLines(ui.frame());
  assert.match(status!, new RegExp(`^client ${lane.pid} \\S `));
  assert.match(call!, /^ {2}in send\(\) · line 19 · \d+ ms: assert sock\.send\(data\)/);
  ui.unmount();
});

test("lane: a program not started yet says what it waits for", () => {
  const s = replay("blocking-send", "blocking-send", atFact("program.started", "server"));
  const ui = renderUi(
    <ProgramLane
      lane={s.lanes[1]!}
      spec={s.lesson.programs[1]}
      probe={s.probe}
      now={s.now}
      width={60}
      height={2}
      outputLines={0}
      named={false}
      codeLine={null}
    />,
  );
  assert.equal(frameLines(ui.frame())[0], "○ not started · starts when the server calls accept()");
  ui.unmount();
});

/** The gauges' data from a session, with these programs exited. */
function gaugeData(s: SessionState, exited: readonly string[] = []): GaugeData {
  return {
    sockets: s.sockets,
    counters: s.counters,
    totals: s.totals,
    programs: s.lanes.map((l) => l.name),
    exited: [...exited],
  };
}

test("gauges: the client's send queue against its buffer in sizes, with the peak; the counters in exact bytes", () => {
  const s = replay("blocking-send", "blocking-send", atFact("sendq.filled"));
  const client = s.sockets.find((g) => g.program === "client")!;
  const ui = renderUi(<SocketGauges data={gaugeData(s)} width={100} height={12} />);
  const lines = frameLines(ui.frame());
  const at = lines.findIndex((l) => l.startsWith(`client fd ${client.fd} · ESTABLISHED`));
  assert.ok(at >= 0, lines.join("\n"));
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const size = (n: number) => escape(formatSize(n));
  assert.match(
    lines[at + 1]!,
    new RegExp(`^  send queue ▕█+░*▏ ${escape(sizeOf(client.sndq!, client.sndbuf!))} · peak ${size(client.peakSndq)}$`),
  );
  assert.match(lines[at + 2]!, /^ {2}recv queue ▕░+▏ 0 B \/ \d+\.\d KiB · peak 0 B$/);
  // listen(5): Linux queues backlog + 1 connections.
  assert.ok(lines.some((l) => /^server fd \d+ · LISTEN · accept queue 0 of 6$/.test(l)), lines.join("\n"));
  // One unit a kind: no exact byte count outside the counters, no size inside them.
  const counters = lines.findIndex((l) => l.startsWith("intended"));
  for (const line of lines.slice(0, counters)) assert.doesNotMatch(line, /\d,\d{3}/, line);
  // send() has not returned: nothing is known to be handed over; what recv() returned so far, if any.
  const delivered = s.counters.delivered === null ? "—" : `${s.counters.delivered.toLocaleString("en-US")} B`;
  assert.equal(
    lines[lines.length - 1],
    `intended 136,314,880 B · handed to send() — · delivered by recv() ${delivered}`,
  );
  ui.unmount();
});

test("gauges: at the end, the counters exact; an exited program's sockets closed, with the last values said to be such", () => {
  const s = replay("blocking-send", "blocking-send");
  const ui = renderUi(<SocketGauges data={gaugeData(s, ["server", "client"])} width={51} height={16} />);
  const lines = frameLines(ui.frame());
  assert.deepEqual(lines.slice(-3), [
    "intended 136,314,880 B",
    "handed to send() 136,314,880 B",
    "delivered by recv() 136,314,880 B",
  ]);
  for (const line of lines) assert.ok(line.length <= 51, line);
  const client = lines.findIndex((l) => /^client fd \d+ · closed · last seen ESTABLISHED( at [\d.]+ s)?$/.test(l));
  assert.ok(client >= 0, lines.join("\n"));
  // The queues under it, as the client left them at its exit, with the peak of the run.
  assert.match(lines[client + 1]!, /^ {2}send q ▕█*░*▏ [\d.]+( [KM]iB)? \/ 4\.0 MiB · peak 4\.0 MiB$/);
  assert.ok(!lines.some((l) => /ESTABLISHED$/.test(l) && !/last seen/.test(l)), "no socket of an exited program open");
  ui.unmount();

  // Wide, the header says why it is closed, when it was last seen, and what it carried: as the counters say.
  const wide = renderUi(<SocketGauges data={gaugeData(s, ["server", "client"])} width={100} height={16} />);
  const server = frameLines(wide.frame()).find((l) =>
    /^server fd \d+ · closed \(server exited\)/.test(l) && /recv/.test(l)
  );
  assert.match(server ?? "", /· last seen \w+ at [\d.]+ s · recv\(\) got 130\.0 MiB$/);
  wide.unmount();
});

test("gauges: listen(0)'s accept queue holds one connection: 1 of 1, full", () => {
  const s = replay("cancel-connect", "cancel-connect", atFact("acceptq.filled"));
  const ui = renderUi(<SocketGauges data={gaugeData(s)} width={60} height={20} />);
  assert.match(ui.frame(), /^server fd \d+ · LISTEN · accept queue 1 of 1 \(full\)$/m);
  ui.unmount();
  assert.equal(acceptQueueText(0, 0), "accept queue 0 of 1");
  assert.equal(acceptQueueText(6, 5), "accept queue 6 of 6 (full)");
});

test("gauges: non-blocking-send's early return leaves the send queue near full, as the call's own sample shows", () => {
  const s = replay("non-blocking-send", "non-blocking-send", atFact("send.returned"));
  const ui = renderUi(<SocketGauges data={gaugeData(s)} width={100} height={12} />);
  const row = frameLines(ui.frame()).find((l) => /^ {2}send queue/.test(l) && !/ 0 B \//.test(l));
  const gauge = /▕(█*)(░*)▏ ([\d.]+)(?: MiB)? \/ ([\d.]+) MiB/.exec(row ?? "");
  assert.ok(gauge, ui.frame());
  assert.ok(Number(gauge[3]) / Number(gauge[4]) >= 0.6, row);
  ui.unmount();
});

test("gauges: a short pane gets one line a socket, queues first", () => {
  const s = replay("blocking-send", "blocking-send", atFact("send.blocked"));
  const ui = renderUi(<SocketGauges data={gaugeData(s)} width={50} height={3} />);
  const lines = frameLines(ui.frame());
  assert.equal(lines.length, 3);
  assert.match(lines[0]!, /^server (recv|send) q +▕[█░]+▏ /);
  assert.match(lines[1]!, /^client send q +▕█+░*▏ \d+\.\d \/ 4\.0 MiB/);
  assert.match(lines[2]!, /^int(ended)? 130\.0 MiB · handed — · (delivered|got) (—|[\d.]+ [KM]iB)$/);
  ui.unmount();
});

const exitLane = (lane: Lane, exit: NonNullable<Lane["exit"]>): Lane => ({ ...lane, status: "exited", exit });

test("lane: how a program ended: code 0 ok; stopped at the lesson's end neither; SIGKILL, a signal or a code failed", () => {
  const s = replay("cancel-connect", "cancel-connect");
  const lane = s.lanes[0]!;
  const status = (exit: NonNullable<Lane["exit"]>) => laneStatus(exitLane(lane, exit), undefined, s.probe);
  assert.equal(LESSON_OVER_UI, LESSON_OVER, "the lane knows the runner's word for the lesson's end");
  assert.deepEqual(status({ code: 0, signal: null, stoppedBy: null }), {
    kind: "exited",
    outcome: "ok",
    text: "exited with code 0",
  });
  assert.deepEqual(status({ code: null, signal: "SIGTERM", stoppedBy: LESSON_OVER }), {
    kind: "exited",
    outcome: "stopped",
    text: "stopped at the lesson's end (SIGTERM)",
  });
  assert.deepEqual(status({ code: null, signal: "SIGKILL", stoppedBy: LESSON_OVER }), {
    kind: "exited",
    outcome: "failed",
    text: "killed (SIGKILL) after ignoring SIGTERM",
  });
  assert.deepEqual(status({ code: null, signal: "SIGTERM", stoppedBy: "timed out after 120 s" }), {
    kind: "exited",
    outcome: "stopped",
    text: "stopped by socket-lessons: timed out after 120 s (SIGTERM)",
  });
  assert.deepEqual(status({ code: null, signal: "SIGSEGV", stoppedBy: null }), {
    kind: "exited",
    outcome: "failed",
    text: "killed by SIGSEGV",
  });
  assert.deepEqual(status({ code: 1, signal: null, stoppedBy: null }), {
    kind: "exited",
    outcome: "failed",
    text: "exited with code 1",
  });
});

test("lane: cancel-connect's end as recorded: the programs the lesson stopped are marked ■, not ✓", () => {
  const s = replay("cancel-connect", "cancel-connect");
  const byName = (name: string) => s.lanes.find((l) => l.name === name)!;
  for (const name of ["server", "blocking"]) {
    const lane = byName(name);
    const ui = renderUi(
      <ProgramLane
        lane={lane}
        spec={s.lesson.programs.find((p) => p.name === name)}
        probe={s.probe}
        now={s.now}
        width={60}
        height={2}
        outputLines={0}
        named={false}
        codeLine={null}
      />,
    );
    assert.equal(frameLines(ui.frame())[0], `■ stopped at the lesson's end (${lane.exit!.signal})`);
    ui.unmount();
  }
});

test("lane: a program socket-lessons holds says so, over the kernel's view of the tracer's wait", () => {
  const s = replay("blocking-send", "blocking-send", atFact("send.blocked"));
  const server = s.lanes.find((l) => l.name === "server")!;
  // Held, the program's thread sleeps in a futex of the tracer's: not the program's doing.
  const futex = { ...server.proc!, state: "S" as const, wchan: "futex_wait_queue", syscall: server.proc!.syscall };
  const held: Lane = {
    ...server,
    call: null,
    proc: futex,
    held: { call: "recv", when: "before", line: 21, since: s.now - 2300 },
  };
  const ui = renderUi(
    <ProgramLane
      lane={held}
      spec={s.lesson.programs[0]}
      probe={s.probe}
      now={s.now}
      width={80}
      height={2}
      outputLines={0}
      named={false}
      codeLine={null}
    />,
  );
  const [status, call] = frameLines(ui.frame());
  assert.equal(status, "⏸ held by socket-lessons before recv() on line 21 · 2.30 s");
  assert.equal(call, "  its code waits until socket-lessons lets it go on");
  ui.unmount();
  assert.equal(
    heldText({ call: "send", when: "after", line: 19, since: 100 }, 1100),
    "held by socket-lessons after send() returned, on line 19 · 1.00 s",
  );
});

test("lane: a program that exited without printing says it printed nothing, not that nothing came yet", () => {
  const s = replay("non-blocking-send", "non-blocking-send");
  const client = s.lanes.find((l) => l.name === "client")!;
  assert.equal(client.status, "exited");
  assert.equal(client.stdout.bytes, 0);
  const ui = renderUi(
    <ProgramLane
      lane={client}
      spec={s.lesson.programs[1]}
      probe={s.probe}
      now={s.now}
      width={60}
      height={3}
      outputLines={1}
      named={false}
      codeLine={null}
    />,
  );
  assert.deepEqual(frameLines(ui.frame()), ["✓ exited with code 0", "", "› (printed nothing)"]);
  ui.unmount();
});

test("gauges, short pane: an exited program's queues are marked (last)", () => {
  const s = replay("non-blocking-send", "non-blocking-send");
  const ui = renderUi(<SocketGauges data={gaugeData(s, ["server", "client"])} width={60} height={3} />);
  const lines = frameLines(ui.frame());
  assert.match(lines[0]!, /^server (send|recv) q \(last\) +▕/);
  assert.match(lines[1]!, /^client send q \(last\) +▕█+░*▏ [\d.]+ \/ 4\.0 MiB/);
  ui.unmount();
});

test("lane, two lines: the call joins the state's line so the latest output still shows", () => {
  const s = replay(
    "cancel-connect",
    "cancel-connect",
    (_line, state) => {
      const b = state.lanes.find((l) => l.name === "blocking")!;
      return b.proc?.state === "S" && b.call?.call === "connect" && b.stdout.tail.length > 0;
    },
  );
  const lane = s.lanes.find((l) => l.name === "blocking")!;
  const ui = renderUi(
    <ProgramLane
      lane={lane}
      spec={s.lesson.programs[1]}
      probe={s.probe}
      now={s.now}
      width={80}
      height={2}
      outputLines={1}
      named={false}
      codeLine={null}
    />,
  );
  const [status, output] = frameLines(ui.frame());
  assert.match(status!, /^◌ asleep in connect (· wchan \S+ )?· in connect\(\) · line \d+ · [\d.]+ m?s$/);
  assert.equal(output, "› Connecting...");
  ui.unmount();
});

test("gauges: a queue against its buffer names the unit once when both share it", () => {
  assert.equal(sizeOf(3_800_000, 4_194_304), "3.6 / 4.0 MiB");
  assert.equal(sizeOf(0, 3_939_840), "0 B / 3.8 MiB");
  assert.equal(sizeOf(745_000, 770_400), "727.5 / 752.3 KiB");
  assert.equal(sizeOf(745_000, 4_194_304), "727.5 KiB / 4.0 MiB");
});
