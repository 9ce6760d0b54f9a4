/**
 * The dashboard's pages: each one calls the same use case as the chat command (src/app) with the signed-in person
 * as the actor and renders its result as HTML. No rule lives here: scope, roles, validation and counts are the use
 * cases'. Ids in paths are only ids; the use case refuses what is outside the person's scope.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono, type Context } from 'hono';
import { html } from 'hono/html';
import { exportForSupervisor, exportOffer } from '../../app/export.js';
import { flagDetail, handleFlag, openFlags } from '../../app/flags.js';
import { dossierPage } from '../../app/dossier-view.js';
import { householdMap } from '../../app/household-map.js';
import { reviewQueue, REVIEW_QUEUE_SIZE } from '../../app/review-queue.js';
import { mapSvg } from './map.js';
import { pushMenu, pushResults } from '../../app/quiz/push.js';
import { coverageByUnit, coverageScope } from '../../app/quiz/coverage.js';
import { LEVEL_LABELS } from '../../core/quiz/index.js';
import { content } from '../../app/views.js';
import { reviewField, reviewFields, reviewSections, sendReview } from '../../app/review.js';
import { supervisedHousehold } from '../../app/stats/household.js';
import { statsPage, type HelperHouseholdLine } from '../../app/stats/page.js';
import { PERIOD_KEYS } from '../../app/stats/period.js';
import { drillRequest, GROUPS_FOR, requestArgs } from '../../app/stats/request.js';
import type { ChatView } from '../../app/views.js';
import { hasRole } from '../../core/people/roles.js';
import type { GroupStats } from '../../core/stats/index.js';
import { setWebSessionLocale } from '../../db/web-auth-repo.js';
import { signOut } from '../../app/web-access.js';
import type { DashboardDeps } from './deps.js';
import { page, text, viewHtml, type Html } from './render.js';
import { clearSessionCookie, errorBlock, requireCsrf, requireUser, type DashEnv } from './session.js';

type C = Context<DashEnv>;

const id = (s: string | undefined): number => (s && /^\d{1,15}$/.test(s) ? Number(s) : 0);

function navOf(c: C): { href: string; label: string }[] {
  const t = c.get('t');
  const a = c.get('user').actor;
  const nav = [{ href: '/web', label: t('web.nav.home') }];
  if (hasRole(a, 'supervisor')) {
    nav.push(
      { href: '/web/stats', label: t('web.nav.stats') },
      { href: '/web/flags', label: t('web.nav.flags') },
      { href: '/web/review', label: t('web.nav.review') },
      { href: '/web/map', label: t('web.nav.map') },
      { href: '/web/export', label: t('web.nav.export') },
    );
  }
  if (hasRole(a, 'trainer')) nav.push({ href: '/web/quiz', label: t('web.nav.quiz') });
  if (coverageScope(a)) nav.push({ href: '/web/requirements', label: t('web.nav.requirements') });
  return nav;
}

function show(c: C, title: string, body: Html, status: 200 | 400 | 403 | 404 = 200) {
  const url = new URL(c.req.url);
  return c.html(page({ t: c.get('t'), locale: c.get('locale'), title, csrf: c.get('csrf'), nav: navOf(c), back: url.pathname + url.search }, body), status);
}

const REFUSAL_KEYS = { role: 'refuse.role', not_yours: 'refuse.not_yours', stale: 'refuse.stale' } as const;
type Refusal = keyof typeof REFUSAL_KEYS;
const STATUS: Record<Refusal, 403 | 404 | 400> = { role: 403, not_yours: 404, stale: 400 };

/** A use case's refusal as a page: the chat's words, and a status a script can read. */
function refused(c: C, reason: string) {
  const r: Refusal = reason in REFUSAL_KEYS ? (reason as Refusal) : 'stale';
  return show(c, c.get('t')('web.title'), errorBlock(c.get('t')(REFUSAL_KEYS[r])), STATUS[r]);
}

function viewPage(c: C, title: string, view: ChatView, extra?: Html) {
  const pt = { t: c.get('t'), locale: c.get('locale') };
  return show(c, title, html`${viewHtml(view, pt)}${extra ?? ''}`);
}

