/**
 * The dashboard's pages over real HTTP, against the use cases they share with chat: the same figures as /stats,
 * flags and the card behind them, a field sent back (the helper told), spreadsheets, quiz push results; scope
 * enforced by id forging too; no personal data in addresses or logs; /healthz and /metrics.
 */
import { describe, expect, it } from 'vitest';
import { writeFileSync, mkdirSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { statsPage } from '../../src/app/stats/page.js';
import { requestArgs, drillRequest } from '../../src/app/stats/request.js';
import { catalogOf } from '../../src/app/quiz/catalog.js';
import { viewText } from '../../src/app/views.js';
import { flagsOfCard } from '../../src/db/flags-repo.js';
import { createPush } from '../../src/db/quiz-push-repo.js';
import { auditLog, households } from '../../src/db/schema.js';
import { eq } from 'drizzle-orm';
import { householdMap } from '../../src/app/household-map.js';
import { createTranslator } from '../../src/i18n.js';
import { ANSWERS } from '../app/supervision-fixture.js';
import { Browser, webWorld, type WebWorld } from './support.js';
import { coverageByUnit } from '../../src/app/quiz/coverage.js';
import { liveRequirements } from '../../src/app/quiz/knowledge.js';
import { chooseOption, submitChoices } from '../../src/app/quiz/answer.js';
import { startAttempt } from '../../src/db/quiz-attempt-repo.js';
import { questionVersion } from '../../src/db/quiz-repo.js';

/** The rows of the groups table: data-key → the numbers of the columns after the name. */
function tableRows(page: string): Map<string, number[]> {
  const rows = new Map<string, number[]>();
  for (const m of page.matchAll(/<tr data-key="([^"]*)">(.*?)<\/tr>/g)) {
    const cells = [...m[2].matchAll(/<td>(.*?)<\/td>/g)].map((c) => c[1]);
    rows.set(m[1], cells.slice(1).map(Number));
  }
  return rows;
}

function flagged(w: WebWorld) {
  const c1 = w.card('H0001', 'wang', '2017-11-10', { ...ANSWERS, food_status: '不达标' }, [{ code: 'guarantee_failed_food', level: 'high' }]);
  const c5 = w.card('H0005', 'zhang', '2017-11-01', ANSWERS, [{ code: 'income_drop', level: 'medium' }]);
  return { c1, c5, flag1: flagsOfCard(w.db, c1)[0].id, flag5: flagsOfCard(w.db, c5)[0].id };
}

