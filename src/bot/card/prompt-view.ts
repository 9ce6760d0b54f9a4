import { InlineKeyboard, Keyboard } from 'grammy';
import type { Prompt } from '../../core/forms/index.js';
import { pickText, type Locale } from '../../core/text.js';
import type { Translate } from '../../i18n.js';
import { cardCb } from './callbacks.js';

export interface PromptView {
  text: string;
  /** inline buttons, or, for a location, Telegram's reply keyboard with "share my location" (one keyboard a message) */
  keyboard: InlineKeyboard | Keyboard;
}

export interface PromptOptions {
  showHint?: boolean;
  /** what the last typed answer was understood as ("✔ 走访方式：电话联系"), shown above the next question */
  echo?: string;
  /** a refusal of the last input, shown above the same question in the same message */
  warning?: string;
}

/**
 * One question as one message: where we are, what was understood, the question, what is already known, and its
 * buttons. Everything in one message keeps a helper's screen to one bubble per answer.
 */
export function promptView(
  p: Prompt,
  draft: { id: number; step: number },
  household: { code: string; headName: string },
  t: Translate,
  locale: Locale,
  /** today's date in the configured zone: the example a date question gives */
  today: string,
  opts: PromptOptions = {},
): PromptView {
  const L = (x: { zh: string; en: string }) => pickText(x, locale);
  const lines: string[] = [];
  if (opts.warning) lines.push(opts.warning, '');
  if (opts.echo) lines.push(opts.echo);
  lines.push(
    t('card.header', {
      head: household.headName, code: household.code, section: L(p.section.title),
      section_no: p.progress.section, sections: p.progress.sections, question: p.progress.question,
    }),
  );
  for (const n of p.notes) lines.push(t('card.note', { text: L(n) }));
  if (p.known.length) lines.push(t('card.known', { list: p.known.map((k) => `${L(k.label)} ${L(k.display)}`).join(' · ') }));
  if (p.repeat) lines.push(t('card.repeat_item', { item: L(p.repeat.itemLabel), count: p.repeat.count }));
  // one cell in all (one member, one field): asked as a plain yes/no about that member
  const single = p.across && p.across.items.length === 1 && p.across.items[0].cells.length === 1 ? p.across.items[0] : undefined;
  const question = single ? t('card.across_single', { item: L(single.label), question: L(p.across!.fields[single.cells[0].field]) }) : L(p.label);
  lines.push('', `❓ ${question}${p.required || p.kind !== 'field' ? '' : t('card.optional')}`);

  const kb = new InlineKeyboard();
  const d = draft.id;
  const s = draft.step;
  switch (p.kind) {
    case 'confirm':
      lines.push(t('card.confirm_title'));
      for (const it of p.confirm!.items) lines.push(`  · ${L(it.label)}：${L(it.display)}`);
      kb.text(t('card.btn_confirm_all'), cardCb('k', d, s)).row().text(t('card.btn_confirm_each'), cardCb('x', d, s)).row();
      break;
    case 'across':
      if (single) kb.text(t('card.btn_yes'), cardCb('y', d, s)).text(t('card.btn_no'), cardCb('n', d, s)).row();
      else acrossBody(p, lines, kb, d, s, t, L);
      break;
    case 'list':
      listBody(p, lines, kb, d, s, t, L);
      break;
    default:
      fieldBody(p, lines, kb, d, s, t, L, today);
  }
  if (p.kind !== 'list' || !p.list!.previousItems?.length) {
    if (p.canBack) kb.text(t('card.btn_back'), cardCb('b', d, s));
    if (p.canSkip) kb.text(t('card.btn_skip'), cardCb('s', d, s));
  }
  if ((p.howToAsk || p.howToFill || p.hint) && !opts.showHint) kb.text(t('card.btn_hint'), cardCb('h', d, s));
  kb.text(t('card.btn_pause'), cardCb('p', d, s));
  if (opts.showHint) {
    if (p.howToAsk) lines.push('', t('card.how_to_ask', { text: L(p.howToAsk) }));
    if (p.howToFill) lines.push(t('card.how_to_fill', { text: L(p.howToFill) }));
    if (p.hint) lines.push(t('card.hint', { text: L(p.hint) }));
  }
  if (p.type === 'location' && p.kind === 'field') {
    // Telegram's "share my location" lives on a reply keyboard; a message carries one keyboard, so back and pause
    // become reply buttons too (their texts are understood as the buttons)
    lines.push(t('card.location_keyboard_note'));
    const rk = new Keyboard().requestLocation(t('card.btn_send_location')).row();
    if (p.canBack) rk.text(t('card.btn_back'));
    if (p.canSkip) rk.text(t('card.btn_skip'));
    rk.text(t('card.btn_pause'));
    return { text: lines.join('\n'), keyboard: rk.resized().oneTime() };
  }
  return { text: lines.join('\n'), keyboard: kb };
}

type Lx = (x: { zh: string; en: string }) => string;

/** A cell's button data: item and field in one number (a group has fewer than ten fields). */
export const cellArg = (item: number, field: number): number => item * 10 + field;

/**
 * One field over all members: a button per member. Several fields (insurance, allowances): members numbered in the
 * text, a row of buttons per member ("1 ✅医保"), so the whole grid is one screen and one "done".
 */
