/**
 * Tamper evidence for submitted cards: one keyed hash chain (HMAC under APP_SECRET) over every revision of every
 * card, in the order they were written, plus a keyed head (count and last hash). `verifyChains` checks the chain,
 * that each card row still equals its latest revision in every column a figure is computed from, that the per-year
 * tallies /stats reads match the cards, and (when given) a digest recorded earlier.
 */
import { failureMask } from './stats-names-repo.js';
import { createHash } from 'node:crypto';
import { asc, desc, eq } from 'drizzle-orm';
import type { Db } from './client.js';
import { hmacHex, keysOf, sameHex } from './keys.js';
import { auditLog, cardRevisions, cards, chainHead } from './schema.js';

/** The first revision of the chain points at this. */
const GENESIS_HASH = '0'.repeat(64);

type CardRow = typeof cards.$inferSelect;
type RevisionRow = typeof cardRevisions.$inferSelect;

export interface NewRevision {
  cardId: number;
  revision: number;
  answers: string;
  changes: string;
  reason: string | null;
  authorId: number;
  createdAt: number;
}

/** The keyed hash of a revision: its own columns, the card columns it set, the card's fixed columns, the link. */
function revisionMac(key: Buffer, r: Omit<RevisionRow, 'id' | 'hash'>, card: CardRow): string {
  return hmacHex(
    key,
    'card-revision/2', r.cardId, r.revision, r.answers, r.changes, r.reason, r.authorId, r.createdAt, r.prevHash,
    r.householdId, r.helperId, r.visitDate, r.visitMode, r.inPerson ? 1 : 0,
    card.formId, card.formVersion, card.draftId, card.submittedAt,
  );
}

const headMac = (key: Buffer, count: number, headHash: string) => hmacHex(key, 'card-chain-head/2', count, headHash);

/** A short digest of the chain's state after `count` revisions: print it, keep it elsewhere, check it later. */
function digestOf(key: Buffer, count: number, headHash: string): string {
  return `${count}-${hmacHex(key, 'card-chain-digest/2', count, headHash).slice(0, 16)}`;
}

/**
 * Appends a revision for a card row already written in this transaction (the caller's): it copies the card's figure
 * columns into the revision, links it to the last revision written and moves the head. Call inside a transaction.
 */
export function appendRevision(db: Db, r: NewRevision): void {
  const key = keysOf(db).chain;
  const card = db.select().from(cards).where(eq(cards.id, r.cardId)).get();
  if (!card) throw new Error(`appendRevision: card ${r.cardId} is not written yet`);
  const last = db.select({ hash: cardRevisions.hash }).from(cardRevisions).orderBy(desc(cardRevisions.id)).limit(1).get();
  const row = {
    ...r,
    prevHash: last?.hash ?? GENESIS_HASH,
    householdId: card.householdId,
    helperId: card.helperId,
    visitDate: card.visitDate,
    visitMode: card.visitMode,
    inPerson: card.inPerson,
  };
  const hash = revisionMac(key, row, card);
  db.insert(cardRevisions).values({ ...row, hash }).run();
  const count = (db.$client.prepare('SELECT count(*) AS n FROM card_revisions').get() as { n: number }).n;
  writeHead(db, key, count, hash, r.createdAt);
}

function writeHead(db: Db, key: Buffer, count: number, headHash: string, now: number): void {
  const values = { id: 1, count, headHash, mac: headMac(key, count, headHash), updatedAt: now };
  db.insert(chainHead).values(values).onConflictDoUpdate({ target: chainHead.id, set: values }).run();
}

export type ChainProblem =
  | 'missing_revision'
  | 'prev_hash'
  | 'hash'
  | 'card_missing'
  | 'card_differs'
  | 'unsealed'
  | 'head'
  | 'tally'
  | 'digest';

export type VerifyResult =
  | { ok: true; cards: number; revisions: number; digest: string }
  | { ok: false; problem: ChainProblem; cardId: number; revision: number; householdId?: number };

