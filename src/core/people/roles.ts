import type { SupervisorScope } from './scope.js';

/** Roles a person may hold; a person may hold several. */
export type Role = 'helper' | 'trainer' | 'supervisor' | 'admin';

export interface RoleGrant {
  role: Role;
  scope?: SupervisorScope;
}

/** The person behind a Telegram account, as handlers see them. */
export interface Actor {
  personId: number;
  name: string;
  unitId: number | null;
  roles: RoleGrant[];
}

export function hasRole(actor: Actor | undefined, role: Role): boolean {
  return !!actor?.roles.some((r) => r.role === role);
}

export function supervisorScope(actor: Actor | undefined): SupervisorScope | undefined {
  return actor?.roles.find((r) => r.role === 'supervisor')?.scope;
}