const COLUMNS = ['label', 'households', 'visits', 'on_pace', 'behind', 'overdue', 'target_met', 'flags', 'failed'] as const;
type Column = (typeof COLUMNS)[number];
const valueOf: Record<Column, (g: GroupStats) => string | number> = {
  label: (g) => g.label,
  households: (g) => g.households,
  visits: (g) => g.inPersonVisits,
  on_pace: (g) => g.pace.on_pace,
  behind: (g) => g.pace.behind,
  overdue: (g) => g.pace.overdue,
  target_met: (g) => g.targetMet,
  flags: (g) => g.openFlags.total,
  failed: (g) => g.guarantee.failedItems,
};
const H_COLUMNS = ['code', 'head', 'village', 'visits', 'pace', 'last', 'flags'] as const;
type HColumn = (typeof H_COLUMNS)[number];
const hValueOf: Record<HColumn, (h: HelperHouseholdLine) => string | number> = {
  code: (h) => h.code,
  head: (h) => h.headName,
  village: (h) => h.villageName,
  visits: (h) => h.visits,
  pace: (h) => h.pace,
  last: (h) => h.lastVisitDate ?? '',
  flags: (h) => h.openFlags,
};

const PERIOD_LABEL = { y: 'supervise.period_btn.py', '30': 'supervise.period_btn.p30', '90': 'supervise.period_btn.p90', l: 'supervise.period_btn.pl' } as const;
const GROUP_LABEL = { unit: 'stats.group_by.unit', town: 'stats.group_by.town', village: 'stats.group_by.village', helper: 'stats.group_by.helper' } as const;
const PACE_LABEL = { on_pace: 'stats.pace.on_pace', behind: 'stats.pace.behind', overdue: 'stats.pace.overdue' } as const;
const COLUMN_LABEL = {
  label: 'web.col.label', households: 'web.col.households', visits: 'web.col.visits', on_pace: 'web.col.on_pace', behind: 'web.col.behind',
  overdue: 'web.col.overdue', target_met: 'web.col.target_met', flags: 'web.col.flags', failed: 'web.col.failed', code: 'web.col.code',
  head: 'web.col.head', village: 'web.col.village', pace: 'web.col.pace', last: 'web.col.last', helper: 'web.col.helper', date: 'web.col.date',
  revision: 'web.col.revision', reviews: 'web.col.reviews', actions: 'web.col.actions',
} as const;

function sorted<T, K extends string>(rows: readonly T[], get: Record<K, (r: T) => string | number>, col: K, desc: boolean): T[] {
  const f = get[col];
  const out = [...rows].sort((a, b) => {
    const x = f(a);
    const y = f(b);
    return typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), 'zh-CN');
  });
  return desc ? out.reverse() : out;
}

