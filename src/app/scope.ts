/** Who may look at supervision data, and over which households: the supervisor's own scope, re-read on each request. */
import { supervisorScope, type Actor } from '../core/people/roles.js';
import type { SupervisorScope } from '../core/people/scope.js';
import { ok, refuse, type Result } from './deps.js';

export interface Supervisor {
  personId: number;
  name: string;
  scope: SupervisorScope;
}

/** The actor as a supervisor, or 'role' for anyone else (helpers, trainers, strangers). */
export function supervisorOf(actor: Actor | undefined): Result<Supervisor, 'role'> {
  const scope = supervisorScope(actor);
  return actor && scope ? ok({ personId: actor.personId, name: actor.name, scope }) : refuse('role');
}
