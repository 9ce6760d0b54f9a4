import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
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
    expect(redeemInvite(db, code.toLowerCase(), 42, T0 + 1000)).toEqual({ ok: true, personId: id, rebound: false });
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
    expect(redeemInvite(db, a.code, 42, T0)).toMatchObject({ ok: true });
    const b = createInvite(db, id, T0, { purpose: 'rebind' });
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

describe('invites cannot take over an account (issue 10)', () => {
  it('a newer invite voids the older one: the old code no longer moves the account', () => {
    const { db, id } = setup();
    const old = createInvite(db, id, T0);
    const fresh = createInvite(db, id, T0 + 1000);
    expect(fresh.voided).toBe(1);
    expect(redeemInvite(db, fresh.code, 42, T0 + 2000)).toMatchObject({ ok: true });
    expect(redeemInvite(db, old.code, 666, T0 + 3000)).toEqual({ ok: false, reason: 'revoked' });
    expect(actorByTelegramId(db, 42)?.personId).toBe(id);
    expect(actorByTelegramId(db, 666)).toBeUndefined();
  });

  it('a plain code for a person bound to another account is refused; only a rebind code moves them', () => {
    const { db, id } = setup();
    expect(redeemInvite(db, createInvite(db, id, T0).code, 42, T0).ok).toBe(true);
    // e.g. a code made before the fix, or by seed-demo, or one issued in error: it must not move the account
    db.insert(invites).values({ codeHash: 'x', personId: id, createdAt: T0, expiresAt: T0 + INVITE_TTL_MS }).run();
    const plain = createInvite(db, id, T0);
    expect(redeemInvite(db, plain.code, 666, T0)).toEqual({ ok: false, reason: 'person_bound', personId: id });
    expect(actorByTelegramId(db, 42)?.personId).toBe(id);
    const rebind = createInvite(db, id, T0, { purpose: 'rebind' });
    expect(redeemInvite(db, rebind.code, 43, T0)).toEqual({ ok: true, personId: id, rebound: true });
    expect(actorByTelegramId(db, 42)).toBeUndefined();
    expect(actorByTelegramId(db, 43)?.personId).toBe(id);
  });

  it('stores an HMAC under the server secret, not a bare SHA-256 of the code', () => {
    const dir = mkdtempSync(join(tmpdir(), 'inv-'));
    const a = openDb(join(dir, 'a.sqlite'), { secret: 'x'.repeat(32) });
    const b = openDb(join(dir, 'b.sqlite'), { secret: 'y'.repeat(32) });
    const pa = a.insert(people).values({ code: 'P1', name: '甲', createdAt: 0 }).returning().get().id;
    const { code } = createInvite(a, pa, T0);
    const stored = a.select().from(invites).get()!.codeHash;
    expect(stored).not.toBe(createHash('sha256').update(code).digest('hex'));
    // the same code under another secret is unknown: a copied database alone cannot be searched for codes
    b.insert(invites).values({ codeHash: stored, personId: b.insert(people).values({ code: 'P1', name: '甲', createdAt: 0 }).returning().get().id, createdAt: T0, expiresAt: T0 + INVITE_TTL_MS }).run();
    expect(redeemInvite(b, code, 42, T0)).toEqual({ ok: false, reason: 'unknown' });
    expect(redeemInvite(a, code, 42, T0).ok).toBe(true);
  });
});