async function statsRoute(deps: DashboardDeps, c: C) {
  const t = c.get('t');
  const pt = { t, locale: c.get('locale') };
  const v = c.req.query('v');
  const args = v ? v.split('.') : undefined;
  const actor = c.get('user').actor;
  const r = deps.reports ? await deps.reports.statsPage(actor, args) : statsPage(deps, actor, args);
  if (!r.ok) return refused(c, r.reason);
  const p = r.value;
  const here = requestArgs(p.request).join('.');
  const sortCol = c.req.query('sort') ?? '';
  const desc = c.req.query('dir') === 'desc';
  const head = (col: string, label: string) =>
    html`<th><a href="/web/stats?v=${here}&sort=${col}&dir=${sortCol === col && !desc ? 'desc' : 'asc'}">${label}${sortCol === col ? (desc ? ' ▼' : ' ▲') : ''}</a></th>`;
  const switches = html`<nav class="actions"><span>${t('web.period')}</span>${PERIOD_KEYS.map(
    (k) => html`<a class="btn${k === p.request.period ? ' on' : ''}" href="/web/stats?v=${requestArgs({ ...p.request, period: k }).join('.')}">${t(PERIOD_LABEL[k])}</a>`,
  )}</nav>${
    p.request.groupBy
      ? html`<nav class="actions"><span>${t('web.group_by')}</span>${GROUPS_FOR[p.request.scope.kind].map(
          (g) => html`<a class="btn${g === p.request.groupBy ? ' on' : ''}" href="/web/stats?v=${requestArgs({ ...p.request, groupBy: g }).join('.')}">${t(GROUP_LABEL[g])}</a>`,
        )}</nav>`
      : ''
  }`;
  if (p.kind === 'helper') {
    const col = (H_COLUMNS as readonly string[]).includes(sortCol) ? (sortCol as HColumn) : 'code';
    const rows = sorted(p.households, hValueOf, col, desc);
    const table = html`<div class="scroll"><table><thead><tr>${H_COLUMNS.map((k) => head(k, t(COLUMN_LABEL[k])))}</tr></thead><tbody>${rows.map(
      (h) =>
        html`<tr><td><a href="/web/households/${h.id}">${h.code}</a></td><td>${h.headName}</td><td>${h.villageName}</td><td>${h.visits}</td><td>${t(PACE_LABEL[h.pace])}</td><td>${h.lastVisitDate ?? '—'}</td><td>${h.openFlags}</td></tr>`,
    )}</tbody></table></div>`;
    // the title only: the households are the table
    return show(c, t('web.nav.stats'), html`<p class="block">${text(p.view.blocks[0][0], pt)}</p>${switches}${table}`);
  }
  const col = (COLUMNS as readonly string[]).includes(sortCol) ? (sortCol as Column) : undefined;
  const groups = col ? sorted(p.report.groups, valueOf, col, desc) : p.report.groups;
  const groupBy = p.request.groupBy!;
  const table = html`<p>${t('web.sort_hint')}</p><div class="scroll"><table id="groups"><thead><tr>${COLUMNS.map((k) => head(k, k === 'label' ? t(GROUP_LABEL[groupBy]) : t(COLUMN_LABEL[k])))}</tr></thead><tbody>${groups.map(
    (g) =>
      html`<tr data-key="${String(g.key)}"><td>${
        typeof g.key === 'number'
          ? html`<a href="/web/stats?v=${requestArgs(drillRequest(p.request.period, groupBy, g.key)).join('.')}">${g.label}</a>`
          : g.label
      }</td>${COLUMNS.slice(1).map((k) => html`<td>${valueOf[k](g)}</td>`)}</tr>`,
  )}</tbody></table></div>`;
  return show(c, t('web.nav.stats'), html`${viewHtml(p.view, pt, { blocks: [0, 1], actions: false })}${switches}${table}`);
}

