import { describe, expect, it } from 'vitest';
import { makeHarness, type Harness } from '../support/harness.js';
import { withoutRegistry } from '../support/card-driver.js';
import { findPeople } from '../../src/db/people-repo.js';
import { openDrafts } from '../../src/db/cards-repo.js';
import { focusedDraftId } from '../../src/db/focus-repo.js';
import { deleteKv, readKvRemembered, writeKv } from '../../src/db/kv-repo.js';
import { openDb } from '../../src/db/client.js';
import { pairings } from '../../src/db/schema.js';
import { and, eq } from 'drizzle-orm';

/**
 * Counts the statements run on the database from now on, as `read` or `write` with their SQL: the client's
 * `prepare` is wrapped before anything is prepared (repositories keep prepared statements per database), so every
 * statement of every later update passes through the wrap; `measure(fn)` returns those run while `fn` runs.
 */
function countStatements(h: Harness): { measure(fn: () => Promise<void>): Promise<Array<{ kind: 'read' | 'write'; sql: string }>> } {
  const client = h.db.$client;
  let seen: Array<{ kind: 'read' | 'write'; sql: string }> | undefined;
  const prepare = client.prepare;
  client.prepare = ((sql: string) => {
    const st = prepare.call(client, sql);
    for (const m of ['run', 'get', 'all', 'iterate'] as const) {
      const f = st[m] as (...a: unknown[]) => unknown;
      (st as unknown as Record<string, unknown>)[m] = function (this: unknown, ...a: unknown[]) {
        seen?.push({ kind: m === 'run' ? 'write' : 'read', sql });
        return f.apply(this, a);
      };
    }
    return st;
  }) as typeof prepare;
  return {
    async measure(fn) {
      seen = [];
      try {
        await fn();
        return seen;
      } finally {
        seen = undefined;
      }
    },
  };
}

/** A helper at the card's duration question (a typed answer), with their person id. */
async function atDuration(h: Harness) {
  withoutRegistry(h.db);
  const helper = h.demo.find((d) => d.role === 'helper')!;
  const u = h.user(101);
  await u.send(`/start ${helper.code}`);
  const id = findPeople(h.db, helper.name)[0].id;
  await u.send('/visit');
  await u.press('H0001');
  await u.press('开始填写');
  await u.send('2017-11-10');
  await u.press('入户走访');
  return { u, id };
}

describe('a card answer reads little before the engine runs', () => {
  it('a typed answer: one write transaction and two reads', async () => {
    const h = makeHarness();
    const counter = countStatements(h);
    const { u, id } = await atDuration(h);
    const before = openDrafts(h.db, id)[0];
    const seen = await counter.measure(() => u.send('75分钟'));
    const after = openDrafts(h.db, id)[0];
    // the answer was taken (not a refusal that reads and writes nothing)
    expect(after.step).toBe(before.step + 1);
    expect(after.state.answers.duration_min).toBe(75);
    const reads = seen.filter((s) => s.kind === 'read');
    const writes = seen.filter((s) => s.kind === 'write');
    const head = (sql: string) => sql.toLowerCase().replaceAll('"', '').split(/\s+/).slice(0, 3).join(' ');
    expect(writes.map((w) => head(w.sql))).toEqual(['insert into processed_updates', 'update card_drafts set']);
    // on arrival, one statement: whether the update was handled, who sent it, whether their chat has a dialog saved;
    // then the card with its household and the helper's facts. The update id is not looked for again.
    expect(reads.length, reads.map((r) => r.sql.slice(0, 80)).join('\n')).toBe(2);
    expect(reads.filter((r) => r.sql.includes('processed_updates'))).toHaveLength(1);
    expect(reads.filter((r) => r.sql.startsWith('PRAGMA'))).toHaveLength(0);
  });

  // the draft, its household (while paired), and the helper's facts come from one statement: its checks still hold
  it('a focused card whose pairing ended takes no answer, and the focus is dropped', async () => {
    const h = makeHarness();
    const { u, id } = await atDuration(h);
    const before = openDrafts(h.db, id)[0];
    const hh = before.householdId;
    h.db.update(pairings).set({ endDate: '2017-11-09' }).where(and(eq(pairings.helperId, id), eq(pairings.householdId, hh))).run();
    await u.send('75分钟');
    const after = openDrafts(h.db, id)[0];
    expect(after.step).toBe(before.step);
    expect(after.state.answers.duration_min).toBeUndefined();
    expect(focusedDraftId(h.db, id)).toBeUndefined();
  });

  it('a card button of a draft that is not the presser\'s changes nothing', async () => {
    const h = makeHarness();
    const { u, id } = await atDuration(h);
    const draft = openDrafts(h.db, id)[0];
    const other = h.demo.filter((d) => d.role === 'helper')[1];
    const o = h.user(102);
    await o.send(`/start ${other.code}`);
    await o.pressData(`v:z:${draft.id}:${draft.step}`, u.last());
    expect(openDrafts(h.db, id)[0]).toMatchObject({ step: draft.step, state: draft.state });
    // the owner's own answer still goes in: the refusal dropped nobody's focus
    await u.send('75分钟');
    expect(openDrafts(h.db, id)[0].state.answers.duration_min).toBe(75);
  });
});

describe('the card comes early in the chain of features', () => {
  it('with a card focused, commands and menu buttons still reach their features, and the card takes no answer', async () => {
    const h = makeHarness();
    const { u, id } = await atDuration(h);
    const before = openDrafts(h.db, id)[0];
    for (const command of ['/help', '/menu', '/households', '/lang', '/flags', '/visit']) {
      await u.send(command);
      // a card question carries its progress line (📝 household · section · question n)
      expect(u.lastText(), command).not.toContain('📝');
      expect(u.lastText(), command).not.toBe('');
    }
    await u.send('/households');
    expect(u.lastText()).toContain('H0001');
    expect(openDrafts(h.db, id)[0]).toMatchObject({ step: before.step, state: before.state });
    // and the card still takes the next typed answer
    await u.send('75分钟');
    expect(openDrafts(h.db, id)[0].state.answers.duration_min).toBe(75);
  });
});

describe('remembered keys', () => {
  it('a remembered key follows every write and delete of the process, on any bot sharing the connection', () => {
    const h = makeHarness();
    expect(readKvRemembered(h.db, 'dialog:999')).toBeUndefined();
    writeKv(h.db, 'dialog:999', { a: 1 }, 0);
    expect(readKvRemembered(h.db, 'dialog:999')).toEqual({ a: 1 });
    // what a caller does to the value it got stays with it
    (readKvRemembered<{ a: number }>(h.db, 'dialog:999')!).a = 2;
    expect(readKvRemembered(h.db, 'dialog:999')).toEqual({ a: 1 });
    deleteKv(h.db, 'dialog:999');
    expect(readKvRemembered(h.db, 'dialog:999')).toBeUndefined();
  });

  // the terminal chat takes no process lock: two of them (or a tool) may write the same file
  it('a write by another connection is seen at the next read: what was remembered is forgotten', () => {
    const h = makeHarness();
    const other = openDb(h.config.databasePath);
    try {
      expect(readKvRemembered(h.db, 'dialog:998')).toBeUndefined();
      writeKv(other, 'dialog:998', { b: 1 }, 0);
      expect(readKvRemembered(h.db, 'dialog:998')).toEqual({ b: 1 });
      deleteKv(other, 'dialog:998');
      expect(readKvRemembered(h.db, 'dialog:998')).toBeUndefined();
    } finally {
      other.$client.close();
    }
  });
});
