/**
 * Risk flags a supervisor can act on: the open flags of their scope, the card behind one, and "handled" with a note
 * (who and when recorded). `/stats` and the web count only open flags, so marking one handled moves the figures.
 */
import { supervisorScope, type Actor } from '../core/people/roles.js';
import type { MessageRef } from '../core/text.js';
import { flagMessage } from '../core/visits/risk-flags.js';
import { flagById, markFlagHandled, openFlagsInScope, type ScopedFlagRow } from '../db/flags-repo.js';
import { householdInScope } from '../db/stats-repo.js';
import { ok, refuse, type AppDeps, type Result } from './deps.js';

/** Flags shown per page (a phone screen of buttons). */
export const FLAGS_PAGE_SIZE = 8;
/** The shortest note that says what was done ("已核实" is three characters). */
export const MIN_NOTE_CHARS = 2;
export const MAX_NOTE_CHARS = 300;

export interface FlagItem extends ScopedFlagRow {
  message: MessageRef;
}

export interface FlagsPage {
  total: number;
  page: number;
  pages: number;
  items: FlagItem[];
}

/** One page (0-based) of the open flags in the supervisor's scope. */
export function openFlags(actor: Actor | undefined, deps: AppDeps, page: number): Result<FlagsPage, 'role'> {
  const scope = supervisorScope(actor);
  if (!scope) return refuse('role');
  const first = openFlagsInScope(deps.db, scope, FLAGS_PAGE_SIZE, 0);
  const pages = Math.max(1, Math.ceil(first.total / FLAGS_PAGE_SIZE));
  const at = Math.min(Math.max(0, Math.floor(page)), pages - 1);
  const { total, rows } = at === 0 ? first : openFlagsInScope(deps.db, scope, FLAGS_PAGE_SIZE, at * FLAGS_PAGE_SIZE);
  return ok({ total, page: at, pages, items: rows.map((r) => ({ ...r, message: flagMessage(r.code, r.params) })) });
}

/** A flag the supervisor may act on (its household lies in their scope). */
export function flagForSupervisor(actor: Actor | undefined, deps: AppDeps, flagId: number) {
  const scope = supervisorScope(actor);
  if (!scope) return refuse('role');
  const flag = flagById(deps.db, flagId);
  if (!flag || !householdInScope(deps.db, scope, flag.householdId)) return refuse('not_yours');
  return ok({ ...flag, message: flagMessage(flag.code, flag.params) });
}

/** Marks a flag handled with the supervisor's note; the note is what the next reader of the archive sees. */
export function handleFlag(
  actor: Actor | undefined,
  deps: AppDeps,
  flagId: number,
  note: string,
): Result<{ remaining: number }, 'role' | 'not_yours' | 'not_open' | 'note_short'> {
  const found = flagForSupervisor(actor, deps, flagId);
  if (!found.ok) return found;
  const text = note.trim().slice(0, MAX_NOTE_CHARS);
  if (Array.from(text).length < MIN_NOTE_CHARS) return refuse('note_short');
  if (!markFlagHandled(deps.db, flagId, actor!.personId, text, deps.now())) return refuse('not_open');
  return ok({ remaining: openFlagsInScope(deps.db, supervisorScope(actor)!, 0, 0).total });
}
