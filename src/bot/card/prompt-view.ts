import { InlineKeyboard, Keyboard } from 'grammy';
import type { Prompt } from '../../core/forms/index.js';
import { pickText, type Locale } from '../../core/text.js';
import type { Translate } from '../i18n.js';
import { cardCb } from './callbacks.js';

export interface PromptView {
  text: string;
  keyboard: InlineKeyboard;
  /** a location field asks through Telegram's own "share my location" button */
  locationKeyboard?: Keyboard;
}

/** One question as a message: where we are, the question, what is already known, and its buttons. */
export function promptView(
  p: Prompt,
  draft: { id: number; step: number },
  household: { code: string; headName: string },
  t: Translate,
  locale: Locale,
  opts: { showHint?: boolean } = {},
): PromptView {
  const L = (x: { zh: string; en: string }) => pickText(x, locale);
  const lines: string[] = [];
  lines.push(
    t('card.header', {
      head: household.headName,
      code: household.code,
      section: L(p.section.title),
      step: p.progress.step,
      total: p.progress.total,
    }),
  );
  if (p.repeat) lines.push(t('card.repeat_item', { item: L(p.repeat.itemLabel), count: p.repeat.count }));
  lines.push('', `❓ ${L(p.label)}${p.required ? '' : t('card.optional')}`);
  if (p.list) {
    if (p.list.items.length) lines.push(...p.list.items.map((it) => `  ${it.index + 1}. ${L(it.summary)}`));
    else lines.push(t('card.list_empty'));
    if (p.list.previousItems?.length) {
      lines.push(t('card.list_previous'));
      lines.push(...p.list.previousItems.map((x, i) => `  ${i + 1}. ${L(x)}`));
    }
  }
  if (p.currentDisplay) lines.push(t('card.current', { value: L(p.currentDisplay) }));
  if (p.previousDisplay && p.offerKeep) lines.push(t('card.previous', { value: L(p.previousDisplay) }));
  for (const c of p.computed) lines.push(`🧮 ${L(c.label)}：${L(c.display)}`);
  const expect = expectation(p, t);
  if (expect) lines.push(expect);
  if (opts.showHint) {
    if (p.howToAsk) lines.push('', t('card.how_to_ask', { text: L(p.howToAsk) }));
    if (p.howToFill) lines.push(t('card.how_to_fill', { text: L(p.howToFill) }));
    if (p.hint) lines.push(t('card.hint', { text: L(p.hint) }));
  }

  const kb = new InlineKeyboard();
  const d = draft.id;
  const s = draft.step;
  const cur = p.currentDisplay ? L(p.currentDisplay) : undefined;
  const prev = p.previousDisplay ? L(p.previousDisplay) : undefined;
  if (p.offerKeep && cur !== undefined && prev !== undefined && cur !== prev) {
    // This card already holds a different value: say which one "keep" keeps, and offer last time's back.
    kb.text(t('card.btn_keep_current', { value: short(cur) }), cardCb('k', d, s)).row();
    kb.text(t('card.btn_restore_previous', { value: short(prev) }), cardCb('rp', d, s)).row();
    kb.text(t('card.btn_change'), cardCb('x', d, s)).row();
  } else if (p.offerKeep) kb.text(t('card.btn_keep'), cardCb('k', d, s)).text(t('card.btn_change'), cardCb('x', d, s)).row();
  if (p.list) {
    if (p.list.previousItems?.length && !p.list.items.length) {
      kb.text(t('card.btn_keep_all'), cardCb('k', d, s)).text(t('card.btn_check_each'), cardCb('x', d, s)).row();
    }
    if (p.list.canAdd) kb.text(t('card.btn_add'), cardCb('a', d, s));
    if (p.list.canFinish) kb.text(t('card.btn_finish'), cardCb('f', d, s));
    kb.row();
    p.list.items.forEach((it, i) => {
      kb.text(t('card.btn_remove', { n: it.index + 1 }), cardCb('r', d, s, it.index));
      if (i % 3 === 2) kb.row();
    });
    kb.row();
  } else if (!p.offerKeep || p.currentDisplay === undefined) {
    choiceButtons(kb, p, d, s, t, L);
  }
  if (p.type === 'note') kb.text(t('card.btn_next'), cardCb('nx', d, s)).row();
  if (p.canBack) kb.text(t('card.btn_back'), cardCb('b', d, s));
  if (p.canSkip) kb.text(t('card.btn_skip'), cardCb('s', d, s));
  if ((p.howToAsk || p.howToFill || p.hint) && !opts.showHint) kb.text(t('card.btn_hint'), cardCb('h', d, s));
  kb.text(t('card.btn_pause'), cardCb('p', d, s));

  const view: PromptView = { text: lines.join('\n'), keyboard: kb };
  if (p.type === 'location') {
    view.locationKeyboard = new Keyboard().requestLocation(t('card.btn_send_location')).resized().oneTime();
  }
  return view;
}

/** Button labels stay short on a phone. */
function short(v: string): string {
  return v.length > 16 ? `${v.slice(0, 15)}…` : v;
}

function choiceButtons(
  kb: InlineKeyboard,
  p: Prompt,
  d: number,
  s: number,
  t: Translate,
  L: (x: { zh: string; en: string }) => string,
): void {
  if (p.type === 'select_one' && p.choices) {
    p.choices.forEach((c, i) => {
      kb.text(L(c.label), cardCb('c', d, s, i));
      if (i % 2 === 1) kb.row();
    });
    kb.row();
  } else if (p.type === 'select_multiple' && p.choices) {
    const selected = new Set(p.selected ?? []);
    p.choices.forEach((c, i) => {
      kb.text(`${selected.has(c.value) ? '✅' : '⬜'} ${L(c.label)}`, cardCb('t', d, s, i));
      if (i % 2 === 1) kb.row();
    });
    kb.row().text(t('card.btn_done'), cardCb('d', d, s)).row();
  } else if (p.type === 'yes_no') {
    kb.text(t('card.btn_yes'), cardCb('y', d, s)).text(t('card.btn_no'), cardCb('n', d, s)).row();
  }
}

/** What a typed answer should look like, said before the user gets it wrong. */
function expectation(p: Prompt, t: Translate): string | undefined {
  const range = p.min !== undefined && p.max !== undefined ? t('card.range', { min: p.min, max: p.max }) : '';
  switch (p.type) {
    case 'integer':
      return t('card.expect_integer', { range });
    case 'decimal':
      return t('card.expect_decimal', { range });
    case 'money':
      return t('card.expect_money', { range });
    case 'date':
      return t('card.expect_date');
    case 'text':
      return t('card.expect_text');
    case 'phone':
      return t('card.expect_phone');
    case 'id_number':
      return t('card.expect_id');
    case 'location':
      return t('card.expect_location');
    case 'photo':
      return t('card.expect_photo');
    case 'select_one':
    case 'select_multiple':
    case 'yes_no':
      return t('card.expect_choice');
    default:
      return undefined;
  }
}
