/**
 * The dashboard in headless Chromium, the demo district's people acting as they would: a supervisor asks the bot for
 * a link (/web through the fake Telegram) and signs in with it; another opens the Mini App with launch data signed as
 * Telegram signs it (and forged or old data is refused); the pages show what the use cases return; a flag marked
 * handled in the browser is counted so by /stats in the chat; a field sent back reaches the helper's chat; ids from
 * another town are refused; every page fits a 360-px phone and a 1280-px desktop. Screenshots: test/browser/screenshots/.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { coverageByUnit } from '../../src/app/quiz/coverage.js';
import { openFlags } from '../../src/app/flags.js';
import { householdMap } from '../../src/app/household-map.js';
import { reviewQueue } from '../../src/app/review-queue.js';
import { statsPage } from '../../src/app/stats/page.js';
import { supervisedHousehold } from '../../src/app/stats/household.js';
import { catalogOf } from '../../src/app/quiz/catalog.js';
import { pushResults } from '../../src/app/quiz/push.js';
import { createPush } from '../../src/db/quiz-push-repo.js';
import { viewText } from '../../src/app/views.js';
import type { Actor } from '../../src/core/people/roles.js';
import { createDraft, submitDraft } from '../../src/db/cards-repo.js';
import { flagsOfCard } from '../../src/db/flags-repo.js';
import { actorByTelegramId, findPeople } from '../../src/db/people-repo.js';
import { cardFlags, cards, households } from '../../src/db/schema.js';
import { eq } from 'drizzle-orm';
import { ANSWERS } from '../app/supervision-fixture.js';
import { FIRST_CARD, fillCard } from '../support/card-driver.js';
import type { TestUser } from '../support/harness.js';
import { BOT_TOKEN, browserWorld, launchChromium, launchFragment, overflow, screenshot, telegramInitData, type BrowserWorld } from './support.js';

const FAILED_FOOD = { ...FIRST_CARD, guarantee_problems: ['press:不愁吃', 'press:选好了'], food_status: 'press:不达标', food_note: 'text:口粮只够吃到春节' };
const IDS = { wang: 101, zhang: 103, sun: 201, zhou: 202, wu: 203, zhao: 204 } as const;
const WIDTHS = [1280, 360] as const;

let w: BrowserWorld;
let browser: Browser;
const u: Record<keyof typeof IDS, TestUser> = {} as never;
/** H0001's card (town T01, filled in the chat with 不愁吃 failed) and H0005's (town T02), each with one open flag */
let card1 = 0;
let card5 = 0;
let flag1 = 0;
let flag5 = 0;
const t = () => w.h.deps.i18n.forLocale('zh-CN');
const actor = (who: keyof typeof IDS): Actor => actorByTelegramId(w.h.db, IDS[who])!;

