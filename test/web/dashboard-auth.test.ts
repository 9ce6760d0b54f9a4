/**
 * Getting into the dashboard over real HTTP: one-time links (single use, expiry, cookie flags), Telegram Mini App
 * data (signature and age checked), sessions that end the moment a person is revoked or loses the role, and CSRF on
 * every write.
 */
import { describe, expect, it } from 'vitest';
import { webLinkFor, WEB_LINK_TTL_MS, WEB_SESSION_TTL_MS } from '../../src/app/web-access.js';
import { flagsOfCard } from '../../src/db/flags-repo.js';
import { revokePerson } from '../../src/db/people-repo.js';
import { personRoles } from '../../src/db/schema.js';
import { signInitData, verifyInitData } from '../../src/web/init-data.js';
import { and, eq } from 'drizzle-orm';
import { ANSWERS } from '../app/supervision-fixture.js';
import { Browser, BOT_TOKEN, webWorld } from './support.js';

const tokenOf = (url: string) => url.split('/web/in/')[1];

describe('one-time sign-in links', () => {
  it('a link shows a sign-in button without being used up; posting it once signs in with a strict, HttpOnly cookie', async () => {
    const w = await webWorld();
    const link = webLinkFor(w.deps, w.actor('wu'));
    if (!link.ok) throw new Error(link.reason);
    expect(link.value.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/web\/in\/[A-Za-z0-9_-]{43}$/);
    const b = w.browser();
    // a link preview or a scanner fetching the URL does not use it
    for (let i = 0; i < 2; i++) {
      const shown = await b.get(new URL(link.value.url).pathname);
      expect(shown.status).toBe(200);
      expect(await shown.text()).toContain('action="/web/in"');
    }
    const res = await b.post('/web/in', { token: tokenOf(link.value.url) });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/web');
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^bangfu_session=[A-Za-z0-9_-]{43};/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    expect(cookie).toContain('Path=/web');
    expect(cookie).not.toContain('Secure');
    // Max-Age, not a date: the browser's clock need not agree with the server's
    expect(cookie).toContain(`Max-Age=${WEB_SESSION_TTL_MS / 1000}`);
    expect(cookie).not.toContain('Expires');
    const home = await b.get('/web');
    expect(home.status).toBe(200);
    expect(await home.text()).toContain('吴主任');
    // used once: a second use (another browser, the same token) is refused, and sets no cookie
    const again = await w.browser().post('/web/in', { token: tokenOf(link.value.url) });
    expect(again.status).toBe(401);
    expect(again.headers.get('set-cookie')).toBeNull();
    expect(await again.text()).toContain('已经用过');
  });

  it('over https the cookie is Secure', async () => {
    const w = await webWorld({ secureCookies: true });
    const link = webLinkFor(w.deps, w.actor('wu'));
    const res = await w.browser().post('/web/in', { token: tokenOf(link.ok ? link.value.url : '') });
    expect(res.headers.get('set-cookie')).toContain('Secure');
  });

  it('expired after its minutes, unknown and malformed tokens refused; only the newest link of a person works', async () => {
    const w = await webWorld();
    const old = webLinkFor(w.deps, w.actor('wu'));
    const late = webLinkFor(w.deps, w.actor('zhou'));
    const newer = webLinkFor(w.deps, w.actor('wu'));
    if (!old.ok || !late.ok || !newer.ok) throw new Error('no link');
    expect((await w.browser().post('/web/in', { token: tokenOf(old.value.url) })).status).toBe(401);
    w.clock.now += WEB_LINK_TTL_MS + 1;
    const expired = await w.browser().post('/web/in', { token: tokenOf(late.value.url) });
    expect(expired.status).toBe(401);
    expect(await expired.text()).toContain('过期');
    for (const token of ['x'.repeat(43), '', '../../etc', 'a'.repeat(500)]) expect((await w.browser().post('/web/in', { token })).status).toBe(401);
  });

  it('helpers get no link; the chat says the dashboard is off when there is no port', async () => {
    const w = await webWorld();
    expect(webLinkFor(w.deps, w.actor('wang'))).toEqual({ ok: false, reason: 'role' });
    expect(webLinkFor(w.deps, w.actor('zhao')).ok).toBe(true);
    w.deps.config.port = undefined;
    expect(webLinkFor(w.deps, w.actor('wu'))).toEqual({ ok: false, reason: 'no_server' });
  });

  it('without a session every page answers 401 and says how to sign in; a forged cookie too', async () => {
    const w = await webWorld();
    for (const path of ['/web', '/web/stats', '/web/flags', '/web/export/households', '/web/quiz']) {
      const res = await w.browser().get(path);
      expect(res.status, path).toBe(401);
      expect(await res.text()).toContain('/web');
    }
    const forged = w.browser();
    forged.cookie = `bangfu_session=${'A'.repeat(43)}`;
    expect((await forged.get('/web')).status).toBe(401);
  });
});