function acrossBody(p: Prompt, lines: string[], kb: InlineKeyboard, d: number, s: number, t: Translate, L: Lx): void {
  const q = p.across!;
  lines.push(t('card.across_hint'));
  if (q.fields.length === 1) {
    q.items.forEach((it, i) => {
      kb.text(`${it.cells[0].ticked ? '✅' : '⬜'} ${L(it.label)}`.slice(0, 60), cardCb('tc', d, s, cellArg(it.index, 0)));
      if (i % 2 === 1) kb.row();
    });
  } else {
    for (const it of q.items) {
      lines.push(`  ${it.index + 1}. ${L(it.label)}`);
      for (const c of it.cells) kb.text(`${it.index + 1} ${c.ticked ? '✅' : '⬜'}${L(q.fields[c.field])}`, cardCb('tc', d, s, cellArg(it.index, c.field)));
      kb.row();
    }
  }
  kb.row().text(t('card.btn_done'), cardCb('d', d, s)).row();
}

function listBody(p: Prompt, lines: string[], kb: InlineKeyboard, d: number, s: number, t: Translate, L: Lx): void {
  const list = p.list!;
  if (list.items.length) lines.push(...list.items.map((it) => `  ${it.index + 1}. ${L(it.summary)}`));
  else if (!list.previousItems?.length) lines.push(t('card.list_empty'));
  if (list.removed) {
    lines.push(t('card.removed', { n: list.removed.index + 1, summary: L(list.removed.summary) }));
    kb.text(t('card.btn_undo'), cardCb('u', d, s)).row();
  }
  if (list.previousItems?.length && !list.items.length) {
    lines.push(t('card.list_previous'), ...list.previousItems.map((x, i) => `  ${i + 1}. ${L(x)}`));
    kb.text(t('card.btn_keep_all'), cardCb('k', d, s)).text(t('card.btn_check_each'), cardCb('x', d, s)).row();
    return;
  }
  if (list.quickEntry) lines.push(t('card.list_quick_entry', { fields: list.quickEntry.map(L).join(' ') }));
  if (list.firstChoices) {
    lines.push(t('card.list_first_choice'));
    list.firstChoices.forEach((c, i) => {
      kb.text(t('card.btn_add_choice', { label: L(c.label) }), cardCb('c', d, s, i));
      if (i % 2 === 1) kb.row();
    });
    kb.row();
  } else if (list.canAdd) kb.text(t('card.btn_add'), cardCb('a', d, s));
  if (list.canFinish) kb.text(t('card.btn_finish'), cardCb('f', d, s));
  kb.row();
  list.items.forEach((it, i) => {
    kb.text(t('card.btn_remove', { n: it.index + 1 }), cardCb('rc', d, s, it.index));
    if (i % 3 === 2) kb.row();
  });
  kb.row();
}

function fieldBody(p: Prompt, lines: string[], kb: InlineKeyboard, d: number, s: number, t: Translate, L: Lx, today: string): void {
  if (p.currentDisplay) lines.push(t('card.current', { value: L(p.currentDisplay) }));
  if (p.previousDisplay && p.offerKeep) lines.push(t('card.previous', { value: L(p.previousDisplay) }));
  for (const c of p.computed) lines.push(`🧮 ${L(c.label)}：${L(c.display)}`);
  const expect = expectation(p, t, today);
  if (expect) lines.push(expect);
  const cur = p.currentDisplay ? L(p.currentDisplay) : undefined;
  const prev = p.previousDisplay ? L(p.previousDisplay) : undefined;
  if (p.offerKeep && cur !== undefined && prev !== undefined && cur !== prev) {
    // This card already holds a different value: say which one "keep" keeps, and offer last time's back.
    kb.text(t('card.btn_keep_current', { value: short(cur) }), cardCb('k', d, s)).row();
    kb.text(t('card.btn_restore_previous', { value: short(prev) }), cardCb('rp', d, s)).row();
    kb.text(t('card.btn_change'), cardCb('x', d, s)).row();
  } else if (p.offerKeep) kb.text(t('card.btn_keep'), cardCb('k', d, s)).text(t('card.btn_change'), cardCb('x', d, s)).row();
  if (p.offerKeep && p.currentDisplay !== undefined) return;
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
  p.suggestions?.forEach((sg, i) => kb.text(L(sg.label), cardCb('sg', d, s, i)).row());
  if ((p.type === 'money' || p.type === 'integer' || p.type === 'decimal') && p.min === 0) kb.text(t('card.btn_zero'), cardCb('z', d, s)).row();
}

/** Button labels stay short on a phone. */
function short(v: string): string {
  return v.length > 16 ? `${v.slice(0, 15)}…` : v;
}

/** What a typed answer should look like, said before the user gets it wrong. */
function expectation(p: Prompt, t: Translate, today: string): string | undefined {
  const range = p.min !== undefined && p.max !== undefined ? t('card.range', { min: p.min, max: p.max }) : '';
  switch (p.type) {
    case 'integer':
      return t('card.expect_integer', { range });
    case 'decimal':
      return t('card.expect_decimal', { range });
    case 'money':
      return t('card.expect_money', { range });
    case 'date':
      return t('card.expect_date', { example: today });
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