beforeAll(async () => {
  browser = await launchChromium();
  w = await browserWorld();
  const names = { wang: '王小明', zhang: '张强', sun: '孙局长', zhou: '周镇长', wu: '吴主任', zhao: '赵培训' } as const;
  for (const k of Object.keys(IDS) as (keyof typeof IDS)[]) u[k] = await w.join(names[k], IDS[k]);
  // the helper visits H0001 and fills the card in the chat, one question at a time
  const helperId = findPeople(w.h.db, '王小明')[0].id;
  await u.wang.send('/visit');
  await u.wang.press('H0001');
  await u.wang.press('开始填写');
  await fillCard(w.h, u.wang, helperId, 'H0001', FAILED_FOOD);
  await u.wang.press('提交这张卡');
  card1 = w.h.db.select().from(cards).all().at(-1)!.id;
  flag1 = flagsOfCard(w.h.db, card1)[0].id;
  // another town's household with a flag, stored straight through the repository
  const zhangId = findPeople(w.h.db, '张强')[0].id;
  const hh = w.h.db.select().from(households).where(eq(households.code, 'H0005')).get()!.id;
  const answers = { ...ANSWERS, visit_date: '2017-11-01', household_code: 'H0005', head_name: '杨春花' };
  const version = w.h.deps.content.card.version;
  const state = { formId: 'dynamic_card', formVersion: version, cursor: null, answers, previous: {}, origins: {}, closed: [], confirmedWarnings: [], startedAtMs: 0 };
  const draft = createDraft(w.h.db, { householdId: hh, helperId: zhangId, formId: 'dynamic_card', formVersion: version, state }, w.h.clock.now);
  const r = submitDraft(w.h.db, draft, { visitDate: '2017-11-01', visitMode: '入户走访', inPerson: true, answers, changes: [] }, [{ code: 'income_drop', level: 'medium' }], zhangId, w.h.clock.now);
  if (!r.ok) throw new Error('card not stored');
  card5 = r.cardId;
  flag5 = flagsOfCard(w.h.db, card5)[0].id;
  // roster positions for the map (the demo roster has none), two villages per town as the demo has them
  const positions: Record<string, [number, number]> = { H0001: [34.27, 108.95], H0002: [34.271, 108.953], H0003: [34.285, 108.97], H0004: [34.287, 108.972], H0005: [34.31, 109.01], H0006: [34.33, 109.03] };
  for (const [code, [lat, lon]] of Object.entries(positions)) w.h.db.update(households).set({ lat, lon }).where(eq(households.code, code)).run();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await w?.close();
});

/** The one-time link the bot sends this person for /web. */
async function linkFromBot(who: keyof typeof IDS): Promise<string> {
  await u[who].send('/web');
  const m = /http:\/\/127\.0\.0\.1:\d+\/web\/in\/[A-Za-z0-9_-]{43}/.exec(u[who].lastText());
  if (!m) throw new Error(`no link in: ${u[who].lastText()}`);
  return m[0];
}

/** A browser window at this width, signed in with the link from the bot (the sign-in page's button pressed). */
async function signedIn(who: keyof typeof IDS, width: number, shot?: string): Promise<{ context: BrowserContext; page: Page; link: string }> {
  const context = await browser.newContext({ viewport: { width, height: width < 500 ? 740 : 800 } });
  const page = await context.newPage();
  const link = await linkFromBot(who);
  await page.goto(link);
  if (shot) await screenshot(page, shot);
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL(/\/web$/);
  return { context, page, link };
}

/** No sideways scrolling of the page itself (a wide table scrolls inside its own box). */
async function fits(page: Page) {
  const o = await overflow(page);
  expect(o.scroll, `${page.url()} wider than the ${o.view}-px window`).toBeLessThanOrEqual(o.view);
}

async function visit(page: Page, path: string, shot: string) {
  const res = await page.goto(new URL(path, w.base).href);
  expect(res?.status(), path).toBe(200);
  await fits(page);
  await screenshot(page, shot);
}

const cellTexts = (page: Page, rowSelector: string) =>
  page.$$eval(rowSelector, (rows) => rows.map((r) => ({ key: (r as HTMLElement).dataset.key ?? (r as HTMLElement).dataset.card ?? '', cells: [...r.querySelectorAll('td')].map((td) => td.textContent!.trim()) })));

