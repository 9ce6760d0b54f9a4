/**
 * Getting into the dashboard, before there is a session:
 * - a one-time link `/web/in/<token>` shows a page whose button posts the token (a link preview or a scanner that
 *   fetches the URL does not use it up); the POST uses it once and sets the session cookie;
 * - the Mini App page `/web/app` reads the signed launch data Telegram puts in the URL fragment (`tgWebAppData`,
 *   never sent to a server by the browser) and posts it; the server checks Telegram's signature and age
 *   (src/web/init-data.ts) before any session exists, and answers the session token to the page's script (which
 *   sends it in a header from then on), not as a cookie.
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

/**
 * The Mini App's only script. It hands Telegram's launch data to the server once and keeps the session token it gets
 * in memory only (not in storage, not in a cookie); then every page, link and form of the dashboard is fetched with
 * the token in the `x-bangfu-session` header and shown in place. That works where a cookie is not sent: Telegram's web
 * client shows the Mini App in a cross-site frame. Spreadsheets are fetched the same way and saved from the blob.
 */
const MINI_APP_SCRIPT = `(function(){
var d=new URLSearchParams(location.hash.slice(1)).get('tgWebAppData');var tok='';
function fail(){var e=document.getElementById('fail');if(e)e.hidden=false;}
if(!d){fail();return;}
function show(r){return r.text().then(function(t){var doc=new DOMParser().parseFromString(t,'text/html');
document.title=doc.title;document.documentElement.lang=doc.documentElement.lang;document.body.replaceWith(document.adoptNode(doc.body));window.scrollTo(0,0);});}
function go(url,init){init=init||{};init.headers={'x-bangfu-session':tok};init.credentials='omit';return fetch(url,init);}
function save(url){go(url).then(function(r){if(!r.ok)return show(r);var n=/filename\\*=UTF-8''([^;]+)/.exec(r.headers.get('content-disposition')||'');
return r.blob().then(function(b){var a=document.createElement('a');a.href=URL.createObjectURL(b);a.download=n?decodeURIComponent(n[1]):'workbook.xlsx';document.body.appendChild(a);a.click();a.remove();setTimeout(function(){URL.revokeObjectURL(a.href);},60000);});}).catch(fail);}
document.addEventListener('click',function(e){var a=e.target.closest&&e.target.closest('a');if(!a||!tok)return;
var u=new URL(a.getAttribute('href')||'',location.href);if(u.origin!==location.origin||u.pathname.indexOf('/web')!==0)return;e.preventDefault();
if(/^\\/web\\/export\\/./.test(u.pathname))return save(u.pathname);
go(u.pathname+u.search).then(show).then(function(){var x=u.hash&&document.getElementById(u.hash.slice(1));if(x)x.scrollIntoView();}).catch(fail);});
document.addEventListener('submit',function(e){var f=e.target;if(!tok)return;e.preventDefault();var u=new URL(f.getAttribute('action')||'',location.href);
var p=go(u.pathname,{method:'POST',body:new URLSearchParams(new FormData(f))});if(u.pathname==='/web/out')p=p.then(function(r){tok='';return r;});p.then(show).catch(fail);});
fetch('/web/app/session',{method:'POST',body:new URLSearchParams({initData:d}),credentials:'omit'}).then(function(r){
if(!r.ok)return show(r);return r.json().then(function(j){tok=j.token;return go('/web').then(show);});}).catch(fail);
})();`;
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
    const body = html`<p class="block">${pt.t('web.miniapp_opening')}</p><p class="block err" id="fail" hidden>${pt.t('web.miniapp_failed')}</p><script>${raw(MINI_APP_SCRIPT)}</script>`;
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
    // no cookie: the page's script sends the token in a header (see MINI_APP_SCRIPT)
    return c.json({ token: r.value.token, expiresAt: r.value.expiresAt });
  });
  return app;
}
