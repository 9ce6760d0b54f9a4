import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb } from '../../src/db/client.js';
import { createInvite, redeemInvite, revokeInvites, INVITE_TTL_MS } from '../../src/db/invite-repo.js';
import { actorByTelegramId, revokePerson } from '../../src/db/people-repo.js';
import { people, invites } from '../../src/db/schema.js';

function setup() {
  const db = openDb(join(mkdtempSync(join(tmpdir(), 'inv-')), 'db.sqlite'));
  const id = db.insert(people).values({ code: 'P1', name: '王小明', createdAt: 0 }).returning().get().id;
  return { db, id };
}
const T0 = Date.parse('2017-11-02T00:00:00Z');

describe('invites', () => {
  it('binds once, then refuses reuse', () => {
    const { db, id } = setup();
    const { code } = createInvite(db, id, T0);
    expect(redeemInvite(db, code.toLowerCase(), 42, T0 + 1000)).toEqual({ ok: true, personId: id });
    expect(actorByTelegramId(db, 42)?.personId).toBe(id);
    expect(redeemInvite(db, code, 43, T0 + 2000)).toEqual({ ok: false, reason: 'used' });
    expect(actorByTelegramId(db, 43)).toBeUndefined();
  });

  it('stores only a hash of the code', () => {
    const { db, id } = setup();
    const { code } = createInvite(db, id, T0);
    expect(JSON.stringify(db.select().from(invites).all())).not.toContain(code);
  });

  it.each([
    ['just before expiry', INVITE_TTL_MS - 1, true],
    ['at expiry', INVITE_TTL_MS, false],
    ['after expiry', INVITE_TTL_MS + 1, false],
  ])('%s', (_n, after, ok) => {
    const { db, id } = setup();
    const { code } = createInvite(db, id, T0);
    const r = redeemInvite(db, code, 42, T0 + after);
    expect(r.ok).toBe(ok);
    if (!r.ok) expect(r.reason).toBe('expired');
  });

  it('refuses made-up and malformed codes', () => {
    const { db } = setup();
    expect(redeemInvite(db, 'ABCDEFGHJK', 42, T0)).toEqual({ ok: false, reason: 'unknown' });
    expect(redeemInvite(db, "'; drop table people; --", 42, T0)).toEqual({ ok: false, reason: 'unknown' });
    expect(redeemInvite(db, '', 42, T0)).toEqual({ ok: false, reason: 'unknown' });
  });

  it('revoking voids open invites and unbinds the account', () => {
    const { db, id } = setup();
    const a = createInvite(db, id, T0);
    const b = createInvite(db, id, T0);
    expect(redeemInvite(db, a.code, 42, T0)).toMatchObject({ ok: true });
    expect(revokeInvites(db, id, T0)).toBe(1);
    revokePerson(db, id, T0);
    expect(actorByTelegramId(db, 42)).toBeUndefined();
    expect(redeemInvite(db, b.code, 42, T0)).toEqual({ ok: false, reason: 'revoked' });
    const c = createInvite(db, id, T0);
    expect(redeemInvite(db, c.code, 42, T0)).toEqual({ ok: false, reason: 'revoked' });
  });

  it('one Telegram account cannot hold two people', () => {
    const { db, id } = setup();
    const other = db.insert(people).values({ code: 'P2', name: '李红', createdAt: 0 }).returning().get().id;
    expect(redeemInvite(db, createInvite(db, id, T0).code, 42, T0).ok).toBe(true);
    expect(redeemInvite(db, createInvite(db, other, T0).code, 42, T0)).toEqual({ ok: false, reason: 'already_bound' });
  });
});