describe('signing in', () => {
  it('with the link from /web in the chat: a sign-in page, one press, the home page; the cookie is HttpOnly and SameSite=Strict', async () => {
    const { context, page, link } = await signedIn('wu', 1280, 'signin-link-1280');
    expect(await page.textContent('main')).toContain('您好，吴主任');
    const [cookie] = await context.cookies();
    expect(cookie).toMatchObject({ name: 'bangfu_session', httpOnly: true, sameSite: 'Strict', path: '/web' });
    await screenshot(page, 'home-1280');
    // the link is used up: another browser pressing its button is refused and gets no cookie
    const second = await browser.newContext();
    const p2 = await second.newPage();
    await p2.goto(link);
    await p2.getByRole('button', { name: '登录' }).click();
    await p2.getByText(t()('web.signin_failed.used')).waitFor();
    expect(await second.cookies()).toEqual([]);
    await screenshot(p2, 'signin-used-1280');
    await second.close();
    await context.close();
  });

  it('as a Mini App: launch data signed as Telegram signs it opens the dashboard without any cookie; forged or old data is refused', async () => {
    const nowS = Math.floor(w.h.clock.now / 1000);
    const user = JSON.stringify({ id: IDS.zhou, first_name: '周', language_code: 'zh-hans' });
    const good = telegramInitData({ query_id: 'AAHdF6IQAAAAAN0XohDhrOrc', user, auth_date: String(nowS - 20), signature: 'x'.repeat(86) }, BOT_TOKEN);
    const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
    const page = await context.newPage();
    await page.goto(`${w.base}/web/app#${launchFragment(good)}`);
    await page.getByText('您好，周镇长').waitFor();
    await fits(page);
    await screenshot(page, 'miniapp-home-360');
    // every later page comes through the script with the header: follow the nav to the flags
    await page.getByRole('link', { name: '风险提示' }).first().click();
    await page.getByText('未处理的风险提示').waitFor();
    expect(await page.textContent('main')).toContain('H0001');
    expect(await page.textContent('main')).not.toContain('H0005');
    expect(await context.cookies()).toEqual([]);
    await fits(page);
    await screenshot(page, 'miniapp-flags-360');

    const refused = async (initData: string, shot: string) => {
      const p = await context.newPage();
      await p.goto(`${w.base}/web/app#${launchFragment(initData)}`);
      await p.getByText(t()('web.miniapp_failed')).waitFor();
      expect(await p.textContent('body')).not.toContain('周镇长');
      await screenshot(p, shot);
      await p.close();
    };
    await refused(telegramInitData({ user, auth_date: String(nowS - 20) }, '999:another-bots-token'), 'miniapp-forged-360');
    await refused(good.replace(encodeURIComponent(`"id":${IDS.zhou}`), encodeURIComponent(`"id":${IDS.wu}`)), 'miniapp-altered-360');
    await refused(telegramInitData({ user, auth_date: String(nowS - 2 * 3600) }, BOT_TOKEN), 'miniapp-expired-360');
    expect(await context.cookies()).toEqual([]);
    await context.close();
  });

  it('as a Mini App inside Telegram\'s web client (a cross-site frame): pages, links and a write work without cookies; another site cannot frame it', async () => {
    const nowS = Math.floor(w.h.clock.now / 1000);
    const initData = telegramInitData({ user: JSON.stringify({ id: IDS.wu, first_name: '吴' }), auth_date: String(nowS) }, BOT_TOKEN);
    // served over https, the bot offers the Mini App: its button's address is what Telegram opens, with the fragment
    const publicUrl = w.h.config.publicUrl;
    Object.assign(w.h.config, { publicUrl: 'https://bangfu.example' });
    await u.wu.send('/web');
    Object.assign(w.h.config, { publicUrl });
    const button = (u.wu.last().replyMarkup as { inline_keyboard: { web_app?: { url: string } }[][] }).inline_keyboard.flat().find((b) => b.web_app)!;
    expect(button.web_app!.url).toBe('https://bangfu.example/web/app');
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    // two https sites in one browser: Telegram's web client, and the dashboard (proxied to the local server)
    const frameHtml = () => `<!doctype html><title>Telegram Web</title><body style="margin:0"><iframe id="app" src="${button.web_app!.url}#${launchFragment(initData)}" style="width:100%;height:780px;border:0"></iframe></body>`;
    await context.route('https://web.telegram.org/**', (r) => r.fulfill({ contentType: 'text/html', body: frameHtml() }));
    await context.route('https://elsewhere.example/**', (r) => r.fulfill({ contentType: 'text/html', body: frameHtml() }));
    await context.route('https://bangfu.example/**', async (r) => {
      const url = new URL(r.request().url());
      // the proxy follows redirects itself (Chromium does not route a request a routed answer redirected to)
      const res = await r.fetch({ url: `${w.base}${url.pathname}${url.search}` });
      await r.fulfill({ response: res });
    });
    const page = await context.newPage();
    await page.goto('https://web.telegram.org/k/');
    const app = page.frameLocator('#app');
    await app.getByText('您好，吴主任').waitFor();
    await app.getByRole('link', { name: '应知应会' }).first().click();
    await app.locator('#matrix').waitFor();
    // a write from inside the frame: the language switch (a POST with the form's CSRF token, then a redirect)
    await app.getByRole('button', { name: 'English' }).click();
    await app.getByText('Requirements').first().waitFor();
    expect(await app.locator('html').getAttribute('lang')).toBe('en');
    expect(await context.cookies()).toEqual([]);
    await screenshot(page, 'telegram-web-frame-1280');
    // a spreadsheet from inside the frame: fetched with the header, saved from the blob
    await app.getByRole('link', { name: 'Spreadsheets' }).first().click();
    const download = page.waitForEvent('download');
    await app.locator('a[href="/web/export/households"]').click();
    const file = await (await download).path();
    expect(readFileSync(file).subarray(0, 2).toString()).toBe('PK');

    const other = await context.newPage();
    const refusedFrame = other.waitForEvent('console', (m) => m.text().includes('frame-ancestors'));
    await other.goto('https://elsewhere.example/');
    expect((await refusedFrame).text()).toContain('https://web.telegram.org');
    await context.close();
  });
});

