/** The newest cards of a scope, for a supervisor to go through: who, where, when, and what is open on each. */
import type { Scope } from '../core/people/scope.js';
import type { Db } from './client.js';
import { scopeSql } from './scope-sql.js';

export interface QueuedCardRow {
  id: number;
  householdCode: string;
  village: string;
  helper: string;
  visitDate: string;
  revision: number;
  submittedAt: number;
  /** reviews sent back on this card and not yet answered by a revision */
  openReviews: number;
  openFlags: number;
}

export function newestCards(db: Db, scope: Scope, limit: number): QueuedCardRow[] {
  const f = scopeSql(scope).households;
  const sql =
    'SELECT c.id, h.code AS householdCode, v.name AS village, pe.name AS helper, c.visit_date AS visitDate, c.revision, c.submitted_at AS submittedAt, ' +
    "(SELECT count(*) FROM card_reviews r WHERE r.card_id = c.id AND r.status <> 'revised') AS openReviews, " +
    '(SELECT count(*) FROM card_flags fl WHERE fl.card_id = c.id AND fl.resolved_at IS NULL) AS openFlags ' +
    'FROM cards c JOIN households h ON h.id = c.household_id JOIN villages v ON v.id = h.village_id JOIN people pe ON pe.id = c.helper_id ' +
    `WHERE ${f.where} ORDER BY c.submitted_at DESC, c.id DESC LIMIT ?`;
  return db.$client.prepare(sql).all(...f.args, limit) as QueuedCardRow[];
}
