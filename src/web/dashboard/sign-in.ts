/**
 * Getting into the dashboard, before there is a session:
 * - a one-time link `/web/in/<token>` shows a page whose button posts the token (a link preview or a scanner that
 *   fetches the URL does not use it up); the POST uses it once and sets the session cookie;
 * - the Mini App page `/web/app` reads the signed launch data Telegram puts in the URL fragment (`tgWebAppData`,
 *   never sent to a server by the browser) and posts it; the server checks Telegram's signature and age
 *   (src/web/init-data.ts) before any session exists.
 * Tokens never reach a log: only the outcome is logged.
 */
import { createHash } from 'node:crypto';
import { Hono } from 'hono';
import { html, raw } from 'hono/html';
import { signInWithLink, signInWithTelegram } from '../../app/web-access.js';
import type { DashboardDeps } from './deps.js';
import { verifyInitData } from '../init-data.js';
import { page } from './render.js';
import { errorBlock, localeOf, setSessionCookie } from './session.js';

/** The Mini App's only script: hand Telegram's launch data to the server, then open the dashboard. */
const MINI_APP_SCRIPT = `(function(){var h=new URLSearchParams(location.hash.slice(1));var d=h.get('tgWebAppData');var f=document.getElementById('f');
if(!d){document.getElementById('fail').hidden=false;return;}
f.elements.initData.value=d;f.submit();})();`;
/** The CSP hash that allows exactly that script. */
export const MINI_APP_SCRIPT_HASH = `'sha256-${createHash('sha256').update(MINI_APP_SCRIPT).digest('base64')}'`;

const FAILED = {
  unknown: 'web.signin_failed.unknown',
  used: 'web.signin_failed.used',
  expired: 'web.signin_failed.expired',
  role: 'web.signin_failed.role',
} as const;

export function signInRoutes(deps: DashboardDeps): Hono {
  const app = new Hono();
  const pageText = (_acceptLanguage?: string) => {
    const locale = localeOf(deps, undefined);
    return { locale, t: deps.i18n.forLocale(locale) };
  };

  app.get('/in/:token', (c) => {
    const pt = pageText(c.req.header('accept-language'));
    const token = c.req.param('token');
    const body = html`<form class="card" method="post" action="/web/in"><p>${pt.t('web.signin_note')}</p><input type="hidden" name="token" value="${token}"><button class="btn">${pt.t('web.signin_button')}</button></form>`;
    return c.html(page({ ...pt, title: pt.t('web.signin_title') }, body));
  });

  app.post('/in', async (c) => {
    const form = await c.req.parseBody();
    const token = typeof form.token === 'string' ? form.token : '';
    const r = signInWithLink(deps, token);
    if (!r.ok) {
      deps.log.info({ reason: r.reason }, 'web sign-in link refused');
      const pt = pageText(c.req.header('accept-language'));
      return c.html(page({ ...pt, title: pt.t('web.signin_title') }, errorBlock(pt.t(FAILED[r.reason]))), r.reason === 'role' ? 403 : 401);
    }
    deps.log.info({ personId: r.value.actor.personId, via: 'link' }, 'web signed in');
    setSessionCookie(c, deps, r.value.token, r.value.expiresAt);
    return c.redirect('/web', 303);
  });

  app.get('/app', (c) => {
    const pt = pageText(c.req.header('accept-language'));
    const body = html`<p class="block">${pt.t('web.miniapp_opening')}</p><p class="block err" id="fail" hidden>${pt.t('web.miniapp_failed')}</p><form id="f" method="post" action="/web/app/session"><input type="hidden" name="initData"></form><script>${raw(MINI_APP_SCRIPT)}</script>`;
    return c.html(page({ ...pt, title: pt.t('web.signin_title') }, body));
  });

  app.post('/app/session', async (c) => {
    const form = await c.req.parseBody();
    const initData = typeof form.initData === 'string' ? form.initData : '';
    const pt = pageText(c.req.header('accept-language'));
    const checked = deps.botToken ? verifyInitData(initData, deps.botToken, deps.now()) : ({ ok: false, reason: 'bad_signature' } as const);
    if (!checked.ok) {
      deps.log.info({ reason: checked.reason }, 'web mini app data refused');
      return c.html(page({ ...pt, title: pt.t('web.signin_title') }, errorBlock(pt.t('web.miniapp_failed'))), 401);
    }
    const r = signInWithTelegram(deps, checked.telegramId);
    if (!r.ok) {
      deps.log.info({ telegramId: checked.telegramId, reason: r.reason }, 'web mini app sign-in refused');
      return c.html(page({ ...pt, title: pt.t('web.signin_title') }, errorBlock(pt.t('web.signin_failed.role'))), 403);
    }
    deps.log.info({ personId: r.value.actor.personId, via: 'miniapp' }, 'web signed in');
    setSessionCookie(c, deps, r.value.token, r.value.expiresAt);
    return c.redirect('/web', 303);
  });
  return app;
}