describe('each page shows what its use case returns, at 1280 and 360 px', () => {
  for (const width of WIDTHS) {
    it(`the district supervisor's pages at ${width} px`, async () => {
      const { context, page } = await signedIn('wu', width);
      const me = actor('wu');

      await visit(page, '/web/stats', `stats-${width}`);
      const stats = statsPage(w.h.deps, me, undefined);
      if (!stats.ok || stats.value.kind !== 'figures') throw new Error('no figures');
      const shown = await cellTexts(page, '#groups tbody tr');
      expect(shown.map((r) => r.key)).toEqual(stats.value.report.groups.map((g) => String(g.key)));
      stats.value.report.groups.forEach((g, i) =>
        expect(shown[i].cells.slice(1).map(Number), g.label).toEqual([g.households, g.inPersonVisits, g.pace.on_pace, g.pace.behind, g.pace.overdue, g.targetMet, g.openFlags.total, g.guarantee.failedItems]),
      );
      // the totals are the chat's own lines
      const main = await page.textContent('main');
      for (const line of viewText(stats.value.view, t(), 'zh-CN')[1].split('\n')) expect(main).toContain(line);

      // the last 30 days, by village: the same
      await page.getByRole('link', { name: t()('supervise.period_btn.p30') }).click();
      await page.getByRole('link', { name: t()('stats.group_by.village') }).click();
      const v = new URL(page.url()).searchParams.get('v')!;
      const villages = statsPage(w.h.deps, me, v.split('.'));
      if (!villages.ok || villages.value.kind !== 'figures') throw new Error('no figures');
      const shownV = await cellTexts(page, '#groups tbody tr');
      expect(shownV.map((r) => [r.cells[0], Number(r.cells[1]), Number(r.cells[2])])).toEqual(villages.value.report.groups.map((g) => [g.label, g.households, g.inPersonVisits]));
      await screenshot(page, `stats-villages-30d-${width}`);

      await visit(page, '/web/flags', `flags-${width}`);
      const flags = openFlags(w.h.deps, me, 0);
      if (!flags.ok) throw new Error(flags.reason);
      const flagsText = (await page.textContent('main'))!;
      for (const block of viewText(flags.value.view, t(), 'zh-CN')) for (const line of block.split('\n')) expect(flagsText).toContain(line);

      await visit(page, `/web/cards/${card1}`, `card-${width}`);
      expect(await page.textContent('main')).toContain('口粮只够吃到春节');

      await visit(page, '/web/review', `review-${width}`);
      const queue = reviewQueue(w.h.deps, me);
      if (!queue.ok) throw new Error(queue.reason);
      const rows = await cellTexts(page, '#queue tbody tr');
      expect(rows.map((r) => [Number(r.key), r.cells[0], Number(r.cells[5]), Number(r.cells[6])])).toEqual(queue.value.map((q) => [q.id, q.householdCode, q.openFlags, q.openReviews]));

      await visit(page, '/web/map', `map-${width}`);
      const map = householdMap(w.h.deps, me);
      if (!map.ok) throw new Error(map.reason);
      const dots = await page.$$eval('circle.hh', (cs) => cs.map((c) => [c.querySelector('title')!.textContent, c.getAttribute('data-pace')]));
      expect(dots).toEqual(map.value.points.map((p) => [p.code, p.pace]));
      expect(dots.length).toBe(6);
      const ringed = await page.$$eval('circle.hh[stroke]', (cs) => cs.map((c) => c.querySelector('title')!.textContent));
      expect(ringed).toEqual(map.value.points.filter((p) => p.openFlags).map((p) => p.code));

      await visit(page, '/web/requirements', `requirements-${width}`);
      const cov = coverageByUnit(w.h.deps, me);
      if (!cov.ok) throw new Error(cov.reason);
      const matrix = await page.$$eval('#matrix tbody tr', (trs) => trs.map((tr) => [(tr as HTMLElement).dataset.req, ...[...tr.querySelectorAll('td[data-known]')].map((td) => td.textContent)]));
      expect(matrix).toEqual(cov.value.requirements.map((q, i) => [q.id, ...[...cov.value.units, cov.value.total].map((x) => `${x.known[i]}/${x.helpers}`)]));

      await visit(page, '/web/export', `export-${width}`);
      await context.close();
    });
  }
});