/** Every check of the module comment; the first broken link is named (card id, revision, what is wrong). */
export function verifyChains(db: Db, opts: { digest?: string } = {}): VerifyResult {
  const key = keysOf(db).chain;
  const rows = db.select().from(cardRevisions).orderBy(asc(cardRevisions.id)).all();
  const byCard = new Map(db.select().from(cards).all().map((c) => [c.id, c]));
  const latest = new Map<number, RevisionRow>();
  const hashes: string[] = [];
  let prev = GENESIS_HASH;
  for (const r of rows) {
    const broken = (problem: ChainProblem) => ({ ok: false as const, problem, cardId: r.cardId, revision: r.revision });
    if (r.householdId === null) return broken('unsealed');
    const card = byCard.get(r.cardId);
    if (!card) return broken('card_missing');
    if (r.revision !== (latest.get(r.cardId)?.revision ?? 0) + 1) return broken('missing_revision');
    if (r.prevHash !== prev) return broken('prev_hash');
    if (!sameHex(revisionMac(key, r, card), r.hash)) return broken('hash');
    latest.set(r.cardId, r);
    hashes.push(r.hash);
    prev = r.hash;
  }
  for (const c of byCard.values()) {
    const r = latest.get(c.id);
    if (!r) return { ok: false, problem: 'missing_revision', cardId: c.id, revision: 1 };
    const same =
      c.revision === r.revision && c.answers === r.answers && c.householdId === r.householdId && c.helperId === r.helperId &&
      c.visitDate === r.visitDate && c.visitMode === r.visitMode && c.inPerson === r.inPerson;
    if (!same) return { ok: false, problem: 'card_differs', cardId: c.id, revision: r.revision };
  }
  const head = db.select().from(chainHead).where(eq(chainHead.id, 1)).get();
  const last = rows.at(-1);
  if (rows.length || head) {
    const good = head && head.count === rows.length && head.headHash === prev && sameHex(headMac(key, head.count, head.headHash), head.mac);
    if (!good) return { ok: false, problem: 'head', cardId: last?.cardId ?? 0, revision: last?.revision ?? 0 };
  }
  const tally = tallyMismatch(db);
  if (tally !== undefined) return { ok: false, problem: 'tally', cardId: 0, revision: 0, householdId: tally };
  if (opts.digest !== undefined) {
    const n = Number(/^(\d+)-[0-9a-f]{16}$/.exec(opts.digest.trim())?.[1] ?? NaN);
    const at = Number.isInteger(n) && n >= 0 && n <= hashes.length ? (n === 0 ? GENESIS_HASH : hashes[n - 1]) : undefined;
    if (at === undefined || digestOf(key, n, at) !== opts.digest.trim()) {
      return { ok: false, problem: 'digest', cardId: last?.cardId ?? 0, revision: last?.revision ?? 0 };
    }
  }
  return { ok: true, cards: byCard.size, revisions: rows.length, digest: digestOf(key, rows.length, prev) };
}

/**
 * The tallies /stats reads (kept by triggers: per household and year, per household and day, failed items on each
 * household's latest card) against a recount from
 * the cards: a household id where they differ, or undefined. Each difference is sought both ways in its own subquery
 * (SQLite chains EXCEPT and UNION ALL left to right, so `a EXCEPT b UNION ALL b EXCEPT a` would miss a row missing
 * from the tally).
 */