describe('Telegram Mini App data', () => {
  const user = (id: number) => JSON.stringify({ id, first_name: 'x' });

  it('signed by the bot token and recent: a session for that account; forged, altered or old data refused', async () => {
    const w = await webWorld();
    const wu = w.actor('wu');
    const telegramId = 9000 + wu.personId;
    const nowS = Math.floor(w.clock.now / 1000);
    const good = signInitData({ user: user(telegramId), auth_date: String(nowS - 30), query_id: 'AAH' }, BOT_TOKEN);
    const b = w.browser();
    const page = await b.get('/web/app');
    expect(await page.text()).toContain('tgWebAppData');
    const res = await b.post('/web/app/session', { initData: good });
    expect(res.status).toBe(200);
    // no cookie: a cross-site frame (Telegram's web client) would not send it; the page's script sends a header
    expect(res.headers.get('set-cookie')).toBeNull();
    const { token } = (await res.json()) as { token: string };
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const inApp = (path: string, init: RequestInit = {}) => fetch(new URL(path, w.base), { ...init, redirect: 'manual', headers: { ...init.headers, 'x-bangfu-session': token } });
    expect((await inApp('/web/flags')).status).toBe(200);

    const refused = async (initData: string, status = 401) => {
      const r = await w.browser().post('/web/app/session', { initData });
      expect(r.status).toBe(status);
      expect(r.headers.get('set-cookie')).toBeNull();
    };
    await refused(signInitData({ user: user(telegramId), auth_date: String(nowS) }, '999:another-bots-token'));
    await refused(good.replace(encodeURIComponent(`"id":${telegramId}`), encodeURIComponent(`"id":${telegramId + 1}`)));
    await refused(signInitData({ user: user(telegramId), auth_date: String(nowS - 2 * 3600) }, BOT_TOKEN));
    await refused(`${good}&hash=${'0'.repeat(64)}`);
    await refused('');
    // a valid signature for someone who may not use the dashboard
    const wang = w.actor('wang');
    await refused(signInitData({ user: user(9000 + wang.personId), auth_date: String(nowS) }, BOT_TOKEN), 403);
    expect(verifyInitData(good, BOT_TOKEN, w.clock.now)).toMatchObject({ ok: true, telegramId });

    // a session is taken only the way it was given: the Mini App's token as a cookie, or a link's as the header, is not
    const asCookie = w.browser();
    asCookie.cookie = `bangfu_session=${token}`;
    expect((await asCookie.get('/web')).status).toBe(401);
    const linked = await w.signIn('wu');
    const linkToken = linked.cookie.split('=')[1];
    expect((await fetch(new URL('/web', w.base), { headers: { 'x-bangfu-session': linkToken } })).status).toBe(401);
    // writes through the header still need the form's CSRF token
    const flagsPage = await (await inApp('/web')).text();
    const post = (form: Record<string, string>) =>
      inApp('/web/lang', { method: 'POST', body: new URLSearchParams(form), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect((await post({ to: 'en' })).status).toBe(403);
    const switched = await post({ to: 'en', _csrf: Browser.csrf(flagsPage) });
    expect(switched.status).toBe(303);
    expect(await (await inApp('/web')).text()).toContain('Hello');
  });
});

describe('every request re-checks the person', () => {
  it('revoked: refused at the next request; a withdrawn supervisor role: refused too', async () => {
    const w = await webWorld();
    const b = await w.signIn('wu');
    expect((await b.get('/web/stats')).status).toBe(200);
    revokePerson(w.db, w.person('wu'), w.clock.now);
    expect((await b.get('/web/stats')).status).toBe(401);
    const z = await w.signIn('zhou');
    expect((await z.get('/web')).status).toBe(200);
    w.db.delete(personRoles).where(and(eq(personRoles.personId, w.person('zhou')), eq(personRoles.role, 'supervisor'))).run();
    expect((await z.get('/web/flags')).status).toBe(403);
  });

  it('signing out ends the session on the server (the old cookie no longer works)', async () => {
    const w = await webWorld();
    const b = await w.signIn('wu');
    const cookie = b.cookie;
    const home = await (await b.get('/web')).text();
    expect((await b.post('/web/out', { _csrf: Browser.csrf(home) })).status).toBe(200);
    const replay = w.browser();
    replay.cookie = cookie;
    expect((await replay.get('/web')).status).toBe(401);
  });
});

describe('CSRF', () => {
  it('a write without the form token, or with another session\'s, changes nothing; with it, the flag is handled', async () => {
    const w = await webWorld();
    const card = w.card('H0001', 'wang', '2017-11-10', { ...ANSWERS, food_status: '不达标' }, [{ code: 'guarantee_failed_food', level: 'high' }]);
    const flag = flagsOfCard(w.db, card)[0].id;
    const b = await w.signIn('wu');
    const other = await w.signIn('zhou');
    const otherToken = Browser.csrf(await (await other.get('/web')).text());
    expect((await b.post(`/web/flags/${flag}/handle`, { note: '已电话核实' })).status).toBe(403);
    expect((await b.post(`/web/flags/${flag}/handle`, { note: '已电话核实', _csrf: otherToken })).status).toBe(403);
    expect((await b.post('/web/lang', { to: 'en' })).status).toBe(403);
    expect(flagsOfCard(w.db, card)[0].resolvedAt).toBeNull();
    const page = await (await b.get(`/web/flags/${flag}`)).text();
    const ok = await b.post(`/web/flags/${flag}/handle`, { note: '已电话核实', _csrf: Browser.csrf(page) });
    expect(ok.status).toBe(200);
    expect(flagsOfCard(w.db, card)[0]).toMatchObject({ resolution: 'handled', note: '已电话核实' });
  });
});