describe('a household and a trainer\'s pages', () => {
  const linesOf = (v: Parameters<typeof viewText>[0]) => viewText(v, t(), 'zh-CN').flatMap((b) => b.split('\n'));

  it('a household opened from the helper\'s table shows the chat\'s lines for it', async () => {
    const { context, page } = await signedIn('wu', 360);
    await page.goto(`${w.base}/web/stats?v=y.h.d.0`);
    await page.getByRole('link', { name: '王小明' }).first().click();
    await page.getByRole('link', { name: 'H0001' }).click();
    const h1 = w.h.db.select().from(households).where(eq(households.code, 'H0001')).get()!.id;
    expect(new URL(page.url()).pathname).toBe(`/web/households/${h1}`);
    const view = supervisedHousehold(w.h.deps, actor('wu'), h1);
    if (!view.ok) throw new Error(view.reason);
    const main = (await page.textContent('main'))!;
    for (const line of linesOf(view.value)) expect(main).toContain(line);
    await fits(page);
    await screenshot(page, 'household-360');
    await context.close();
  });

  it('the trainer: quiz results of their push and the district\'s requirements matrix, as the use cases say; no supervision page', async () => {
    const trainer = findPeople(w.h.db, '赵培训')[0].id;
    const questions = catalogOf(w.h.deps).questions.slice(0, 2).map((q) => ({ id: q.id, v: q.version }));
    const helpers = ['王小明', '李红'].map((n) => findPeople(w.h.db, n)[0].id);
    const push = createPush(w.h.db, { trainerId: trainer, questions, selection: { by: 'all' }, audience: { kind: 'all' }, deadline: w.h.clock.now + 7 * 86400_000, personIds: helpers, now: w.h.clock.now });
    const { context, page } = await signedIn('zhao', 360);
    await visit(page, '/web/quiz', 'quiz-360');
    await page.locator(`a[href="/web/quiz/${push}"]`).click();
    const results = pushResults(w.h.deps, actor('zhao'), push);
    if (!results.ok) throw new Error(results.reason);
    const main = (await page.textContent('main'))!;
    for (const line of linesOf(results.value)) expect(main).toContain(line);
    await screenshot(page, 'quiz-results-360');
    await visit(page, '/web/requirements', 'requirements-trainer-360');
    const cov = coverageByUnit(w.h.deps, actor('zhao'));
    if (!cov.ok) throw new Error(cov.reason);
    expect(cov.value.total.helpers).toBe(3);
    const matrix = await page.$$eval('#matrix tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td[data-known]')].map((td) => td.textContent)));
    expect(matrix).toEqual(cov.value.requirements.map((_, i) => [...cov.value.units, cov.value.total].map((x) => `${x.known[i]}/${x.helpers}`)));
    for (const path of ['/web/stats', '/web/flags', '/web/review']) expect((await page.goto(`${w.base}${path}`))?.status(), path).toBe(403);
    await context.close();
  });
});

