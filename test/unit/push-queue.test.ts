import { jobDeps } from '../support/job-deps.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { eq } from 'drizzle-orm';
import { Api } from 'grammy';
import { makeHarness } from '../support/harness.js';
import { findPeople } from '../../src/db/people-repo.js';
import { claimDelivery, createPush, pendingDeliveries, settleInterruptedDeliveries } from '../../src/db/quiz-push-repo.js';
import { quizDeliveries } from '../../src/db/schema.js';
import { drainPushQueue, SendGate } from '../../src/jobs/push-queue.js';

describe('SendGate', () => {
  // on a fake clock: the gate's pacing is the subject, and seconds of real waiting would only make the test slow
  afterEach(() => void vi.useRealTimers());

  it.each([10, 25, 30])('at %i/s never lets more than the rate start within one second', async (rate) => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    const gate = new SendGate(rate);
    const starts: number[] = [];
    const n = rate + 5;
    const all = Promise.all(Array.from({ length: n }, () => gate.wait().then(() => starts.push(performance.now()))));
    await vi.runAllTimersAsync();
    await all;
    expect(starts).toHaveLength(n);
    for (let i = 1; i < starts.length; i++) expect(starts[i] - starts[i - 1]).toBeGreaterThanOrEqual(gate.spacingMs);
    for (let i = 0; i + rate < starts.length; i++) expect(starts[i + rate] - starts[i]).toBeGreaterThan(1000);
  });
});

describe('the delivery queue across a crash', () => {
  function setup() {
    const h = makeHarness();
    const ids = ['王小明', '李红', '张强'].map((n) => findPeople(h.db, n)[0].id);
    const trainer = findPeople(h.db, '赵培训')[0].id;
    const pushId = createPush(h.db, {
      trainerId: trainer,
      questions: [{ id: 'D01', v: 1 }],
      selection: { by: 'all' },
      audience: { kind: 'all' },
      deadline: h.clock.now + 86_400_000,
      personIds: ids,
      now: h.clock.now,
    });
    return { h, ids, pushId };
  }

  it('a row left "sending" by a dead process becomes unknown and is never sent again (at most once)', () => {
    const { h } = setup();
    const [first] = pendingDeliveries(h.db, 10);
    expect(claimDelivery(h.db, first.id, h.clock.now)).toBe(true);
    expect(claimDelivery(h.db, first.id, h.clock.now)).toBe(false);
    expect(settleInterruptedDeliveries(h.db)).toBe(1);
    expect(pendingDeliveries(h.db, 10).map((d) => d.id)).not.toContain(first.id);
    expect(h.db.select().from(quizDeliveries).where(eq(quizDeliveries.id, first.id)).get()!.status).toBe('unknown');
  });

  it('sends to bound helpers, fails unbound ones, and marks a send Telegram never answered as unknown', async () => {
    const { h, ids } = setup();
    // 王小明 and 李红 redeem their invites; 张强 never does
    for (const [i, name] of ['王小明', '李红'].entries()) await h.user(900 + i).send(`/start ${h.demo.find((d) => d.name === name)!.code}`);
    expect(ids).toHaveLength(3);
    // 李红's send loses the connection: Telegram may or may not have the message
    const flaky: typeof fetch = async (input, init) => {
      const body = typeof init?.body === 'string' ? init.body : '';
      if (String(input).endsWith('/sendMessage') && body.includes('"chat_id":901')) throw new TypeError('socket hang up');
      return h.tg.fetch(input as never, init);
    };
    const api = new Api('0:offline', { fetch: flaky as never });
    expect(await drainPushQueue(jobDeps(h.deps, api), new SendGate(30))).toBe(3);
    const status = h.db.select().from(quizDeliveries).all().map((d) => d.status);
    expect(status).toEqual(['sent', 'unknown', 'failed']);
    expect(h.tg.messagesTo(900).at(-1)?.text).toContain('新的测验');
    expect(await drainPushQueue(jobDeps(h.deps, api), new SendGate(30))).toBe(0);
  });
});
