/**
 * Chat views as HTML: the web dashboard's renderer (src/bot/render/view.ts is Telegram's). Pieces are translated as
 * in chat; actions become links with the dashboard's own encoding (`hrefOf`), and those the web has no page for
 * are left out. Everything interpolated is escaped by hono/html.
 */
import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { Action, ChatView, Piece } from '../../app/views.js';
import { pieceText } from '../../app/views.js';
import type { Translate } from '../../core/i18n-keys.js';
import type { Locale } from '../../core/text.js';

export type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

/** The dashboard's address for an action; undefined when the web offers no page for it. */
export function hrefOf(a: Action): string | undefined {
  const [x, y, z] = a.args.map((v) => encodeURIComponent(String(v)));
  switch (a.op) {
    case 'stats:view':
      return `/web/stats?v=${a.args.map((v) => encodeURIComponent(String(v))).join('.')}`;
    case 'stats:household':
      return `/web/households/${x}`;
    case 'flags:page':
      return `/web/flags?page=${x}`;
    case 'flags:open':
      return `/web/flags/${x}`;
    case 'flags:handle':
      return `/web/flags/${x}#handle`;
    case 'flags:card':
      return `/web/cards/${x}`;
    case 'review:card':
      return `/web/review/${x}`;
    case 'review:section':
      return `/web/review/${x}?rev=${y}&section=${z}`;
    case 'review:field':
      return `/web/review/${x}?rev=${y}&item=${z}`;
    case 'push:results':
      return `/web/quiz/${x}`;
    case 'export:kind':
      return `/web/export/${x}`;
    default:
      return undefined;
  }
}

export interface PageText {
  t: Translate;
  locale: Locale;
}

export const text = (p: Piece, { t, locale }: PageText): string => pieceText(p, t, locale);

/** A view's blocks as paragraphs (lines kept) and its actions as a list of links. */
export function viewHtml(view: ChatView, pt: PageText, opts: { blocks?: number[]; actions?: boolean } = {}): Html {
  const blocks = view.blocks.filter((_, i) => !opts.blocks || opts.blocks.includes(i));
  const links = (opts.actions === false ? [] : view.actions.flat()).flatMap((a) => {
    const href = hrefOf(a);
    return href ? [html`<a class="btn" href="${href}">${text(a.label, pt)}</a>`] : [];
  });
  return html`${blocks.map((b) => html`<p class="block">${b.map((p, i) => html`${i ? raw('<br>') : ''}${text(p, pt)}`)}</p>`)}${
    links.length ? html`<nav class="actions">${links}</nav>` : ''
  }`;
}

const CSS = `
*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,-apple-system,"Noto Sans CJK SC","Microsoft YaHei",sans-serif;color:#1b1f23;background:#f6f7f9}
header{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;padding:.6rem 1rem;background:#1d4e89;color:#fff}
header a,header button{color:#fff;background:none;border:0;font:inherit;cursor:pointer;text-decoration:none;padding:.2rem .4rem}
header .title{font-weight:600;margin-right:auto}
main{max-width:1100px;margin:0 auto;padding:1rem}
.block{background:#fff;border-radius:6px;padding:.8rem 1rem;margin:.6rem 0;white-space:pre-wrap;overflow-wrap:anywhere}
.actions{display:flex;flex-wrap:wrap;gap:.4rem;margin:.6rem 0}
.btn,button.btn{display:inline-block;padding:.45rem .7rem;border-radius:5px;background:#e8eef6;color:#1d4e89;text-decoration:none;border:1px solid #c9d6e6;font:inherit;cursor:pointer}
.btn.on{background:#1d4e89;color:#fff}
.scroll{overflow-x:auto;background:#fff;border-radius:6px}
table{border-collapse:collapse;width:100%;font-size:.95rem}th,td{padding:.45rem .6rem;border-bottom:1px solid #e3e6ea;text-align:right;white-space:nowrap}
th:first-child,td:first-child{text-align:left;white-space:normal;min-width:5.5em}th a{color:inherit}
form.card{background:#fff;border-radius:6px;padding:.8rem 1rem;margin:.6rem 0}
textarea{width:100%;min-height:5rem;font:inherit;padding:.4rem}label{display:block;margin:.3rem 0}
.err{background:#fdecea;color:#8a1c13}
td.all{background:#e6f4ea}td.none{background:#fdecea}small{color:#555}
@media (max-width:480px){main{padding:.5rem}th,td{padding:.35rem .4rem}}
`;

export interface Layout extends PageText {
  title: string;
  /** the session's CSRF token (forms in the header: language, sign out); absent on pages before sign-in */
  csrf?: string;
  nav?: { href: string; label: string }[];
  /** where the language switch returns to */
  back?: string;
}

export function page(l: Layout, body: Html): Html {
  const lang = l.locale === 'en' ? 'en' : 'zh-CN';
  const other = l.locale === 'en' ? 'zh-CN' : 'en';
  return html`<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="referrer" content="no-referrer"><title>${l.title}</title><style>${raw(CSS)}</style></head>
<body><header><span class="title">${l.t('web.title')}</span>${(l.nav ?? []).map((n) => html`<a href="${n.href}">${n.label}</a>`)}${
    l.csrf
      ? html`<form method="post" action="/web/lang"><input type="hidden" name="_csrf" value="${l.csrf}"><input type="hidden" name="to" value="${other}"><input type="hidden" name="back" value="${l.back ?? '/web'}"><button>${l.t('web.lang_other')}</button></form><form method="post" action="/web/out"><input type="hidden" name="_csrf" value="${l.csrf}"><button>${l.t('web.nav.signout')}</button></form>`
      : ''
  }</header>
<main><h1 style="font-size:1.2rem">${l.title}</h1>${body}</main></body></html>`;
}