describe('pace: the same figures as /stats', () => {
  it.each([
    ['on the server\'s thread', false],
    ['in the report worker (as the running bot computes them)', true],
  ])('every group row of every period and grouping equals the use case; sorting reorders rows, not numbers (%s)', async (_, offThread) => {
    const w = await webWorld({ offThread });
    flagged(w);
    w.card('H0002', 'wang', '2017-10-01');
    const b = await w.signIn('wu');
    const wu = w.actor('wu');
    let compared = 0;
    for (const period of ['y', '30', '90', 'l'] as const) {
      for (const groupBy of ['town', 'unit', 'village', 'helper'] as const) {
        const args = requestArgs({ period, scope: { kind: 'district' }, groupBy }).map(String);
        const uc = statsPage(w.deps, wu, args);
        if (!uc.ok || uc.value.kind !== 'figures') throw new Error('no figures');
        const res = await b.get(`/web/stats?v=${args.join('.')}`);
        expect(res.status).toBe(200);
        const rows = tableRows(await res.text());
        expect(rows.size).toBe(uc.value.report.groups.length);
        for (const g of uc.value.report.groups) {
          const r = g;
          expect(rows.get(String(g.key)), `${period} ${groupBy} ${g.label}`).toEqual([
            r.households, r.inPersonVisits, r.pace.on_pace, r.pace.behind, r.pace.overdue, r.targetMet, r.openFlags.total, r.guarantee.failedItems,
          ]);
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(20);
    // each page really came from the worker, not from the fallback
    if (offThread) expect(w.reports!.counts()).toEqual({ worker: 16, here: 0 });
    const sorted = await (await b.get(`/web/stats?v=y.h.d.0&sort=visits&dir=desc`)).text();
    const visits = [...tableRows(sorted).values()].map((r) => r[1]);
    expect(visits).toEqual([...visits].sort((x, y) => y - x));
    // the totals are the chat's own lines, in the same words
    const t = createTranslator('zh-CN').forLocale('zh-CN');
    const first = statsPage(w.deps, wu);
    const totals = first.ok ? viewText(first.value.view, t, 'zh-CN')[1].split('\n') : [];
    const home = await (await b.get('/web/stats')).text();
    // each switch once: the view's own buttons are not drawn beside the page's switches and table
    expect(home.split('href="/web/stats?v=30.t.d.0"').length - 1).toBe(1);
    expect(home.split('href="/web/stats?v=y.u.d.0"').length - 1).toBe(1);
    for (const line of totals) expect(home).toContain(line.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;'));
  });

  it('a helper\'s page lists their households in scope; each opens with its flags', async () => {
    const w = await webWorld();
    const { flag1 } = flagged(w);
    const b = await w.signIn('wu');
    const v = requestArgs(drillRequest('y', 'helper', w.person('wang'))).join('.');
    const page = await (await b.get(`/web/stats?v=${v}`)).text();
    for (const code of ['H0001', 'H0002', 'H0003']) expect(page).toContain(code);
    const household = await (await b.get(`/web/households/${w.household('H0001')}`)).text();
    expect(household).toContain(`href="/web/flags/${flag1}"`);
  });
});

describe('scope: a unit head sees their unit only, whatever id is asked for', () => {
  it('another unit\'s flag, card, household, review, helper and unit pages are refused; the write too', async () => {
    const w = await webWorld();
    const { c1, c5, flag1, flag5 } = flagged(w);
    const sun = await w.signIn('sun');
    const list = await (await sun.get('/web/flags')).text();
    expect(list).toContain(`/web/flags/${flag1}`);
    expect(list).not.toContain(`/web/flags/${flag5}`);
    expect(list).not.toContain('H0005');
    const otherUnit = w.id('units', 'U02');
    for (const path of [
      `/web/flags/${flag5}`, `/web/cards/${c5}`, `/web/households/${w.household('H0005')}`, `/web/review/${c5}`,
      `/web/review/${c5}?rev=1&section=0`, `/web/review/${c5}?rev=1&item=0`, `/web/stats?v=y.h.u.${otherUnit}`,
      `/web/stats?v=${requestArgs(drillRequest('y', 'helper', w.person('zhang'))).join('.')}`, '/web/stats?v=y.t.d.0',
    ]) {
      const res = await sun.get(path);
      expect(res.status, path).toBe(404);
      const body = await res.text();
      expect(body, path).not.toContain('杨春花');
      expect(body, path).not.toContain('H0005');
    }
    const csrf = Browser.csrf(await (await sun.get(`/web/flags/${flag1}`)).text());
    expect((await sun.post(`/web/flags/${flag5}/handle`, { note: '越权处理', _csrf: csrf })).status).toBe(404);
    expect((await sun.post(`/web/review/${c5}`, { rev: '1', item: '0', comment: '越权', _csrf: csrf })).status).toBe(404);
    expect(flagsOfCard(w.db, c5)[0].resolvedAt).toBeNull();
    expect(w.notifier.sent).toEqual([]);
    // their own unit's card opens
    expect((await sun.get(`/web/cards/${c1}`)).status).toBe(200);
    // malformed ids are refused, not errors
    for (const path of ['/web/flags/abc', '/web/cards/-1', '/web/stats?v=zz', '/web/review/1?rev=x&item=y', '/web/quiz/99999']) {
      expect([400, 403, 404], path).toContain((await sun.get(path)).status);
    }
  });

  it('a trainer reads quiz results but no supervision page', async () => {
    const w = await webWorld();
    const z = await w.signIn('zhao');
    for (const path of ['/web/stats', '/web/flags', '/web/export']) expect((await z.get(path)).status, path).toBe(403);
    expect(await (await z.get('/web/quiz')).text()).toContain('还没有推送');
  });
});

describe('acting from the web: the same use cases as chat', () => {
  it('mark handled with a note: the flag leaves the list and /stats counts one fewer open flag', async () => {
    const w = await webWorld();
    const { flag1 } = flagged(w);
    const b = await w.signIn('wu');
    const before = statsPage(w.deps, w.actor('wu'));
    const detail = await (await b.get(`/web/flags/${flag1}`)).text();
    expect(detail).toContain('李大山');
    const short = await b.post(`/web/flags/${flag1}/handle`, { note: '好', _csrf: Browser.csrf(detail) });
    expect(await short.text()).toContain('说明太短');
    const done = await b.post(`/web/flags/${flag1}/handle`, { note: '已上门核实，已落实临时救助', _csrf: Browser.csrf(detail) });
    expect(done.status).toBe(200);
    const after = statsPage(w.deps, w.actor('wu'));
    if (!before.ok || !after.ok || before.value.kind !== 'figures' || after.value.kind !== 'figures') throw new Error('no figures');
    expect(after.value.report.totals.openFlags.total).toBe(before.value.report.totals.openFlags.total - 1);
    expect(await (await b.get('/web/flags')).text()).not.toContain(`/web/flags/${flag1}"`);
  });

  it('send one field back: section, field, comment; the helper is told with the action that reopens it', async () => {
    const w = await webWorld();
    const { c1 } = flagged(w);
    w.actor('wang');
    const b = await w.signIn('wu');
    const sections = await (await b.get(`/web/review/${c1}`)).text();
    const sectionHref = /href="(\/web\/review\/\d+\?rev=1&amp;section=\d+)"/.exec(sections)![1].replace(/&amp;/g, '&');
    const fields = await (await b.get(sectionHref)).text();
    const fieldHref = /href="(\/web\/review\/\d+\?rev=1&amp;item=\d+)"/.exec(fields)![1].replace(/&amp;/g, '&');
    const form = await (await b.get(fieldHref)).text();
    const item = /name="item" value="(\d+)"/.exec(form)![1];
    // the page asks in its own words: no chat command in it
    expect(form).toContain('请在下面写上给帮扶责任人的修改意见');
    expect(form).not.toContain('/cancel');
    const empty = await b.post(`/web/review/${c1}`, { rev: '1', item, comment: '  ', _csrf: Browser.csrf(form) });
    expect(empty.status).toBe(400);
    const sent = await b.post(`/web/review/${c1}`, { rev: '1', item, comment: '请核实家庭人口数', _csrf: Browser.csrf(form) });
    expect(sent.status).toBe(200);
    expect(w.notifier.sent).toHaveLength(1);
    expect(w.notifier.sent[0].to.personId).toBe(w.person('wang'));
    expect(w.notifier.sent[0].view.actions.flat().map((a) => a.op)).toEqual(['review:open']);
  });

  it('spreadsheets: the same workbook as /export for the person\'s scope, recorded in the audit log', async () => {
    const w = await webWorld();
    flagged(w);
    const b = await w.signIn('sun');
    const offer = await (await b.get('/web/export')).text();
    for (const k of ['households', 'cards', 'quiz', 'archive']) expect(offer).toContain(`href="/web/export/${k}"`);
    const res = await b.get('/web/export/households');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="export.xlsx"; filename\*=UTF-8''/);
    const body = Buffer.from(await res.arrayBuffer());
    expect(body.subarray(0, 2).toString()).toBe('PK');
    expect(body.includes(Buffer.from('杨春花'))).toBe(false);
    expect((await b.get('/web/export/nonsense')).status).toBe(400);
    const audits = w.db.select().from(auditLog).all().filter((a) => a.action === 'export');
    expect(audits).toHaveLength(1);
    expect(audits[0].personId).toBe(w.person('sun'));
  });

  it('quiz push results for the trainer who pushed (and admins); a supervisor who is neither is refused', async () => {
    const w = await webWorld();
    const questions = catalogOf(w.deps).questions.slice(0, 2).map((q) => ({ id: q.id, v: q.version }));
    const push = createPush(w.db, {
      trainerId: w.person('zhao'), questions, selection: { by: 'all' }, audience: { kind: 'all' }, deadline: w.clock.now + 7 * 86400_000,
      personIds: [w.person('wang'), w.person('li')], now: w.clock.now,
    });
    const z = await w.signIn('zhao');
    expect(await (await z.get('/web/quiz')).text()).toContain(`href="/web/quiz/${push}"`);
    const results = await (await z.get(`/web/quiz/${push}`)).text();
    expect(results).toContain('推送 2 人，完成 0 人');
    const wu = await w.signIn('wu');
    // wu is an admin, who may read any push
    expect((await wu.get(`/web/quiz/${push}`)).status).toBe(200);
    expect((await (await w.signIn('sun')).get(`/web/quiz/${push}`)).status).toBe(404);
  });

  it('the language switch: English pages after it, back where the person was', async () => {
    const w = await webWorld();
    const b = await w.signIn('wu');
    // Chinese first: a browser asking for English still gets the configured default until the person switches
    const english = await fetch(`${w.base}/web/flags`, { headers: { cookie: b.cookie, 'accept-language': 'en-US,en;q=0.9' } });
    expect(await english.text()).toContain('风险提示');
    const page = await (await b.get('/web/flags')).text();
    const res = await b.post('/web/lang', { to: 'en', back: '/web/flags', _csrf: Browser.csrf(page) });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/web/flags');
    expect(await (await b.get('/web/flags')).text()).toContain('Risk flags');
    const evil = await b.post('/web/lang', { to: 'zh-CN', back: 'https://evil.example/', _csrf: Browser.csrf(page) });
    expect(evil.headers.get('location')).toBe('/web');
  });
});

describe('privacy of addresses and logs', () => {
  it('no name, ID number or token in any link of any page or in any log line; pages are not cached and send no referrer', async () => {
    const w = await webWorld();
    const { c1, flag1 } = flagged(w);
    const link = (await import('../../src/app/web-access.js')).webLinkFor(w.deps, w.actor('wu'));
    if (!link.ok) throw new Error(link.reason);
    const token = link.value.url.split('/web/in/')[1];
    const b = w.browser();
    await b.get(`/web/in/${token}`);
    await b.post('/web/in', { token });
    const session = b.cookie.split('=')[1];
    const hrefs: string[] = [];
    for (const path of ['/web', '/web/stats', '/web/stats?v=y.h.d.0', '/web/flags', `/web/flags/${flag1}`, `/web/cards/${c1}`, `/web/review/${c1}`, '/web/review', '/web/map', '/web/export']) {
      const res = await b.get(path);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
      hrefs.push(...[...(await res.text()).matchAll(/(?:href|action)="([^"]*)"/g)].map((m) => m[1]));
    }
    expect(hrefs.length).toBeGreaterThan(20);
    for (const h of hrefs) expect(h).toMatch(/^\/web[/\w?=.&;#-]*$/);
    const logs = w.logs.join('');
    expect(logs).toContain('web signed in');
    for (const secret of [token, session, '李大山', '41052319650302123X', '13800000007', '吴主任']) expect(logs).not.toContain(secret);
  });
});

describe('/healthz and /metrics', () => {
  it('health as JSON with the queues; metrics in Prometheus text with job runs and the newest backup\'s age; 503 when the database fails', async () => {
    const w = await webWorld();
    w.metrics.updateHandled(0.02, false, w.clock.now);
    w.metrics.telegramError(429);
    const h = await fetch(`${w.base}/healthz`);
    expect(h.status).toBe(200);
    expect(await h.json()).toEqual({ ok: true, database: 'ok', durability: 'ok', lastUpdateAt: new Date(w.clock.now).toISOString(), updateQueue: 0, pushQueue: 0 });
    mkdirSync(w.backupDir, { recursive: true });
    const file = join(w.backupDir, 'bangfu-2017-11-14-0230.sqlite');
    writeFileSync(file, '');
    utimesSync(file, (w.clock.now - 3600_000) / 1000, (w.clock.now - 3600_000) / 1000);
    const m = await fetch(`${w.base}/metrics`);
    expect(m.headers.get('content-type')).toContain('text/plain; version=0.0.4');
    const text = await m.text();
    for (const line of [
      'bangfu_updates_handled_total 1', 'bangfu_update_duration_seconds_bucket{le="0.025"} 1', 'bangfu_update_duration_seconds_count 1',
      'bangfu_telegram_errors_total{code="429"} 1', 'bangfu_telegram_429_total 1', 'bangfu_database_up 1', 'bangfu_push_queue_depth 0',
      'bangfu_update_queue_depth 0', 'bangfu_last_backup_age_seconds 3600',
    ]) expect(text.split('\n')).toContain(line);
    // every sample line is name{labels} value
    for (const l of text.trim().split('\n')) expect(l).toMatch(/^(# (HELP|TYPE) \w+ .+|\w+(\{[^}]*\})? -?[\d.e+-]+)$/);
    w.db.$client.close();
    const down = await fetch(`${w.base}/healthz`);
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ ok: false, database: 'failing' });
  });
});

describe('the map of households', () => {
  it('the scope\'s households with a position, coloured by the use case\'s pace, flags ringed, village labels; nothing fetched from elsewhere', async () => {
    const w = await webWorld();
    flagged(w);
    const sun = await w.signIn('sun');
    expect(await (await sun.get('/web/map')).text()).toContain('还没有登记位置');
    const positions: Record<string, [number, number]> = { H0001: [34.27, 108.95], H0002: [34.271, 108.952], H0003: [34.28, 108.97], H0005: [34.3, 109.0] };
    for (const [code, [lat, lon]] of Object.entries(positions)) w.db.update(households).set({ lat, lon }).where(eq(households.code, code)).run();
    const page = await (await sun.get('/web/map')).text();
    const uc = householdMap(w.deps, w.actor('sun'));
    if (!uc.ok) throw new Error(uc.reason);
    // the unit head's households with positions: H0001-H0003 (H0004 has none; H0005 is another unit's)
    expect(uc.value.points.map((p) => p.code)).toEqual(['H0001', 'H0002', 'H0003']);
    const dots = [...page.matchAll(/<a href="\/web\/households\/(\d+)"><circle class="hh" data-pace="(\w+)"([^>]*)><title>(\w+)<\/title>/g)];
    expect(dots.map((d) => [d[4], d[2], d[3].includes('stroke=')])).toEqual(uc.value.points.map((p) => [p.code, p.pace, p.openFlags > 0]));
    expect(dots.find((d) => d[4] === 'H0001')![3]).toContain('stroke=');
    expect(page).toContain('>东沟村</text>');
    expect(page).toContain('>西坪村</text>');
    expect(page).not.toContain('H0005');
    expect(page).not.toMatch(/https?:\/\//);
    expect((await (await w.signIn('zhao')).get('/web/map')).status).toBe(403);
  });
});

describe('the review queue', () => {
  it('the scope\'s newest cards first with their open flags and fields sent back; each opens and can be sent back', async () => {
    const w = await webWorld();
    const { c1, c5 } = flagged(w);
    w.clock.now += 60_000;
    const c2 = w.card('H0002', 'wang', '2017-11-12');
    const sun = await w.signIn('sun');
    const rows = (page: string) => [...page.matchAll(/<tr data-card="(\d+)">(.*?)<\/tr>/g)].map((m) => [Number(m[1]), [...m[2].matchAll(/<td>(.*?)<\/td>/g)].map((c) => c[1])] as const);
    const first = rows(await (await sun.get('/web/review')).text());
    expect(first.map(([id]) => id)).toEqual([c2, c1]);
    expect(first[1][1].slice(0, 7)).toEqual(['H0001', '东沟村', '王小明', '2017-11-10', '1', '1', '0']);
    expect(first[1][1][7]).toContain(`href="/web/review/${c1}"`);
    // a field sent back shows as open on the card
    w.actor('wang');
    const form = await (await sun.get(`/web/review/${c1}?rev=1&item=0`)).text();
    await sun.post(`/web/review/${c1}`, { rev: '1', item: '0', comment: '请补充', _csrf: Browser.csrf(form) });
    const after = rows(await (await sun.get('/web/review')).text());
    expect(after.find(([id]) => id === c1)![1][6]).toBe('1');
    // the district sees every card; another unit's card is not in a unit head's queue
    const wu = rows(await (await w.signIn('wu')).get('/web/review').then((r) => r.text()));
    // c1 and c5 were submitted at the same instant: the later id first
    expect(wu.map(([id]) => id)).toEqual([c2, c5, c1]);
    expect((await (await w.signIn('zhao')).get('/web/review')).status).toBe(403);
  });
});

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

describe('the requirements matrix (应知应会 by unit)', () => {
  /** The helper answers every question of a requirement right, on this day (two days apart = known). */
  function learn(w: WebWorld, who: 'wang' | 'li' | 'zhang', requirement: string): void {
    const live = liveRequirements(w.deps).find((l) => l.req.id === requirement)!;
    const me = w.actor(who);
    const a = startAttempt(w.db, { personId: me.personId, kind: 'practice', questions: live.questions.map((q) => ({ id: q.id, v: q.version })), now: w.clock.now });
    a.questions.forEach((ref, position) => {
      const q = questionVersion(w.db, ref)!;
      for (const o of q.multi ? q.correct : [q.correct[0]!]) if (!chooseOption(w.deps, me, a.id, position, o).ok) throw new Error('answer');
      if (q.multi && !submitChoices(w.deps, me, a.id, position).ok) throw new Error('submit');
    });
  }
  /** data-req → the cells' known/helpers as the page shows them. */
  const matrixOf = (page: string) =>
    new Map([...page.matchAll(/<tr data-req="([^"]+)">(.*?)<\/tr>/g)].map((m) => [m[1], [...m[2].matchAll(/data-known="(\d+)" data-helpers="(\d+)"/g)].map((c) => [Number(c[1]), Number(c[2])])]));

  it('each cell equals the use case (the chat\'s rule of "known"); the chat\'s summary heads it; a helper who learns moves one cell', async () => {
    const w = await webWorld();
    const target = liveRequirements(w.deps).find((l) => l.req.level === 'provincial')!.req.id;
    learn(w, 'wang', target);
    w.clock.now += 24 * 3600 * 1000;
    learn(w, 'wang', target);
    for (const who of ['zhao', 'sun', 'zhou', 'wu'] as const) {
      const r = coverageByUnit(w.deps, w.actor(who));
      if (!r.ok) throw new Error(r.reason);
      const b = await w.signIn(who);
      const res = await b.get('/web/requirements');
      expect(res.status, who).toBe(200);
      const page = await res.text();
      expect(page, who).toContain('href="/web/requirements"');
      const shown = matrixOf(page);
      expect([...shown.keys()]).toEqual(r.value.requirements.map((q) => q.id));
      r.value.requirements.forEach((q, i) =>
        expect(shown.get(q.id), `${who} ${q.id}`).toEqual([...r.value.units, r.value.total].map((u) => [u.known[i], u.helpers])),
      );
      // the chat's own summary lines are on the page
      const t = createTranslator('zh-CN').forLocale('zh-CN');
      for (const line of viewText(r.value.view, t, 'zh-CN').flatMap((b) => b.split('\n'))) expect(page).toContain(escapeHtml(line));
    }
    const sun = coverageByUnit(w.deps, w.actor('sun'));
    if (!sun.ok) throw new Error(sun.reason);
    const col = sun.value.requirements.findIndex((q) => q.id === target);
    expect(sun.value.total.known[col]).toBe(1);
    expect(sun.value.total.known.reduce((a, b) => a + b, 0)).toBe(1);
  });

  it('a unit head sees only their unit\'s helpers; the trainer the district', async () => {
    const w = await webWorld();
    const sun = coverageByUnit(w.deps, w.actor('sun'));
    const zhao = coverageByUnit(w.deps, w.actor('zhao'));
    if (!sun.ok || !zhao.ok) throw new Error('refused');
    expect(sun.value.units.length).toBe(1);
    expect(zhao.value.total.helpers).toBeGreaterThan(sun.value.total.helpers);
    const page = await (await (await w.signIn('sun')).get('/web/requirements')).text();
    for (const u of zhao.value.units.filter((u) => u.unit !== sun.value.units[0].unit)) expect(page).not.toContain(`data-unit="${u.unit}"`);
  });
});
