/**
 * push_max_per_second: a quiz pushed to 150 helpers reaches "Telegram" no faster than SEND_RATE_PER_SECOND (25) in
 * any one-second window: the real queue, SendGate and throttled bot API, in-process against the fake Telegram, timed
 * where no parallel test shifts arrival times (test/e2e/push.e2e.test.ts checks delivery through a crash, and the
 * average rate).
 */
import { createBot } from '../src/bot/create-bot.js';
import { drainPushQueue, SendGate } from '../src/jobs/push-queue.js';
import { findPeople } from '../src/db/people-repo.js';
import { createPush } from '../src/db/quiz-push-repo.js';
import { people, personRoles, units } from '../src/db/schema.js';
import { makeHarness } from '../test/support/harness.js';
import { jobDeps } from '../test/support/job-deps.js';
import { BOT_USER } from '../test/support/local-telegram.js';
import type { BenchModule, BenchTarget } from './types.js';

const HELPERS = 150;

export const bench: BenchModule = {
  title: `Push to ${HELPERS} helpers: notices per one-second window as Telegram receives them`,
  async run(): Promise<BenchTarget[]> {
    const h = makeHarness();
    const rate = h.config.sendRatePerSecond;
    const unit = h.db.select().from(units).all().find((u) => u.code === 'U01')!;
    const ids: number[] = [];
    for (let i = 1; i <= HELPERS; i++) {
      const p = h.db.insert(people).values({ code: `B${i}`, name: `帮扶人${i}`, unitId: unit.id, telegramId: 600000 + i, createdAt: h.clock.now }).returning().get();
      h.db.insert(personRoles).values({ personId: p.id, role: 'helper' }).run();
      ids.push(p.id);
    }
    const q = h.deps.content.quizzes.questions[0];
    createPush(h.db, {
      trainerId: findPeople(h.db, '赵培训')[0].id,
      questions: [{ id: q.id, v: q.version }],
      selection: { kind: 'fixed' },
      audience: { kind: 'unit' },
      deadline: h.clock.now + 7 * 86_400_000,
      personIds: ids,
      now: h.clock.now,
    });
    // the bot's own API object, with the throttler and auto-retry a running bot has
    const bot = createBot(h.deps, { botInfo: BOT_USER as never, fetch: h.tg.fetch as never });
    const sent = await drainPushQueue(jobDeps(h.deps, bot.api), new SendGate(rate));
    const times = h.tg.sent.filter((m) => m.text?.startsWith('📣 新的测验')).map((m) => m.at);
    if (sent !== HELPERS || times.length !== HELPERS) throw new Error(`sent ${sent}, received ${times.length}`);
    let max = 0;
    for (let i = 0, j = 0; j < times.length; j++) {
      while (times[j] - times[i] >= 1000) i++;
      max = Math.max(max, j - i + 1);
    }
    const mean = (times.length - 1) / ((times.at(-1)! - times[0]) / 1000);
    console.log(`  ${HELPERS} notices at SEND_RATE_PER_SECOND=${rate}: at most ${max} in any 1 s window, ${mean.toFixed(1)}/s on average; ${h.tg.floods.length} flood answers`);
    return [{ name: 'push_max_per_second', measured: max, limit: rate, unit: '' }];
  },
};
