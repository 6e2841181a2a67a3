import assert from "node:assert/strict";
import { test } from "node:test";
import { BatchedStore, type StoreClock } from "../../src/ui/store.ts";

function fakeClock() {
  let now = 0;
  const timers: { at: number; fn: () => void; id: number }[] = [];
  let ids = 0;
  const clock: StoreClock = {
    now: () => now,
    setTimeout: (fn, ms) => {
      timers.push({ at: now + ms, fn, id: ++ids });
      return ids;
    },
    clearTimeout: (id) => {
      const i = timers.findIndex((t) => t.id === id);
      if (i >= 0) timers.splice(i, 1);
    },
  };
  const advance = (ms: number) => {
    now += ms;
    for (const t of [...timers].sort((a, b) => a.at - b.at)) {
      if (t.at <= now) {
        timers.splice(timers.indexOf(t), 1);
        t.fn();
      }
    }
  };
  return { clock, advance };
}

test("a burst of updates reaches listeners at most once per interval, always the latest", () => {
  const { clock, advance } = fakeClock();
  const store = new BatchedStore(0, 50, clock);
  const seen: number[] = [];
  store.subscribe(() => seen.push(store.getSnapshot()));
  for (let i = 1; i <= 1000; i++) {
    store.update(i);
    if (i % 100 === 0) advance(5); // 1000 updates over 50 ms
  }
  advance(50);
  assert.deepEqual(seen, [1, 1000]); // the first at once, then the latest when the interval is over
  assert.equal(store.flushes, 2);
});

test("an urgent update (a key) flushes at once; functional updates see pending state", () => {
  const { clock } = fakeClock();
  const store = new BatchedStore({ n: 0, paused: false }, 50, clock);
  store.update({ n: 1, paused: false });
  store.update((s) => ({ ...s, n: s.n + 1 }));
  assert.equal(store.getSnapshot().n, 1);
  store.update((s) => ({ ...s, paused: true }), true);
  assert.deepEqual(store.getSnapshot(), { n: 2, paused: true });
});

test("dispose drops pending updates", () => {
  const { clock, advance } = fakeClock();
  const store = new BatchedStore(0, 50, clock);
  store.update(1);
  store.update(2);
  store.dispose();
  advance(100);
  assert.equal(store.getSnapshot(), 1);
});
