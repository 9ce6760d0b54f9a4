/**
 * Issue 10: `verify` against each kind of tampering behind the bot's back: the card columns figures come from
 * (in person, mode, date, household, helper), a deleted card, answers and hash rewritten together, the tallies
 * /stats reads, and a rewrite of the whole chain by someone holding the key (caught by a digest kept elsewhere).
 */
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeHarness } from '../support/harness.js';
import type { DatabaseSnapshot } from '../support/template-db.js';
import { FIRST_CARD, fillCard } from '../support/card-driver.js';
import { findPeople } from '../../src/db/people-repo.js';
import { verifyChains } from '../../src/db/cards-repo.js';
import { adoptUnkeyedRevisions } from '../../src/db/integrity-repo.js';
import { cardRevisions, cards } from '../../src/db/schema.js';
import { verify } from '../../src/cli/integrity-commands.js';

/** Two cards by the demo helper for H0001: the first in person, the second a phone call. Filled once through the bot. */
let filled: DatabaseSnapshot | undefined;
async function fillTwoCards(): Promise<DatabaseSnapshot> {
  const h = makeHarness({ env: { DATABASE_PATH: join(mkdtempSync(join(tmpdir(), 'tamper-')), 'db.sqlite') } });
  const helper = h.demo.find((d) => d.role === 'helper')!;
  const u = h.user(101);
  await u.send(`/start ${helper.code}`);
  const id = findPeople(h.db, helper.name)[0].id;
  const scripts = [
    { ...FIRST_CARD, visit_date: 'text:2017-11-10' },
    { ...FIRST_CARD, visit_date: 'text:2017-11-12', visit_mode: 'press:电话联系' },
  ];
  for (const script of scripts) {
    await u.send('/visit');
    await u.press('H0001');
    await u.press('开始填写');
    await fillCard(h, u, id, 'H0001', script);
    await u.press('提交这张卡');
  }
  const snapshot = h.snapshot();
  h.db.$client.close();
  return snapshot;
}

/** Each test tampers with its own copy of the two cards' database. */
async function twoCards() {
  const h = makeHarness({ from: (filled ??= await fillTwoCards()) });
  const [c1, c2] = h.db.select().from(cards).all();
  expect(c2.inPerson).toBe(false);
  const sql = (q: string, ...args: unknown[]) => h.db.$client.prepare(q).run(...args);
  return { h, c1, c2, sql };
}

const legacyHash = (r: typeof cardRevisions.$inferSelect) =>
  createHash('sha256').update(JSON.stringify([r.cardId, r.revision, r.answers, r.changes, r.reason, r.authorId, r.createdAt, r.prevHash])).digest('hex');

