/**
 * Risk and evidence flags: one set per card revision, superseded (kept, no longer open) by the next revision of the
 * card or, for the household's condition, by the household's next card; marked handled by a supervisor with a note.
 */
import type { Scope } from '../core/people/scope.js';
import { EVIDENCE_FLAGS, isFlagCode, type FlagCode } from '../core/visits/risk-flags.js';
import type { Db } from './client.js';
import { scopeSql } from './scope-sql.js';

export interface NewFlag {
  code: FlagCode;
  level: string;
  params?: Record<string, string | number>;
}

/** A stored flag with what a supervisor needs to judge it. */
export interface FlagRow {
  id: number;
  cardId: number;
  revision: number;
  householdId: number;
  code: FlagCode;
  level: 'high' | 'medium';
  params: Record<string, string | number>;
  createdAt: number;
  resolvedAt: number | null;
  resolution: 'handled' | 'superseded' | null;
  resolvedBy: number | null;
  resolvedByName: string | null;
  note: string | null;
}

/** A flag with its household and card, for lists. */
export interface ScopedFlagRow extends FlagRow {
  householdCode: string;
  headName: string;
  villageName: string;
  visitDate: string;
  helperName: string;
}

const FLAG_COLUMNS =
  'f.id, f.card_id, f.revision, f.household_id, f.code, f.level, f.params, f.created_at, f.resolved_at, f.resolution, ' +
  'f.resolved_by, rp.name, f.note';

type RawFlag = [number, number, number, number, string, string, string | null, number, number | null, string | null, number | null, string | null, string | null];

function toFlag(r: RawFlag): FlagRow | null {
  const [id, cardId, revision, householdId, code, level, params, createdAt, resolvedAt, resolution, resolvedBy, resolvedByName, note] = r;
  // a code this version does not know (a newer database, a hand edit) is left out rather than shown as a raw key
  if (!isFlagCode(code)) return null;
  return {
    id, cardId, revision, householdId, code,
    level: level === 'high' ? 'high' : 'medium',
    params: params ? (JSON.parse(params) as Record<string, string | number>) : {},
    createdAt, resolvedAt,
    resolution: resolution === 'handled' || resolution === 'superseded' ? resolution : null,
    resolvedBy, resolvedByName, note,
  };
}

/**
 * Stores the flags of a submitted revision, inside the submit's transaction. The card's earlier open flags are
 * superseded; so are the open condition flags (not evidence flags, which are about one visit) of the household's
 * cards visited on or before this one. A flag a supervisor handled on the previous revision stays handled when the
 * correction raises it again. A back-dated card whose household has a later card records its condition flags as
 * already superseded: only the latest card describes the household now.
 */
export function recordFlags(
  db: Db,
  card: { id: number; householdId: number; revision: number; visitDate: string },
  flags: NewFlag[],
  now: number,
): void {
  const c = db.$client;
  const handledBefore = new Map<string, { at: number; by: number | null; note: string | null }>();
  if (card.revision > 1) {
    const rows = c
      .prepare("SELECT code, resolved_at, resolved_by, note FROM card_flags WHERE card_id = ? AND revision = ? AND resolution = 'handled'")
      .raw(true)
      .all(card.id, card.revision - 1) as [string, number, number | null, string | null][];
    for (const [code, at, by, note] of rows) handledBefore.set(code, { at, by, note });
  }
  c.prepare("UPDATE card_flags SET resolved_at = ?, resolution = 'superseded' WHERE card_id = ? AND resolved_at IS NULL").run(now, card.id);
  const evidence = [...EVIDENCE_FLAGS].map(() => '?').join(',');
  c.prepare(
    `UPDATE card_flags SET resolved_at = ?, resolution = 'superseded' WHERE resolved_at IS NULL AND household_id = ? AND card_id <> ? ` +
      `AND code NOT IN (${evidence}) AND card_id IN (SELECT id FROM cards WHERE household_id = ? AND visit_date <= ?)`,
  ).run(now, card.householdId, card.id, ...EVIDENCE_FLAGS, card.householdId, card.visitDate);
  const later = c
    .prepare('SELECT 1 FROM cards WHERE household_id = ? AND id <> ? AND visit_date > ? LIMIT 1')
    .raw(true)
    .get(card.householdId, card.id, card.visitDate);
  const insert = c.prepare(
    'INSERT INTO card_flags (card_id, household_id, revision, code, level, params, created_at, resolved_at, resolution, resolved_by, note) ' +
      'VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  for (const f of flags) {
    const handled = handledBefore.get(f.code);
    const stale = !handled && later && !EVIDENCE_FLAGS.has(f.code);
    insert.run(
      card.id, card.householdId, card.revision, f.code, f.level, f.params ? JSON.stringify(f.params) : null, now,
      handled ? handled.at : stale ? now : null,
      handled ? 'handled' : stale ? 'superseded' : null,
      handled ? handled.by : null,
      handled ? handled.note : null,
    );
  }
}

