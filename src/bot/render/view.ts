/** Chat views as Telegram messages: pieces translated, actions as inline buttons, long views split below the limit. */
import { InlineKeyboard, Keyboard } from 'grammy';
import { pieceText, viewText, type ChatView } from '../../app/views.js';
import type { Locale } from '../../core/text.js';
import type { Translate } from '../../i18n.js';
import { actionData } from '../actions.js';
import { splitMessage } from './split.js';

export { pieceText as renderPiece };

/** Telegram shows about this many characters of a button; longer labels are cut with an ellipsis. */
const BUTTON_CHARS = 60;
const buttonText = (s: string): string => ([...s].length > BUTTON_CHARS ? [...s].slice(0, BUTTON_CHARS - 1).join('') + '…' : s);

export interface RenderedMessage {
  text: string;
  keyboard?: InlineKeyboard | Keyboard;
}

/** Inline buttons of a view (undefined when it has none). */
export function inlineKeyboard(view: ChatView, t: Translate, locale: Locale): InlineKeyboard | undefined {
  if (!view.actions.length) return undefined;
  const kb = new InlineKeyboard();
  for (const row of view.actions) {
    for (const a of row) kb.text(buttonText(pieceText(a.label, t, locale)), actionData(a));
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
  const text = splitMessage(viewText(view, t, locale));
  const messages: RenderedMessage[] = (text.length ? text : ['…']).map((x) => ({ text: x }));
  const last = messages[messages.length - 1];
  if (view.askLocation) {
    const rk = new Keyboard().requestLocation(pieceText(view.askLocation.label, t, locale)).row();
    for (const a of view.askLocation.beside) rk.text(buttonText(pieceText(a.label, t, locale)));
    last.keyboard = rk.resized().oneTime();
  } else {
    last.keyboard = inlineKeyboard(view, t, locale);
  }
  return messages;
}
