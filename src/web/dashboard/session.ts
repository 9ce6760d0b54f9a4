/**
 * Dashboard sessions on the HTTP side: a link's session in a cookie (HttpOnly, SameSite=Strict, Secure when the
 * dashboard is served over https, limited to /web, with an expiry), a Mini App's in a request header; the person
 * behind either re-read on every request, and the CSRF check every POST passes (a per-session token derived from the
 * session, sent back in each form).
 */
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { html } from 'hono/html';
import { timingSafeEqual } from 'node:crypto';
import { dashboardUser, type DashboardUser } from '../../app/web-access.js';
import type { Translate } from '../../core/i18n-keys.js';
import type { Locale } from '../../core/text.js';
import { csrfTokenOf } from '../../db/web-auth-repo.js';
import type { DashboardDeps } from './deps.js';
import { page } from './render.js';

export const SESSION_COOKIE = 'bangfu_session';
/**
 * The Mini App's session travels in this header, set by the Mini App page's script on every request: Telegram's web
 * client shows a Mini App in a cross-site frame, where a SameSite cookie is not sent (and browsers that block
 * third-party cookies send none at all). A page elsewhere cannot set it on a cross-site request without a CORS
 * preflight this server never grants, and does not know the token.
 */
export const SESSION_HEADER = 'x-bangfu-session';

export interface DashboardVars {
  user: DashboardUser;
  session: string;
  csrf: string;
  t: Translate;
  locale: Locale;
}

export type DashEnv = { Variables: DashboardVars };

export function setSessionCookie(c: Context, deps: DashboardDeps, token: string, expiresAt: number): void {
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'Strict',
    secure: deps.secureCookies,
    path: '/web',
    // seconds from now, not a date: a phone whose clock is off would drop (or keep) a dated cookie at the wrong time
    maxAge: Math.max(0, Math.floor((expiresAt - deps.now()) / 1000)),
  });
}

export function clearSessionCookie(c: Context, deps: DashboardDeps): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/web', secure: deps.secureCookies });
}

/** The person's own choice (chat's /lang or the page's switch), else the configured default: Chinese first. */
export const localeOf = (deps: DashboardDeps, stored: string | null | undefined): Locale =>
  stored === 'zh-CN' || stored === 'en' ? stored : deps.config.defaultLocale;

/** Loads the signed-in person (or answers 401/403 with a page that says how to sign in). */
export function requireUser(deps: DashboardDeps): MiddlewareHandler<DashEnv> {
  return async (c, next) => {
    const header = c.req.header(SESSION_HEADER);
    const token = header ?? getCookie(c, SESSION_COOKIE);
    const r = dashboardUser(deps, token, header !== undefined ? 'miniapp' : 'link');
    if (!r.ok) {
      const locale = localeOf(deps, undefined);
      const t = deps.i18n.forLocale(locale);
      if (r.reason === 'signed_out' && token && header === undefined) clearSessionCookie(c, deps);
      const key = r.reason === 'role' ? 'web.signin_failed.role' : 'web.signed_out';
      return c.html(page({ t, locale, title: t('web.signin_title') }, errorBlock(t(key))), r.reason === 'role' ? 403 : 401);
    }
    const locale = localeOf(deps, r.value.locale);
    c.set('user', r.value);
    c.set('session', token!);
    c.set('csrf', csrfTokenOf(deps.db, token!));
    c.set('locale', locale);
    c.set('t', deps.i18n.forLocale(locale));
    await next();
  };
}

/** POSTs must carry the session's CSRF token in the form field `_csrf`. */
export function requireCsrf(): MiddlewareHandler<DashEnv> {
  return async (c, next) => {
    if (c.req.method !== 'POST') return next();
    const form = await c.req.parseBody();
    const given = Buffer.from(typeof form._csrf === 'string' ? form._csrf : '');
    const expected = Buffer.from(c.get('csrf'));
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      const t = c.get('t');
      return c.html(page({ t, locale: c.get('locale'), title: t('web.title') }, errorBlock(t('web.csrf'))), 403);
    }
    await next();
  };
}

export const errorBlock = (message: string) => html`<p class="block err">${message}</p>`;