describe('verify against tampering', () => {
  it('passes untouched and prints a digest', async () => {
    const { h } = await twoCards();
    const r = verifyChains(h.db);
    expect(r).toMatchObject({ ok: true, cards: 2, revisions: 2 });
    const lines: string[] = [];
    expect(verify({ ...h.cli(), out: (l) => void lines.push(l) })).toBe(0);
    expect(lines.join('\n')).toMatch(/摘要：2-[0-9a-f]{16}/);
  }, 60_000);

  it.each([
    ['a phone call turned into a home visit', "UPDATE cards SET in_person = 1, visit_mode = '入户走访' WHERE id = ?", 'c2'],
    ['in person flipped', 'UPDATE cards SET in_person = 0 WHERE id = ?', 'c1'],
    ['the visit date moved', "UPDATE cards SET visit_date = '2017-06-01' WHERE id = ?", 'c1'],
    ['the card moved to another household', 'UPDATE cards SET household_id = household_id + 1 WHERE id = ?', 'c1'],
    ['the card given to another helper', 'UPDATE cards SET helper_id = helper_id + 1 WHERE id = ?', 'c1'],
  ] as const)('%s on the card row: card_differs; on the revision too: hash', async (_name, update, which) => {
    const { h, sql, ...c } = await twoCards();
    const card = c[which];
    sql(update, card.id);
    expect(verifyChains(h.db)).toMatchObject({ ok: false, cardId: card.id, problem: 'card_differs' });
    // the same change made to the revision as well (its columns have the same names)
    sql(update.replace('UPDATE cards', 'UPDATE card_revisions').replace('WHERE id = ?', 'WHERE card_id = ?'), card.id);
    expect(verifyChains(h.db)).toMatchObject({ ok: false, cardId: card.id, problem: 'hash' });
  }, 60_000);

  it('a deleted card: the last one breaks the head, an earlier one the link of the next', async () => {
    const a = await twoCards();
    for (const t of ['card_flags', 'card_revisions']) a.sql(`DELETE FROM ${t} WHERE card_id = ?`, a.c2.id);
    a.sql('DELETE FROM cards WHERE id = ?', a.c2.id);
    expect(verifyChains(a.h.db)).toMatchObject({ ok: false, problem: 'head' });
    const b = await twoCards();
    for (const t of ['card_flags', 'card_revisions']) b.sql(`DELETE FROM ${t} WHERE card_id = ?`, b.c1.id);
    b.sql('DELETE FROM cards WHERE id = ?', b.c1.id);
    expect(verifyChains(b.h.db)).toMatchObject({ ok: false, cardId: b.c2.id, problem: 'prev_hash' });
  }, 60_000);

  it('answers and hash rewritten together (as a plain SHA-256 chain allowed) are caught by the key', async () => {
    const { h, c1 } = await twoCards();
    const rev = h.db.select().from(cardRevisions).all()[0];
    const answers = rev.answers.replace('"wage":16000', '"wage":96000');
    expect(answers).not.toBe(rev.answers);
    const forged = { ...rev, answers };
    h.db.$client.prepare('UPDATE card_revisions SET answers = ?, hash = ? WHERE id = ?').run(answers, legacyHash(forged), rev.id);
    h.db.$client.prepare('UPDATE cards SET answers = ? WHERE id = ?').run(answers, c1.id);
    expect(verifyChains(h.db)).toMatchObject({ ok: false, cardId: c1.id, problem: 'hash' });
  }, 60_000);

  it('the per-year tallies /stats reads, changed directly, are caught', async () => {
    const { h, sql } = await twoCards();
    sql('UPDATE household_years SET in_person = in_person + 4');
    expect(verifyChains(h.db)).toMatchObject({ ok: false, problem: 'tally' });
  }, 60_000);

  it.each([
    ['a per-year tally deleted', 'DELETE FROM household_years'],
    ['a per-day tally changed', 'UPDATE household_days SET cards = cards + 1'],
    ['a per-day tally deleted', 'DELETE FROM household_days'],
    ['a per-day tally added', "INSERT INTO household_days (household_id, day, cards, in_person) SELECT household_id, '2017-01-01', 1, 1 FROM household_days LIMIT 1"],
    ['a failed-item tally set', 'INSERT OR REPLACE INTO household_failures (household_id, mask) SELECT household_id, 63 FROM cards LIMIT 1'],
    ['a failed item given to a household without cards', 'INSERT INTO household_failures (household_id, mask) SELECT id, 1 FROM households WHERE id NOT IN (SELECT household_id FROM cards) LIMIT 1'],
  ])('%s is caught', async (_name, statement) => {
    const { h, sql } = await twoCards();
    expect(verifyChains(h.db)).toMatchObject({ ok: true });
    sql(statement);
    expect(verifyChains(h.db)).toMatchObject({ ok: false, problem: 'tally' });
  }, 60_000);

  it('a rewrite of the whole chain (re-sealed with the key) is caught against the recorded digest', async () => {
    const { h, c1, sql } = await twoCards();
    const before = verifyChains(h.db);
    if (!before.ok) throw new Error('expected a good chain');
    // someone with the key rewrites history: changes an answer, turns the rows back into the unkeyed form, re-seals
    const rows = h.db.select().from(cardRevisions).all();
    const answers = rows[0].answers.replace('"wage":16000', '"wage":96000');
    sql('UPDATE cards SET answers = ? WHERE id = ?', answers, c1.id);
    let prev = '0'.repeat(64);
    for (const r of rows) {
      const row = { ...r, answers: r.id === rows[0].id ? answers : r.answers, prevHash: r.revision === 1 ? '0'.repeat(64) : prev };
      const hash = legacyHash(row);
      sql('UPDATE card_revisions SET answers = ?, prev_hash = ?, hash = ?, household_id = NULL WHERE id = ?', row.answers, row.prevHash, hash, r.id);
      prev = hash;
    }
    sql('DELETE FROM chain_head');
    expect(verifyChains(h.db)).toMatchObject({ ok: false, problem: 'unsealed' });
    expect(adoptUnkeyedRevisions(h.db, h.clock.now)).toEqual({ ok: true, adopted: 2 });
    expect(verifyChains(h.db).ok).toBe(true);
    expect(verifyChains(h.db, { digest: before.digest })).toMatchObject({ ok: false, problem: 'digest' });
    const lines: string[] = [];
    expect(verify({ ...h.cli(), out: (l) => void lines.push(l) }, [before.digest])).toBe(1);
    expect(lines.join('\n')).toContain('与之前记录的摘要不符');
  }, 60_000);

  it('a digest names a state of the chain: its count and keyed value must both match', async () => {
    const { h } = await twoCards();
    const r = verifyChains(h.db);
    if (!r.ok) throw new Error('expected a good chain');
    const [count] = r.digest.split('-');
    expect(count).toBe('2');
    // an earlier state (after the first revision) is still part of the chain
    const early = verifyChains(h.db, { digest: r.digest });
    expect(early.ok).toBe(true);
    expect(verifyChains(h.db, { digest: '1-0000000000000000' })).toMatchObject({ ok: false, problem: 'digest' });
    expect(verifyChains(h.db, { digest: '3-' + r.digest.split('-')[1] })).toMatchObject({ ok: false, problem: 'digest' });
  }, 60_000);
});
