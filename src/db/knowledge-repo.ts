/** The helpers of a scope and their quiz answers, for what each helper knows of the requirements (缺什么补什么). */
import type { Scope } from '../core/people/scope.js';
import type { MasteryAnswer } from '../core/requirements/index.js';
import type { Db } from './client.js';
import { scopeSql } from './scope-sql.js';

export interface ScopeHelper {
  personId: number;
  code: string;
  name: string;
  unit: string;
}

const HELPERS =
  "FROM people pe JOIN person_roles r ON r.person_id = pe.id AND r.role = 'helper' WHERE pe.revoked_at IS NULL AND ";

/** Active helpers of the scope, by code. */
export function helpersOfScope(db: Db, scope: Scope): ScopeHelper[] {
  const f = scopeSql(scope).helpers;
  return db.$client
    .prepare(`SELECT pe.id, pe.code, pe.name, coalesce((SELECT name FROM units WHERE id = pe.unit_id), '') AS unit ${HELPERS}${f.where} ORDER BY pe.code`)
    .all(...f.args)
    .map((r) => {
      const row = r as { id: number; code: string; name: string; unit: string };
      return { personId: row.id, code: row.code, name: row.name, unit: row.unit };
    });
}

/** Every answer of the scope's active helpers to the given questions, by person. */
export function answersOfScope(db: Db, scope: Scope, questionIds: readonly string[]): Map<number, MasteryAnswer[]> {
  const out = new Map<number, MasteryAnswer[]>();
  if (questionIds.length === 0) return out;
  const f = scopeSql(scope).helpers;
  const rows = db.$client
    .prepare(
      'SELECT a.person_id AS person, a.question_id AS q, a.version AS v, a.correct AS correct, a.at AS at FROM quiz_answers a ' +
        `WHERE a.question_id IN (SELECT value FROM json_each(?)) AND a.person_id IN (SELECT pe.id ${HELPERS}${f.where})`,
    )
    .all(JSON.stringify(questionIds), ...f.args) as { person: number; q: string; v: number; correct: number; at: number }[];
  for (const r of rows) {
    const a: MasteryAnswer = { questionId: r.q, questionVersion: r.v, correct: r.correct === 1, at: r.at };
    const list = out.get(r.person);
    if (list) list.push(a);
    else out.set(r.person, [a]);
  }
  return out;
}
