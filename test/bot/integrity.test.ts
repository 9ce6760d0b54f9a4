import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeHarness } from '../support/harness.js';
import { FIRST_CARD, fillCard } from '../support/card-driver.js';
import { findPeople } from '../../src/db/people-repo.js';
import { verifyChains } from '../../src/db/cards-repo.js';
import { openDb } from '../../src/db/client.js';
import { cardRevisions, cards } from '../../src/db/schema.js';
import { adminArgs } from '../support/node-script.js';

const run = promisify(execFile);

async function districtWithCards(n: number) {
  const dir = mkdtempSync(join(tmpdir(), 'integrity-'));
  const h = makeHarness({ env: { DATABASE_PATH: join(dir, 'db.sqlite') } });
  const helper = h.demo.find((d) => d.role === 'helper')!;
  const u = h.user(101);
  await u.send(`/start ${helper.code}`);
  const id = findPeople(h.db, helper.name)[0].id;
  for (let i = 0; i < n; i++) {
    h.clock.now += i * 86_400_000;
    await u.send('/visit');
    await u.press('H0001');
    await u.press('开始填写');
    await fillCard(h, u, id, 'H0001', { ...FIRST_CARD, visit_date: `text:2017-11-1${i}` });
    await u.press('提交这张卡');
  }
  return { h, dir, path: join(dir, 'db.sqlite') };
}

describe('tamper evidence', () => {
  it('verify passes on an untouched database and names the first broken link after edits behind the bot', async () => {
    const { h, path } = await districtWithCards(2);
    expect(verifyChains(h.db)).toMatchObject({ ok: true, cards: 2, revisions: 2 });
    const env = { ...process.env, DATABASE_PATH: path };
    const ok = await run(process.execPath, adminArgs('verify'), { env });
    expect(ok.stdout).toContain('校验通过：2 张卡、2 个版本');

    // someone edits a stored revision's answers directly in SQLite
    const second = h.db.select().from(cardRevisions).all()[1];
    h.db.$client.prepare("UPDATE card_revisions SET answers = replace(answers, '\"wage\":16000', '\"wage\":96000') WHERE id = ?").run(second.id);
    expect(verifyChains(h.db)).toMatchObject({ ok: false, cardId: second.cardId, revision: 1, problem: 'hash' });
    const broken = await run(process.execPath, adminArgs('verify'), { env }).catch((e: { code: number; stdout: string }) => e);
    expect((broken as { code: number }).code).toBe(1);
    expect((broken as { stdout: string }).stdout).toContain(`第一处断链在卡 ${second.cardId} 的第 1 版`);
  }, 60_000);

  it('finds a changed card row and a deleted revision', async () => {
    const { h } = await districtWithCards(1);
    const card = h.db.select().from(cards).get()!;
    h.db.$client.prepare('UPDATE cards SET answers = ? WHERE id = ?').run(card.answers.replace('"duration_min":75', '"duration_min":120'), card.id);
    expect(verifyChains(h.db)).toMatchObject({ ok: false, problem: 'card_differs' });
    h.db.$client.prepare('UPDATE cards SET answers = ? WHERE id = ?').run(card.answers, card.id);
    expect(verifyChains(h.db).ok).toBe(true);
    h.db.$client.prepare('DELETE FROM card_revisions').run();
    expect(verifyChains(h.db)).toMatchObject({ ok: false, cardId: card.id, problem: 'missing_revision' });
  }, 60_000);
});

describe('backup', () => {
  it('copies a consistent database while another process writes to it; the copy opens, migrates and verifies', async () => {
    const { h, dir, path } = await districtWithCards(1);
    h.db.$client.close();
    // a second process writes continuously while the backup runs
    const writer = openDb(path);
    let writes = 0;
    const timer = setInterval(() => {
      writer.$client.prepare('INSERT INTO audit_log (at, action, detail) VALUES (?, ?, ?)').run(Date.now(), 'load', 'x'.repeat(2000));
      writes++;
    }, 1);
    const file = join(dir, 'backup.sqlite');
    const out = await run(process.execPath, adminArgs('backup', file), { env: { ...process.env, DATABASE_PATH: path } });
    clearInterval(timer);
    expect(writes).toBeGreaterThan(10);
    expect(out.stdout).toContain('已通过完整性检查');
    expect(existsSync(file)).toBe(true);
    // the copy is sealed under the original's secret, which stays beside the original (not in the backup)
    const secret = readFileSync(`${path}.secret`, 'utf8').trim();
    const copy = openDb(file, { secret });
    expect(verifyChains(copy)).toMatchObject({ ok: true, cards: 1 });
    copy.$client.close();
    writer.$client.close();
    // refusing to overwrite
    const again = await run(process.execPath, adminArgs('backup', file), { env: { ...process.env, DATABASE_PATH: path } }).catch((e: { code: number }) => e);
    expect((again as { code: number }).code).toBe(1);
    // restore = the copy as DATABASE_PATH: the admin CLI opens and migrates it like the bot does
    const verified = await run(process.execPath, adminArgs('verify'), { env: { ...process.env, DATABASE_PATH: file, APP_SECRET: secret } });
    expect(verified.stdout).toContain('校验通过：1 张卡');
  }, 60_000);
});