function tallyMismatch(db: Db): number | undefined {
  const yearCols = 'household_id, year, cards, in_person, last_in_person, last_visit';
  const dayCols = 'household_id, day, cards, in_person';
  const row = db.$client
    .prepare(
      `WITH years AS (
         SELECT household_id, substr(visit_date, 1, 4) AS year, count(*) AS cards, coalesce(sum(in_person), 0) AS in_person,
                max(CASE WHEN in_person THEN visit_date END) AS last_in_person, max(visit_date) AS last_visit
         FROM cards GROUP BY household_id, substr(visit_date, 1, 4)),
       days AS (SELECT household_id, visit_date AS day, count(*) AS cards, coalesce(sum(in_person), 0) AS in_person FROM cards GROUP BY household_id, visit_date),
       fails AS (SELECT c.household_id, ${failureMask('c')} AS mask FROM (SELECT household_id, max(visit_date) AS d FROM cards GROUP BY household_id) l
         CROSS JOIN cards c ON c.household_id = l.household_id AND c.visit_date = l.d GROUP BY c.household_id HAVING mask != 0)
       SELECT household_id FROM (SELECT ${yearCols} FROM years EXCEPT SELECT ${yearCols} FROM household_years)
       UNION ALL SELECT household_id FROM (SELECT ${yearCols} FROM household_years EXCEPT SELECT ${yearCols} FROM years)
       UNION ALL SELECT household_id FROM (SELECT ${dayCols} FROM days EXCEPT SELECT ${dayCols} FROM household_days)
       UNION ALL SELECT household_id FROM (SELECT ${dayCols} FROM household_days EXCEPT SELECT ${dayCols} FROM days)
       UNION ALL SELECT household_id FROM (SELECT household_id, mask FROM fails EXCEPT SELECT household_id, mask FROM household_failures)
       UNION ALL SELECT household_id FROM (SELECT household_id, mask FROM household_failures EXCEPT SELECT household_id, mask FROM fails)
       LIMIT 1`,
    )
    .get() as { household_id: number } | undefined;
  return row?.household_id;
}

/** The hash of the chain before it was keyed (sha256 per card), kept only to adopt such a chain once. */
function legacyHash(r: RevisionRow): string {
  const canonical = JSON.stringify([r.cardId, r.revision, r.answers, r.changes, r.reason, r.authorId, r.createdAt, r.prevHash]);
  return createHash('sha256').update(canonical).digest('hex');
}

/**
 * Seals revisions written before the chain was keyed (`verify --adopt-unkeyed`, run once by an admin after upgrading):
 * every unkeyed row must pass the old per-card sha256 chain and every keyed row its key and link; then all rows are
 * sealed under the key in the order they were written (audited). Nothing changes when any check fails. Explicit, not
 * at start-up: otherwise rows rewritten in the old form by someone without the key would be sealed silently.
 */
export function adoptUnkeyedRevisions(db: Db, now: number): { ok: true; adopted: number } | { ok: false; cardId: number; revision: number } {
  const key = keysOf(db).chain;
  const rows = db.select().from(cardRevisions).orderBy(asc(cardRevisions.id)).all();
  const byCard = new Map(db.select().from(cards).all().map((c) => [c.id, c]));
  const unkeyed = rows.filter((r) => r.householdId === null);
  if (!unkeyed.length) return { ok: true, adopted: 0 };
  const perCard = new Map<number, RevisionRow>();
  let prevRow: RevisionRow | undefined;
  for (const r of rows) {
    const card = byCard.get(r.cardId);
    const before = perCard.get(r.cardId);
    const good =
      card !== undefined &&
      r.revision === (before?.revision ?? 0) + 1 &&
      (r.householdId === null
        ? r.prevHash === (before?.hash ?? GENESIS_HASH) && legacyHash(r) === r.hash
        : r.prevHash === (prevRow?.hash ?? GENESIS_HASH) && sameHex(revisionMac(key, r, card), r.hash));
    if (!good) return { ok: false, cardId: r.cardId, revision: r.revision };
    perCard.set(r.cardId, r);
    prevRow = r;
  }
  db.$client
    .transaction(() => {
      let link = GENESIS_HASH;
      for (const r of rows) {
        const card = byCard.get(r.cardId)!;
        // older revisions of a corrected card did not keep their own date or mode: the card's current ones stand in
        const row = r.householdId !== null ? { ...r, prevHash: link } : { ...r, prevHash: link, householdId: card.householdId, helperId: card.helperId, visitDate: card.visitDate, visitMode: card.visitMode, inPerson: card.inPerson };
        const hash = revisionMac(key, row, card);
        db.update(cardRevisions).set({ ...row, hash }).where(eq(cardRevisions.id, r.id)).run();
        link = hash;
      }
      writeHead(db, key, rows.length, link, now);
      db.insert(auditLog).values({ at: now, action: 'chain_adopted', detail: `${unkeyed.length} unkeyed of ${rows.length} revisions` }).run();
    })
    .immediate();
  return { ok: true, adopted: unkeyed.length };
}
