/** The live question catalogue for a use case, and the short tokens that name its topics in actions. */
import { createHash } from 'node:crypto';
import { hasRole, type Actor } from '../../core/people/roles.js';
import { loadCatalog, type Catalog, type QuestionRef } from '../../db/quiz-repo.js';
import { LEVELS, type Level, type Question } from '../../core/quiz/index.js';
import { appliesTo, inForceOn, type DistrictPlace } from '../../core/requirements/index.js';
import { localDate } from '../../core/time.js';
import type { AppDeps } from '../deps.js';

type CatalogDeps = Pick<AppDeps, 'db' | 'content' | 'now' | 'config'>;

/**
 * The questions that bind this district's helpers today: national and district ones, its own province's and city's
 * (settings `requirements`), each between the day it took force and the day its clause was replaced. Everything
 * offered to helpers and trainers (menus, practice, pushes) comes from here, so a level or topic is on offer only
 * when it has questions in force.
 */
export function catalogOf(deps: CatalogDeps): Catalog {
  return inForce(allQuestionsOf(deps), placeOf(deps), localDate(deps.now(), deps.config.timezone), deps.content.quizzes.byId);
}

/** Every stored question, in force or not: for labels of what was asked earlier (results, old sittings). */
export function allQuestionsOf(deps: Pick<AppDeps, 'db' | 'content' | 'now'>): Catalog {
  return loadCatalog(deps.db, deps.content.quizzes, deps.now());
}

export function placeOf(deps: Pick<AppDeps, 'content'>): DistrictPlace {
  return deps.content.settings.requirements ?? {};
}

/** The catalogue narrowed to a place and a day; dates and region come from the content when it has the question. */
export function inForce(cat: Catalog, place: DistrictPlace, day: string, content: ReadonlyMap<string, Question>): Catalog {
  const questions = cat.questions.filter((stored) => {
    const q = content.get(stored.id) ?? stored;
    // a clause replaced by a newer document (ceased), or a rule of an earlier period (retired: its last day)
    return appliesTo(stored, place) && inForceOn({ from: q.effectiveDate, ceased: q.ceasedDate }, day) && (q.retiredDate === undefined || day <= q.retiredDate);
  });
  const ids = new Set(questions.map((q) => q.id));
  return {
    ...cat,
    questions,
    byId: new Map(questions.map((q) => [q.id, q])),
    banks: cat.banks.filter((b) => questions.some((q) => cat.bankOf.get(q.id) === b.id)),
    bankOf: new Map([...cat.bankOf].filter(([id]) => ids.has(id))),
  };
}

/** A short, stable token for a topic in an action (topics may be long Chinese names). */
export function topicToken(topic: string): string {
  return createHash('sha1').update(topic).digest('base64url').slice(0, 10);
}

/** The topics of the catalogue, in catalogue order. */
export function topicsOf(cat: Catalog): string[] {
  return [...new Set(cat.questions.map((q) => q.topic))];
}

/** The levels that have questions in the catalogue, broadest first: the only levels a menu may offer. */
export function levelsOf(cat: Catalog): Level[] {
  const present = new Set(cat.questions.map((q) => q.level));
  return LEVELS.filter((l) => present.has(l));
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