export function dashboardRoutes(deps: DashboardDeps): Hono<DashEnv> {
  const app = new Hono<DashEnv>();
  app.use('*', requireUser(deps), requireCsrf());

  app.get('/', (c) => {
    const t = c.get('t');
    const links = navOf(c).slice(1);
    return show(c, t('web.title'), html`<p class="block">${t('web.hello', { name: c.get('user').actor.name })}</p><nav class="actions">${links.map((l) => html`<a class="btn" href="${l.href}">${l.label}</a>`)}</nav>`);
  });

  app.get('/stats', (c) => statsRoute(deps, c));

  app.get('/households/:id', (c) => {
    const r = supervisedHousehold(deps, c.get('user').actor, id(c.req.param('id')));
    return r.ok ? viewPage(c, c.get('t')('web.nav.stats'), r.value) : refused(c, r.reason);
  });

  app.get('/flags', (c) => {
    const r = openFlags(deps, c.get('user').actor, id(c.req.query('page')));
    return r.ok ? viewPage(c, c.get('t')('web.nav.flags'), r.value.view) : refused(c, r.reason);
  });

  const flagPage = (c: C, flagId: number, notice?: string) => {
    const t = c.get('t');
    const r = flagDetail(deps, c.get('user').actor, flagId);
    if (!r.ok) return refused(c, r.reason);
    const f = r.value.flag;
    const form =
      f.resolvedAt === null
        ? html`<form class="card" id="handle" method="post" action="/web/flags/${f.id}/handle"><input type="hidden" name="_csrf" value="${c.get('csrf')}"><label for="note">${t('web.note_label')}</label><textarea id="note" name="note" maxlength="300" required></textarea><button class="btn">${t('web.btn_handled')}</button></form>`
        : '';
    return viewPage(c, t('web.nav.flags'), r.value.view, html`${notice ? errorBlock(notice) : ''}${form}`);
  };
  app.get('/flags/:id', (c) => flagPage(c, id(c.req.param('id'))));
  app.post('/flags/:id/handle', async (c) => {
    const flagId = id(c.req.param('id'));
    const form = await c.req.parseBody();
    const note = typeof form.note === 'string' ? form.note : '';
    const r = handleFlag(deps, c.get('user').actor, flagId, note);
    if (!r.ok) {
      if (r.reason === 'note_short') return flagPage(c, flagId, c.get('t')('flags.note_short'));
      if (r.reason === 'not_open') return flagPage(c, flagId, c.get('t')('flags.not_open'));
      return refused(c, r.reason);
    }
    return viewPage(c, c.get('t')('web.nav.flags'), r.value.view);
  });

  app.get('/cards/:id', (c) => {
    const r = dossierPage(deps, c.get('user').actor, id(c.req.param('id')));
    return r.ok ? viewPage(c, c.get('t')('web.nav.flags'), r.value.view) : refused(c, r.reason);
  });

  app.get('/review', (c) => {
    const t = c.get('t');
    const r = reviewQueue(deps, c.get('user').actor);
    if (!r.ok) return refused(c, r.reason);
    if (!r.value.length) return show(c, t('web.nav.review'), html`<p class="block">${t('web.review_none')}</p>`);
    const cols = ['code', 'village', 'helper', 'date', 'revision', 'flags', 'reviews', 'actions'] as const;
    const table = html`<div class="scroll"><table id="queue"><thead><tr>${cols.map((k) => html`<th>${t(COLUMN_LABEL[k])}</th>`)}</tr></thead><tbody>${r.value.map(
      (q) =>
        html`<tr data-card="${q.id}"><td>${q.householdCode}</td><td>${q.village}</td><td>${q.helper}</td><td>${q.visitDate}</td><td>${q.revision}</td><td>${q.openFlags}</td><td>${q.openReviews}</td><td><a href="/web/cards/${q.id}">${t('web.open_card')}</a> · <a href="/web/review/${q.id}">${t('review.btn_send_back')}</a></td></tr>`,
    )}</tbody></table></div>`;
    return show(c, t('web.nav.review'), html`<p>${t('web.review_note', { count: REVIEW_QUEUE_SIZE })}</p>${table}`);
  });

  app.get('/review/:card', (c) => {
    const t = c.get('t');
    const actor = c.get('user').actor;
    const cardId = id(c.req.param('card'));
    const rev = c.req.query('rev');
    const section = c.req.query('section');
    const item = c.req.query('item');
    if (rev !== undefined && item !== undefined) {
      const r = reviewField(deps, actor, cardId, id(rev), Number(/^\d{1,4}$/.test(item) ? item : -1));
      if (!r.ok) return refused(c, r.reason);
      const form = html`<form class="card" method="post" action="/web/review/${cardId}"><input type="hidden" name="_csrf" value="${c.get('csrf')}"><input type="hidden" name="rev" value="${r.value.revision}"><input type="hidden" name="item" value="${item}"><label for="comment">${t('web.comment_label')}</label><textarea id="comment" name="comment" maxlength="500" required></textarea><button class="btn">${t('web.btn_send_back')}</button></form>`;
      // the chat's question ends with "send /cancel"; the page has its own words around the same field and value
      const pt = { t, locale: c.get('locale') };
      return show(c, t('review.btn_send_back'), html`<p class="block">${t('web.review_ask', { field: text(content(r.value.field), pt), value: text(content(r.value.value), pt) })}</p>${form}`);
    }
    const r = rev !== undefined && section !== undefined ? reviewFields(deps, actor, cardId, id(rev), Number(/^\d{1,4}$/.test(section) ? section : -1)) : reviewSections(deps, actor, cardId);
    return r.ok ? viewPage(c, t('review.btn_send_back'), r.value) : refused(c, r.reason);
  });
  app.post('/review/:card', async (c) => {
    const t = c.get('t');
    const actor = c.get('user').actor;
    const cardId = id(c.req.param('card'));
    const form = await c.req.parseBody();
    const str = (k: string) => (typeof form[k] === 'string' ? (form[k] as string) : '');
    const item = str('item');
    const target = reviewField(deps, actor, cardId, id(str('rev')), Number(/^\d{1,4}$/.test(item) ? item : -1));
    if (!target.ok) return refused(c, target.reason);
    const r = await sendReview(deps, deps.notifier, actor, target.value, str('comment'));
    if (!r.ok) return r.reason === 'empty' ? show(c, t('review.btn_send_back'), errorBlock(t('web.comment_empty')), 400) : refused(c, r.reason);
    return viewPage(c, t('review.btn_send_back'), r.value);
  });

  app.get('/map', (c) => {
    const t = c.get('t');
    const r = householdMap(deps, c.get('user').actor);
    if (!r.ok) return refused(c, r.reason);
    const { points, villages } = r.value;
    return show(c, t('web.nav.map'), points.length ? html`<p>${t('web.map_note')}</p>${mapSvg(points, villages, t)}` : html`<p class="block">${t('web.map_none')}</p>`);
  });

  app.get('/export', (c) => {
    const r = exportOffer(deps, c.get('user').actor);
    return r.ok ? viewPage(c, c.get('t')('web.nav.export'), r.value, html`<p>${c.get('t')('web.export_note')}</p>`) : refused(c, r.reason);
  });
  app.get('/export/:kind', async (c) => {
    const dir = mkdtempSync(join(tmpdir(), 'bangfu-web-export-'));
    try {
      const file = join(dir, 'workbook.xlsx');
      const r = await exportForSupervisor(deps, c.get('user').actor, c.req.param('kind'), { file, t: c.get('t'), locale: c.get('locale') });
      if (!r.ok) return refused(c, r.reason);
      const name = text(r.value.fileName, { t: c.get('t'), locale: c.get('locale') });
      const body = await readFile(file);
      return c.body(body, 200, {
        'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        'content-disposition': `attachment; filename="export.xlsx"; filename*=UTF-8''${encodeURIComponent(name)}`,
        'cache-control': 'no-store',
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  app.get('/quiz', (c) => {
    const t = c.get('t');
    const r = pushMenu(deps, c.get('user').actor);
    if (!r.ok) return refused(c, r.reason);
    const empty = r.value.actions.flat().every((a) => a.op !== 'push:results');
    return viewPage(c, t('web.nav.quiz'), r.value, empty ? html`<p class="block">${t('web.quiz_none')}</p>` : undefined);
  });
  app.get('/quiz/:id', (c) => {
    const r = pushResults(deps, c.get('user').actor, id(c.req.param('id')));
    return r.ok ? viewPage(c, c.get('t')('web.nav.quiz'), r.value) : refused(c, r.reason);
  });

  // 应知应会 by unit: the chat's summary, then requirements × units (known / helpers); the rule is the use case's
  app.get('/requirements', (c) => {
    const t = c.get('t');
    const pt = { t, locale: c.get('locale') };
    const r = coverageByUnit(deps, c.get('user').actor);
    if (!r.ok) return refused(c, r.reason);
    const { view, requirements, units, total } = r.value;
    if (!requirements.length || !total.helpers) return viewPage(c, t('web.nav.requirements'), view);
    const cell = (u: (typeof units)[number], i: number) =>
      html`<td data-known="${u.known[i]}" data-helpers="${u.helpers}" class="${u.known[i] === u.helpers ? 'all' : u.known[i] === 0 ? 'none' : ''}">${u.known[i]}/${u.helpers}</td>`;
    const table = html`<p>${t('web.req_note')}</p><div class="scroll"><table id="matrix"><thead><tr><th>${t('web.col.requirement')}</th>${units.map(
      (u) => html`<th data-unit="${u.unit}">${u.unit || '—'}</th>`,
    )}<th>${t('web.col.total')}</th></tr></thead><tbody>${requirements.map(
      (q, i) =>
        html`<tr data-req="${q.id}"><td><b>${q.id}</b> · ${text(content(LEVEL_LABELS[q.level]), pt)}<br><small>${text(content(q.text), pt)}</small></td>${units.map((u) => cell(u, i))}${cell(total, i)}</tr>`,
    )}</tbody></table></div>`;
    return show(c, t('web.nav.requirements'), html`${viewHtml(view, pt)}${table}`);
  });

  app.post('/lang', async (c) => {
    const form = await c.req.parseBody();
    const to = form.to === 'en' ? 'en' : 'zh-CN';
    setWebSessionLocale(deps.db, c.get('session'), to);
    const back = typeof form.back === 'string' && /^\/web(\/[\w/-]*)?(\?[\w.=&%-]*)?$/.test(form.back) ? form.back : '/web';
    return c.redirect(back, 303);
  });
  app.post('/out', (c) => {
    signOut(deps, c.get('session'));
    clearSessionCookie(c, deps);
    const t = c.get('t');
    return c.html(page({ t, locale: c.get('locale'), title: t('web.title') }, html`<p class="block">${t('web.signed_out_done')}</p>`));
  });
  return app;
}

