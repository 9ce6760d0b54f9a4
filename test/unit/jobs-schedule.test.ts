import { jobDeps } from '../support/job-deps.js';
import { describe, expect, it } from 'vitest';
import { Api } from 'grammy';
import { latestSlot, runDueJobs, slotKey, type ScheduledJob } from '../../src/jobs/schedule.js';
import { helperNudgeJob, supervisorDigestJob } from '../../src/jobs/reminders.js';
import { jobRunsOf } from '../../src/db/job-runs-repo.js';
import { makeHarness } from '../support/harness.js';
import { offThreadReports } from '../../src/app/stats/off-thread.js';

const TZ = 'Asia/Shanghai';
/** Local wall time in Shanghai (UTC+8, no DST) as epoch ms. */
const at = (local: string) => Date.parse(`${local}:00+08:00`);

describe('slots', () => {
  it.each([
    ['30 8 * * *', '2017-11-15T10:00', '2017-11-15 08:30'],
    ['30 8 * * *', '2017-11-15T08:30', '2017-11-15 08:30'], // exactly at the slot
    ['30 8 * * *', '2017-11-15T08:29', '2017-11-14 08:30'],
    ['0 8 * * 1', '2017-11-15T10:00', '2017-11-13 08:00'], // a Wednesday: last Monday
    ['0 8 * * 1', '2017-11-13T07:59', '2017-11-06 08:00'],
  ])('%s at %s → %s', (pattern, now, slot) => {
    expect(slotKey(latestSlot(pattern, TZ, at(now))!, TZ)).toBe(slot);
  });

  it('reads the pattern in the configured zone', () => {
    expect(new Date(latestSlot('0 8 * * *', 'UTC', at('2017-11-15T18:00'))!).toISOString()).toBe('2017-11-15T08:00:00.000Z');
  });
});

describe('runs: never twice, a missed slot caught up once', () => {
  function counting(name: string, pattern: string) {
    const runs: number[] = [];
    const job: ScheduledJob = { name, pattern, run: (_d, slotAt) => {
        runs.push(slotAt);
        return Promise.resolve(0);
      },
    };
    return { job, runs };
  }

  it('with a fake clock across restarts and downtime', async () => {
    const h = makeHarness({ seed: false });
    const api = new Api('0:test', { fetch: h.tg.fetch as never });
    const clock = h.clock;
    clock.now = at('2017-11-15T08:00');
    let daily = counting('daily', '30 8 * * *');
    // a fresh database: yesterday's slot is recorded, not run (a first start does not message everyone)
    expect(await runDueJobs(jobDeps(h.deps, api), [daily.job])).toEqual([]);
    expect(daily.runs).toEqual([]);
    expect(await runDueJobs(jobDeps(h.deps, api), [daily.job])).toEqual([]);
    clock.now = at('2017-11-15T08:31');
    expect((await runDueJobs(jobDeps(h.deps, api), [daily.job])).map((r) => r.slot)).toEqual(['2017-11-15 08:30']);
    // restart: a new process (new job objects) on the same database does not run the slot again
    daily = counting('daily', '30 8 * * *');
    clock.now = at('2017-11-15T09:00');
    expect(await runDueJobs(jobDeps(h.deps, api), [daily.job])).toEqual([]);
    expect(daily.runs).toEqual([]);
    // down for three days: only the latest missed slot runs, once
    clock.now = at('2017-11-18T12:00');
    await runDueJobs(jobDeps(h.deps, api), [daily.job]);
    await runDueJobs(jobDeps(h.deps, api), [daily.job]);
    expect(daily.runs.map((x) => slotKey(x, TZ))).toEqual(['2017-11-18 08:30']);
    expect(jobRunsOf(h.db, 'daily').map((r) => r.slot)).toEqual(['2017-11-14 08:30', '2017-11-15 08:30', '2017-11-18 08:30']);
    expect(daily.runs).toHaveLength(1);
    expect(jobRunsOf(h.db, 'daily').every((r) => r.finishedAt !== null)).toBe(true);
  });

  it('a job that throws still closes its slot (at most once)', async () => {
    const h = makeHarness({ seed: false });
    const api = new Api('0:test', { fetch: h.tg.fetch as never });
    let calls = 0;
    // due every minute, so even the first tick runs it (it fell due less than the grace period ago)
    const job: ScheduledJob = { name: 'boom', pattern: '* * * * *', run: () => Promise.reject(new Error(`fail ${++calls}`)) };
    await runDueJobs(jobDeps(h.deps, api), [job]);
    await runDueJobs(jobDeps(h.deps, api), [job]);
    expect(calls).toBe(1);
  });
});