describe('acting in the browser, seen in the chat', () => {
  const flagsLine = (texts: string[]) => {
    const m = texts.map((x) => /🚩 未处理风险提示 (\d+) 条/.exec(x)).find(Boolean);
    if (!m) throw new Error(`no flags line in /stats: ${texts.join(' | ')}`);
    return Number(m[1]);
  };

  it('a flag marked handled with a note in the browser: /stats in the chat counts one fewer open flag', async () => {
    u.wu.takeTexts();
    await u.wu.send('/stats');
    const before = flagsLine(u.wu.takeTexts());
    const { context, page } = await signedIn('wu', 360);
    await page.goto(`${w.base}/web/flags/${flag1}`);
    await page.fill('#note', '已电话核实，口粮已补足');
    await fits(page);
    await screenshot(page, 'flag-handle-360');
    await page.getByRole('button', { name: t()('web.btn_handled') }).click();
    await page.waitForLoadState();
    expect(await page.locator('#handle').count()).toBe(0);
    expect(w.h.db.select().from(cardFlags).where(eq(cardFlags.id, flag1)).get()).toMatchObject({ resolution: 'handled', note: '已电话核实，口粮已补足' });
    await screenshot(page, 'flag-handled-360');
    await u.wu.send('/stats');
    expect(flagsLine(u.wu.takeTexts())).toBe(before - 1);
    await context.close();
  });

  it('a field sent back from the review page reaches the helper in the chat, with the comment', async () => {
    const { context, page } = await signedIn('wu', 1280);
    const inboxBefore = u.wang.inbox().length;
    await page.goto(`${w.base}/web/review`);
    await page.locator(`#queue tr[data-card="${card1}"] a[href="/web/review/${card1}"]`).click();
    await page.locator('nav.actions a.btn').first().click();
    await page.locator('nav.actions a.btn', { hasText: '入户时长' }).click();
    await page.fill('#comment', '时长请按实际填写');
    await screenshot(page, 'review-send-back-1280');
    await page.getByRole('button', { name: t()('web.btn_send_back') }).click();
    await page.waitForLoadState();
    expect(await page.textContent('main')).toContain('已退回给 王小明');
    const told = u.wang.inbox().slice(inboxBefore).map((m) => m.text ?? '');
    expect(told.join('\n')).toContain('时长请按实际填写');
    expect(told.join('\n')).toContain('吴主任');
    await context.close();
  });
});

describe('scope', () => {
  it('a town head is refused another town\'s household, flag and card by id (404); a unit head too; their own opens', async () => {
    const h5 = w.h.db.select().from(households).where(eq(households.code, 'H0005')).get()!.id;
    const h1 = w.h.db.select().from(households).where(eq(households.code, 'H0001')).get()!.id;
    for (const who of ['zhou', 'sun'] as const) {
      const { context, page } = await signedIn(who, 360);
      for (const path of [`/web/households/${h5}`, `/web/flags/${flag5}`, `/web/cards/${card5}`, `/web/review/${card5}`]) {
        const res = await page.goto(`${w.base}${path}`);
        expect(res?.status(), `${who} ${path}`).toBe(404);
        expect(await page.textContent('main')).not.toContain('杨春花');
      }
      await fits(page);
      await screenshot(page, `refused-${who}-360`);
      expect((await page.goto(`${w.base}/web/households/${h1}`))?.status()).toBe(200);
      await context.close();
    }
  });
});

describe('without Chromium', () => {
  it('the tests fail with a message that says what to install (they never skip)', async () => {
    await expect(launchChromium('/nonexistent/chromium')).rejects.toThrow(/apt-get install chromium/);
  });
});
