/**
 * 缺什么补什么 for the unit head and the trainer: every helper of a scope × every requirement in force here (known /
 * not yet / never asked), the coverage per level, the helpers furthest behind and the requirements least known. The
 * chat shows the summary; the quiz export carries the whole matrix. A unit head sees their own scope (a supervisor's
 * grant), a trainer the district (they push to all of it). Nothing personal beyond names and units is involved.
 */
import { hasRole, supervisorScope, type Actor } from '../../core/people/roles.js';
import type { Scope } from '../../core/people/scope.js';
import { LEVEL_LABELS, LEVELS } from '../../core/quiz/index.js';
import type { Mastery, Requirement } from '../../core/requirements/index.js';
import { answersOfScope, helpersOfScope, type ScopeHelper } from '../../db/knowledge-repo.js';
import { scopeName } from '../../db/scope-repo.js';
import { ok, refuse, type Result } from '../deps.js';
import { content, msg, raw, ViewBuilder, type ChatView, type Piece } from '../views.js';
import { liveRequirements, masteryFor, type KnowDeps, type LiveRequirement } from './knowledge.js';

export interface MatrixRow extends ScopeHelper {
  /** one cell per requirement, in the matrix's order */
  cells: Mastery[];
  known: number;
}

export interface KnowledgeMatrix {
  requirements: Requirement[];
  rows: MatrixRow[];
}

/** Helpers listed as furthest behind, and requirements as least known. */
export const BEHIND_LINES = 5;

/** The matrix of a scope: live requirements in pack order, helpers by code. */
export function knowledgeMatrix(deps: KnowDeps, scope: Scope, live: LiveRequirement[] = liveRequirements(deps)): KnowledgeMatrix {
  const helpers = helpersOfScope(deps.db, scope);
  const answers = answersOfScope(deps.db, scope, live.flatMap((l) => l.questions.map((q) => q.id)));
  const rows = helpers.map((h): MatrixRow => {
    const mastery = masteryFor(deps, live, answers.get(h.personId) ?? []);
    const cells = live.map((l) => mastery.get(l.req.id) ?? 'never');
    return { ...h, cells, known: cells.filter((c) => c === 'known').length };
  });
  return { requirements: live.map((l) => l.req), rows };
}

/** Who may read coverage, and over what: a supervisor their scope, a trainer the district. */
export function coverageScope(actor: Actor | undefined): Scope | undefined {
  const sup = supervisorScope(actor);
  if (sup) return sup;
  return hasRole(actor, 'trainer') ? { kind: 'district' } : undefined;
}

const pct = (n: number, of: number): number => (of === 0 ? 0 : Math.round((n * 100) / of));
const SHORT = 24;
const short = (s: string): string => (Array.from(s).length > SHORT ? `${Array.from(s).slice(0, SHORT).join('')}…` : s);

/** `/stats` → 应知应会: coverage per level, helpers furthest behind, requirements least known. */
export function coverageView(deps: KnowDeps, actor: Actor | undefined): Result<ChatView, 'role'> {
  const scope = coverageScope(actor);
  if (!scope) return refuse('role');
  return ok(summaryView(deps, actor, scope, knowledgeMatrix(deps, scope)));
}

/** One unit's (or the whole scope's) row of the matrix by unit: per requirement, how many of its helpers know it. */
export interface UnitCoverage {
  unit: string;
  helpers: number;
  /** in the order of `requirements` */
  known: number[];
}

export interface CoverageByUnit {
  /** the chat's summary (`/stats` → 应知应会), the same lines */
  view: ChatView;
  requirements: Requirement[];
  units: UnitCoverage[];
  total: UnitCoverage;
}

/** The matrix by unit (the dashboard's page): the chat's summary and, per unit and requirement, the helpers who know it. */
export function coverageByUnit(deps: KnowDeps, actor: Actor | undefined): Result<CoverageByUnit, 'role'> {
  const scope = coverageScope(actor);
  if (!scope) return refuse('role');
  const m = knowledgeMatrix(deps, scope);
  const tally = (unit: string, rows: readonly MatrixRow[]): UnitCoverage => ({
    unit,
    helpers: rows.length,
    known: m.requirements.map((_, i) => rows.filter((r) => r.cells[i] === 'known').length),
  });
  const byUnit = new Map<string, MatrixRow[]>();
  for (const r of m.rows) byUnit.set(r.unit, [...(byUnit.get(r.unit) ?? []), r]);
  const units = [...byUnit].sort(([a], [b]) => a.localeCompare(b, 'zh-CN')).map(([unit, rows]) => tally(unit, rows));
  return ok({ view: summaryView(deps, actor, scope, m), requirements: m.requirements, units, total: tally('', m.rows) });
}

function summaryView(deps: KnowDeps, actor: Actor | undefined, scope: Scope, m: KnowledgeMatrix): ChatView {
  const title: Piece = scope.kind === 'district' ? msg('supervise.district') : raw(scopeName(deps.db, scope) ?? '?');
  const v = new ViewBuilder().line(msg('coverage.title', { title, helpers: m.rows.length, requirements: m.requirements.length }));
  if (m.requirements.length === 0 || m.rows.length === 0) return v.line(msg('coverage.empty')).build();
  v.block();
  for (const level of LEVELS) {
    const idx = m.requirements.flatMap((r, i) => (r.level === level ? [i] : []));
    if (idx.length === 0) continue;
    const cells = m.rows.flatMap((row) => idx.map((i) => row.cells[i]));
    const known = cells.filter((c) => c === 'known').length;
    const never = cells.filter((c) => c === 'never').length;
    v.line(msg('coverage.level_line', { level: content(LEVEL_LABELS[level]), requirements: idx.length, known, cells: cells.length, pct: pct(known, cells.length), never }));
  }
  v.block().line(msg('coverage.behind_title'));
  const behind = [...m.rows].sort((a, b) => a.known - b.known || a.code.localeCompare(b.code)).slice(0, BEHIND_LINES);
  for (const r of behind) {
    v.line(msg('coverage.behind_line', { name: r.name, unit: r.unit || '—', known: r.known, total: m.requirements.length, never: r.cells.filter((c) => c === 'never').length }));
  }
  v.block().line(msg('coverage.least_title'));
  const least = m.requirements
    .map((req, i) => ({ req, known: m.rows.filter((r) => r.cells[i] === 'known').length }))
    .sort((a, b) => a.known - b.known)
    .slice(0, BEHIND_LINES);
  for (const l of least) {
    v.line(msg('coverage.least_line', { id: l.req.id, text: content({ zh: short(l.req.text.zh), en: short(l.req.text.en) }), known: l.known, helpers: m.rows.length }));
  }
  v.block().line(msg(hasRole(actor, 'trainer') ? 'coverage.hint_push' : 'coverage.hint_export'));
  return v.build();
}
