/**
 * Whose records: the whole district, a town, a village, a work unit or one helper. A supervisor is granted a
 * district, a town or a unit; drill-downs narrow that to any kind inside it. The same type names the scope of
 * figures, flags, exports and checks; src/db/scope-sql.ts is its one translation into SQL.
 */

/** `I`: row ids are numbers in the database; the pure figures (src/core/stats) accept string ids as well. */
export type Scope<I = number> =
  | { kind: 'district' }
  | { kind: 'town'; id: I }
  | { kind: 'village'; id: I }
  | { kind: 'unit'; id: I }
  | { kind: 'helper'; id: I };

export type ScopeKind = Scope['kind'];

/** What a supervisor role may be granted. */
export type SupervisorScope = Extract<Scope, { kind: 'district' | 'town' | 'unit' }>;

/** A stored grant (`person_roles.scope_kind`, `scope_id`) as a scope; undefined when incomplete or unknown. */
export function grantedScope(kind: string | null, id: number | null): SupervisorScope | undefined {
  if (kind === 'district') return { kind: 'district' };
  if ((kind === 'town' || kind === 'unit') && id !== null) return { kind, id };
  return undefined;
}

/** A scope in one word for logs and the audit trail: `district`, `town:3`. */
export function scopeKey(scope: Scope<unknown>): string {
  return scope.kind === 'district' ? 'district' : `${scope.kind}:${String(scope.id)}`;
}
