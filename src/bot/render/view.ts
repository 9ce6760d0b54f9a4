/** Chat views as Telegram messages: pieces translated, actions as inline buttons, long views split below the limit. */
import { InlineKeyboard, Keyboard } from 'grammy';
import type { ChatView, Piece } from '../../app/views.js';
import { pickText, type Locale } from '../../core/text.js';
import type { Translate } from '../../i18n.js';
import { actionData } from '../actions.js';
import { splitMessage } from './split.js';

/** One piece as text in a locale. */
export function renderPiece(p: Piece, t: Translate, locale: Locale): string {
  if ('raw' in p) return p.raw;
  if ('text' in p) return pickText(p.text, locale);
  if ('join' in p) return p.join.map((x) => renderPiece(x, t, locale)).join(p.sep ?? '');
  if (!p.params) return t(p.key);
  const params: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(p.params)) params[k] = typeof v === 'object' ? renderPiece(v, t, locale) : v;
  return t(p.key, params);
}

export interface RenderedMessage {
  text: string;
  keyboard?: InlineKeyboard | Keyboard;
}

/** Inline buttons of a view (undefined when it has none). */
export function inlineKeyboard(view: ChatView, t: Translate, locale: Locale): InlineKeyboard | undefined {
  if (!view.actions.length) return undefined;
  const kb = new InlineKeyboard();
  for (const row of view.actions) {
    for (const a of row) kb.text(renderPiece(a.label, t, locale), actionData(a));
    kb.row();
  }
  return kb;
}

/**
 * A view as one or more messages (split at block boundaries below Telegram's 4096 characters); the buttons go with
 * the last. A location request becomes Telegram's reply keyboard ("share my location") with the view's other actions
 * as reply buttons beside it, since a message carries one keyboard.
 */
export function renderView(view: ChatView, t: Translate, locale: Locale): RenderedMessage[] {
  const text = splitMessage(view.blocks.map((b) => b.map((p) => renderPiece(p, t, locale)).join('\n')));
  const messages: RenderedMessage[] = (text.length ? text : ['…']).map((x) => ({ text: x }));
  const last = messages[messages.length - 1];
  if (view.askLocation) {
    const rk = new Keyboard().requestLocation(renderPiece(view.askLocation.label, t, locale)).row();
    for (const a of view.askLocation.beside) rk.text(renderPiece(a.label, t, locale));
    last.keyboard = rk.resized().oneTime();
  } else {
    last.keyboard = inlineKeyboard(view, t, locale);
  }
  return messages;
}
