/**
 * Scope checks behind every button and typed id that names a household, a helper or a part of the district, and
 * the names of scopes for titles. Raw prepared statements over the one scope → SQL builder.
 */
import type { Scope, SupervisorScope } from '../core/people/scope.js';
import type { Db } from './client.js';
import { scopeSql } from './scope-sql.js';

const one = (db: Db, sql: string, ...args: unknown[]) => db.$client.prepare(sql).raw(true).get(...args) !== undefined;

/** Whether a household lies in a scope. */
export function householdInScope(db: Db, scope: Scope, householdId: number): boolean {
  const f = scopeSql(scope).households;
  return one(db, `SELECT 1 FROM households h JOIN villages v ON v.id = h.village_id WHERE h.id = ? AND ${f.where}`, householdId, ...f.args);
}

/** Whether a person is a helper inside a scope. */
export function helperInScope(db: Db, scope: Scope, helperId: number): boolean {
  const f = scopeSql(scope).helpers;
  return one(db, `SELECT 1 FROM people pe JOIN person_roles r ON r.person_id = pe.id AND r.role = 'helper' WHERE pe.id = ? AND ${f.where}`, helperId, ...f.args);
}

/** Whether a supervisor of scope `outer` may look at `inner` (a part of the district named by a button). */
export function scopeWithin(db: Db, outer: SupervisorScope, inner: Scope): boolean {
  switch (inner.kind) {
    case 'district':
      return outer.kind === 'district';
    case 'helper':
      return helperInScope(db, outer, inner.id);
    case 'town':
      return (outer.kind === 'district' && one(db, 'SELECT 1 FROM towns WHERE id = ?', inner.id)) || (outer.kind === 'town' && outer.id === inner.id);
    case 'unit':
      if (outer.kind === 'district') return one(db, 'SELECT 1 FROM units WHERE id = ?', inner.id);
      if (outer.kind === 'unit') return outer.id === inner.id;
      return one(db, 'SELECT 1 FROM units WHERE id = ? AND town_id = ?', inner.id, outer.id);
    case 'village': {
      if (outer.kind === 'district') return one(db, 'SELECT 1 FROM villages WHERE id = ?', inner.id);
      if (outer.kind === 'town') return one(db, 'SELECT 1 FROM villages WHERE id = ? AND town_id = ?', inner.id, outer.id);
      // a unit sees a village where it helps a household
      const f = scopeSql(outer).households;
      return one(db, `SELECT 1 FROM households h JOIN villages v ON v.id = h.village_id WHERE h.village_id = ? AND ${f.where}`, inner.id, ...f.args);
    }
  }
}

/** The name of a town, village, unit or helper (undefined for the district, which has no row). */
export function scopeName(db: Db, scope: Scope): string | undefined {
  if (scope.kind === 'district') return undefined;
  const table = { town: 'towns', village: 'villages', unit: 'units', helper: 'people' } as const;
  const r = db.$client.prepare(`SELECT name FROM ${table[scope.kind]} WHERE id = ?`).raw(true).get(scope.id) as [string] | undefined;
  return r?.[0];
}

/** A town or unit by its code (the CLI's `--scope town:T01`). */
export function scopeByCode(db: Db, kind: 'town' | 'unit', code: string): SupervisorScope | undefined {
  const r = db.$client.prepare(`SELECT id FROM ${kind === 'town' ? 'towns' : 'units'} WHERE code = ?`).raw(true).get(code) as [number] | undefined;
  return r ? { kind, id: r[0] } : undefined;
}
