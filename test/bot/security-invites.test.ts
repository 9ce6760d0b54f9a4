/**
 * Issue 10, invites through the bot: an old code cannot move an account, a code for a person bound elsewhere is
 * refused and the admins are told, wrong codes are limited per account without an audit row per attempt.
 */
import { describe, expect, it } from 'vitest';
import { makeHarness } from '../support/harness.js';
import { createInvite } from '../../src/db/invite-repo.js';
import { actorByTelegramId, findPeople } from '../../src/db/people-repo.js';
import { auditLog } from '../../src/db/schema.js';
import { rebind } from '../../src/cli/admin-commands.js';

describe('invites through the bot', () => {
  it('an older invite of a bound person does not move the account; the admins are told; rebind does move it', async () => {
    const h = makeHarness();
    const admin = h.demo.find((d) => d.role === 'supervisor+admin')!;
    await h.user(900).send(`/start ${admin.code}`);
    const p = findPeople(h.db, '李红')[0];
    const old = createInvite(h.db, p.id, h.clock.now);
    const fresh = createInvite(h.db, p.id, h.clock.now);
    await h.user(201).send(`/start ${fresh.code}`);
    expect(actorByTelegramId(h.db, 201)?.personId).toBe(p.id);

    const thief = h.user(666);
    await thief.send(`/start ${old.code}`);
    expect(actorByTelegramId(h.db, 666)).toBeUndefined();
    expect(actorByTelegramId(h.db, 201)?.personId).toBe(p.id);
    expect(thief.lastText()).toContain('已被收回');

    // a plain code made while the person is bound (e.g. by mistake) is refused and the admins hear of it
    const plain = createInvite(h.db, p.id, h.clock.now);
    await thief.send(`/start ${plain.code}`);
    expect(thief.lastText()).toContain('已经绑定了另一个 Telegram 账号');
    expect(actorByTelegramId(h.db, 201)?.personId).toBe(p.id);
    expect(h.tg.messagesTo(900).at(-1)?.text).toContain('rebind D002');
    expect(h.tg.messagesTo(900).at(-1)?.text).toContain('666');

    const lines: string[] = [];
    expect(rebind({ ...h.cli(), out: (l) => void lines.push(l) }, 'D002')).toBe(0);
    const code = /邀请码：(\w+)/.exec(lines.join('\n'))![1];
    await h.user(202).send(`/start ${code}`);
    expect(actorByTelegramId(h.db, 202)?.personId).toBe(p.id);
    expect(actorByTelegramId(h.db, 201)).toBeUndefined();
  });

  it('wrong codes: five tries per account, then a wait; one audit row, not one per attempt', async () => {
    const h = makeHarness();
    const helper = h.demo.find((d) => d.role === 'helper')!;
    const rows = () => h.db.select().from(auditLog).all().length;
    const before = rows();
    const guesser = h.user(777);
    for (let i = 0; i < 30; i++) await guesser.send(`/start WRONGCODE${i}`);
    const texts = guesser.takeTexts();
    expect(texts.slice(0, 5).every((t) => t.includes('无效'))).toBe(true);
    expect(texts.slice(5).every((t) => t.includes('太多'))).toBe(true);
    expect(rows() - before).toBe(1);
    // even the right code waits out the window, so guessing cannot be spread over a good code
    await guesser.send(`/start ${helper.code}`);
    expect(actorByTelegramId(h.db, 777)).toBeUndefined();
    h.clock.now += 16 * 60 * 1000;
    await guesser.send(`/start ${helper.code}`);
    expect(actorByTelegramId(h.db, 777)).toBeDefined();
    // another account is not held back by the guesser
    await h.user(778).send('/start WRONGCODE');
    expect(h.user(778).lastText()).toContain('无效');
  });
});

describe('ADMIN_TELEGRAM_IDS', () => {
  it('a configured admin who was revoked stays revoked, and the next start does not fail', async () => {
    const { ensureConfiguredAdmins, revokePerson } = await import('../../src/db/people-repo.js');
    const h = makeHarness({ seed: false });
    expect(ensureConfiguredAdmins(h.db, [4242], h.clock.now)).toEqual({ revoked: [] });
    const id = actorByTelegramId(h.db, 4242)!.personId;
    revokePerson(h.db, id, h.clock.now);
    expect(ensureConfiguredAdmins(h.db, [4242], h.clock.now)).toEqual({ revoked: [4242] });
    expect(actorByTelegramId(h.db, 4242)).toBeUndefined();
  });
});
