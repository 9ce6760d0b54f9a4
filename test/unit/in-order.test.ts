import { describe, expect, it } from 'vitest';
import type { Context } from 'grammy';
import { oneAtATime } from '../../src/bot/middlewares/in-order.js';

type Ctx = Context & { key?: string };
const ctxOf = (key?: string) => ({ key }) as Ctx;

/** A handler that finishes when told to, and records when it started and ended. */
function handler(log: string[], name: string, fail = false) {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  const next = async () => {
    log.push(`${name} start`);
    await done;
    log.push(`${name} end`);
    if (fail) throw new Error(`${name} failed`);
  };
  return { next, finish };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('updates of one chat, one at a time', () => {
  it('runs a chat\'s updates in order, lets other chats through, and a failure does not hold up the next', async () => {
    const mw = oneAtATime<Ctx>((c) => c.key);
    const log: string[] = [];
    const a1 = handler(log, 'a1', true);
    const a2 = handler(log, 'a2');
    const b1 = handler(log, 'b1');
    const r1 = mw(ctxOf('a'), a1.next);
    const r2 = mw(ctxOf('a'), a2.next);
    const r3 = mw(ctxOf('b'), b1.next);
    await tick();
    // a2 waits for a1; b1 does not wait for anyone
    expect(log).toEqual(['a1 start', 'b1 start']);
    b1.finish();
    await r3;
    expect(log).toEqual(['a1 start', 'b1 start', 'b1 end']);
    a1.finish();
    // a1's error reaches its caller; a2 then runs all the same
    await expect(r1).rejects.toThrow('a1 failed');
    await tick();
    expect(log.slice(3)).toEqual(['a1 end', 'a2 start']);
    a2.finish();
    await r2;
    expect(log.at(-1)).toBe('a2 end');
  });

  it('an update without a key waits for nothing', async () => {
    const mw = oneAtATime<Ctx>((c) => c.key);
    const log: string[] = [];
    const a = handler(log, 'a');
    const free = handler(log, 'free');
    void mw(ctxOf('a'), a.next);
    void mw(ctxOf(undefined), free.next);
    await tick();
    expect(log).toEqual(['a start', 'free start']);
    a.finish();
    free.finish();
  });

  it('three at once in one chat run in the order they came', async () => {
    const mw = oneAtATime<Ctx>((c) => c.key);
    const log: string[] = [];
    const hs = [handler(log, 'x1'), handler(log, 'x2'), handler(log, 'x3')];
    const runs = hs.map((h) => mw(ctxOf('x'), h.next));
    for (const h of [...hs].reverse()) h.finish();
    await Promise.all(runs);
    expect(log).toEqual(['x1 start', 'x1 end', 'x2 start', 'x2 end', 'x3 start', 'x3 end']);
  });
});