/** Open flags of the households in a scope, the most serious and newest first; `total` counts them all. */
export function openFlagsInScope(db: Db, scope: Scope, limit: number, offset: number): { total: number; rows: ScopedFlagRow[] } {
  const f = scopeSql(scope).households;
  const from =
    'FROM card_flags f JOIN households h ON h.id = f.household_id JOIN villages v ON v.id = h.village_id ' +
    `JOIN cards c ON c.id = f.card_id JOIN people hp ON hp.id = c.helper_id LEFT JOIN people rp ON rp.id = f.resolved_by ` +
    `WHERE f.resolved_at IS NULL AND ${f.where}`;
  const total = (db.$client.prepare(`SELECT count(*) ${from}`).raw(true).get(...f.args) as [number])[0];
  const raw = db.$client
    .prepare(
      `SELECT ${FLAG_COLUMNS}, h.code, h.head_name, v.name, c.visit_date, hp.name ${from} ` +
        "ORDER BY CASE f.level WHEN 'high' THEN 0 ELSE 1 END, c.visit_date DESC, f.id DESC LIMIT ? OFFSET ?",
    )
    .raw(true)
    .all(...f.args, limit, offset) as unknown[][];
  const rows: ScopedFlagRow[] = [];
  for (const r of raw) {
    const flag = toFlag(r.slice(0, 13) as RawFlag);
    const [householdCode, headName, villageName, visitDate, helperName] = r.slice(13) as string[];
    if (flag) rows.push({ ...flag, householdCode, headName, villageName, visitDate, helperName });
  }
  return { total, rows };
}

/** One flag by id (any state). */
export function flagById(db: Db, id: number): FlagRow | undefined {
  const r = db.$client
    .prepare(`SELECT ${FLAG_COLUMNS} FROM card_flags f LEFT JOIN people rp ON rp.id = f.resolved_by WHERE f.id = ?`)
    .raw(true)
    .get(id) as RawFlag | undefined;
  return (r && toFlag(r)) ?? undefined;
}

/** Every flag of a card, by revision (history included). */
export function flagsOfCard(db: Db, cardId: number): FlagRow[] {
  const raw = db.$client
    .prepare(`SELECT ${FLAG_COLUMNS} FROM card_flags f LEFT JOIN people rp ON rp.id = f.resolved_by WHERE f.card_id = ? ORDER BY f.revision, f.id`)
    .raw(true)
    .all(cardId) as RawFlag[];
  return raw.map(toFlag).filter((x): x is FlagRow => x !== null);
}

/** Open flags of one household (the helper's briefing lists them first). */
export function openFlagsOfHousehold(db: Db, householdId: number): FlagRow[] {
  const raw = db.$client
    .prepare(`SELECT ${FLAG_COLUMNS} FROM card_flags f LEFT JOIN people rp ON rp.id = f.resolved_by WHERE f.household_id = ? AND f.resolved_at IS NULL ORDER BY f.id`)
    .raw(true)
    .all(householdId) as RawFlag[];
  return raw.map(toFlag).filter((x): x is FlagRow => x !== null);
}

/** Marks an open flag handled; false when it was no longer open (handled meanwhile, or superseded). */
export function markFlagHandled(db: Db, id: number, personId: number, note: string, now: number): boolean {
  return (
    db.$client
      .prepare("UPDATE card_flags SET resolved_at = ?, resolution = 'handled', resolved_by = ?, note = ? WHERE id = ? AND resolved_at IS NULL")
      .run(now, personId, note, id).changes === 1
  );
}