describe('the reminders', () => {
  it('helpers behind pace get one nudge naming their households; supervisors one digest; never twice', async () => {
    const h = makeHarness();
    const api = new Api('0:test', { fetch: h.tg.fetch as never });
    const bind = async (name: string, chat: number) => h.user(chat).send(`/start ${h.demo.find((d) => d.name === name)!.code}`);
    await bind('王小明', 101);
    await bind('吴主任', 203);
    await bind('孙局长', 201);
    const jobs = [helperNudgeJob(), supervisorDigestJob()];
    h.clock.now = at('2017-11-20T08:31'); // a Monday, just after both slots (08:00 is 31 min old: a first start skips it)
    const mark = h.tg.sent.length;
    const ran = await runDueJobs(jobDeps(h.deps, api), jobs);
    expect(ran).toEqual([{ job: 'helper-nudge', slot: '2017-11-20 08:30', sent: 1 }]);
    // the digest had never run: its slot was recorded; next Monday it runs
    h.clock.now = at('2017-11-27T08:05');
    expect(await runDueJobs(jobDeps(h.deps, api), jobs)).toEqual([
      { job: 'helper-nudge', slot: '2017-11-26 08:30', sent: 1 },
      { job: 'supervisor-digest', slot: '2017-11-27 08:00', sent: 2 },
    ]);
    const sent = h.tg.sent.slice(mark);
    const nudge = sent.find((m) => m.chatId === 101)!.text!;
    expect(nudge).toContain('您帮扶的 3 户入户进度需要跟上');
    expect(nudge).toContain('H0001 李大山（东沟村）：今年入户 0 次（目标 6 次），逾期未走访');
    expect(nudge).toContain('H0003 陈老汉');
    const digest = sent.find((m) => m.chatId === 203)!.text!;
    expect(digest).toContain('本周帮扶工作简报（2017年）');
    expect(digest).toContain('帮扶户 6 户');
    expect(sent.find((m) => m.chatId === 201)!.text).toContain('帮扶户 4 户'); // the unit head: U01 only
    // a restart later the same day: nothing again
    h.clock.now = at('2017-11-27T08:20');
    expect(await runDueJobs(jobDeps(h.deps, api), [helperNudgeJob(), supervisorDigestJob()])).toEqual([]);
    expect(h.tg.sent.length).toBe(mark + 4);
  });

  it('the digest is computed in the report worker when there is one, the same text as on the thread', async () => {
    const h = makeHarness();
    const api = new Api('0:test', { fetch: h.tg.fetch as never });
    for (const [name, chat] of [['吴主任', 203], ['孙局长', 201]] as const) await h.user(chat).send(`/start ${h.demo.find((d) => d.name === name)!.code}`);
    h.clock.now = at('2017-11-27T08:05');
    const texts = () => new Map(h.tg.sent.filter((m) => m.chatId === 201 || m.chatId === 203).map((m) => [m.chatId, m.text]));
    await supervisorDigestJob().run(jobDeps(h.deps, api), 0);
    const here = texts();
    h.tg.sent.length = 0;
    const reports = offThreadReports(h.deps);
    try {
      expect(await supervisorDigestJob().run({ ...jobDeps(h.deps, api), reports }, 0)).toBe(2);
      expect(reports.counts()).toEqual({ worker: 2, here: 0 });
    } finally {
      await reports.close();
    }
    expect(here.size).toBe(2);
    expect(texts()).toEqual(here);
  });
});

