/** The live question catalogue for a use case, and the short tokens that name its topics in actions. */
import { createHash } from 'node:crypto';
import { hasRole, type Actor } from '../../core/people/roles.js';
import { loadCatalog, type Catalog, type QuestionRef } from '../../db/quiz-repo.js';
import type { Question } from '../../core/quiz/index.js';
import type { AppDeps } from '../deps.js';
import { localDate } from '../../core/time.js';

/** The catalogue with the questions in force today (in the configured zone); retired ones stay readable by id. */
export function catalogOf(deps: Pick<AppDeps, 'db' | 'content' | 'now' | 'config'>): Catalog {
  return loadCatalog(deps.db, deps.content.quizzes, deps.now(), localDate(deps.now(), deps.config.timezone));
}

/** A short, stable token for a topic in an action (topics may be long Chinese names). */
export function topicToken(topic: string): string {
  return createHash('sha1').update(topic).digest('base64url').slice(0, 10);
}

/** The topics of the catalogue, in catalogue order. */
export function topicsOf(cat: Catalog): string[] {
  return [...new Set(cat.questions.map((q) => q.topic))];
}

/** The topic an action's token names, if it is still in the catalogue. */
export function topicByToken(cat: Catalog, token: string): string | undefined {
  return topicsOf(cat).find((t) => topicToken(t) === token);
}

export const refOf = (q: Question): QuestionRef => ({ id: q.id, v: q.version });

/** Helpers practise and take pushed quizzes; trainers may try their own questions. */
export function mayQuiz(actor: Actor | undefined): actor is Actor {
  return hasRole(actor, 'helper') || hasRole(actor, 'trainer');
}

/** A positive whole number from an action's argument (anything else names nothing). */
export function idArg(v: string | number): number | undefined {
  const n = typeof v === 'number' ? v : /^\d{1,15}$/.test(v) ? Number(v) : NaN;
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

/** A whole number ≥ 0 from an action's argument. */
export function indexArg(v: string | number): number | undefined {
  const n = typeof v === 'number' ? v : /^\d{1,4}$/.test(v) ? Number(v) : NaN;
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}
