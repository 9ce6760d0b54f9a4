import { InlineKeyboard } from 'grammy';
import type { FormDefinition, Summary } from '../../core/forms/index.js';
import { pickText, type Locale } from '../../core/text.js';
import type { Translate } from '../../i18n.js';
import { cardCb } from './callbacks.js';
import { splitMessage } from '../render/split.js';

/** Answer pages are kept short enough to read on a phone without scrolling far. */
const PAGE_CHARS = 1500;

type Draft = { id: number; step: number };

/**
 * The summary before submitting, as one short message: the computed figures against the poverty line, what is
 * missing, errors (must fix) and warnings (confirm), and the buttons. The answers themselves are on pages of their own
 * (`summaryPage`), opened and turned in place, so a fix never re-sends the whole card.
 */
export function summaryOverview(
  summary: Summary,
  draft: Draft,
  household: { code: string; headName: string },
  t: Translate,
  locale: Locale,
): { text: string; keyboard: InlineKeyboard } {
  const L = (x: { zh: string; en: string }) => pickText(x, locale);
  const lines = [t('card.summary_title', { head: household.headName, code: household.code, count: summary.items.length })];
  if (summary.computed.length) lines.push('', t('card.summary_computed'), ...summary.computed.map((c) => `${L(c.label)}：${L(c.display)}`));
  const problems: string[] = [];
  for (const m of summary.missing) problems.push(t('card.summary_missing', { label: L(m.label) }));
  for (const e of summary.errors) problems.push(`❌ ${L(e.message)}`);
  for (const w of summary.warnings) problems.push(`${w.confirmed ? '☑️' : '⚠️'} ${L(w.message)}`);
  if (problems.length) lines.push('', ...problems);
  lines.push('', summary.canSubmit ? t('card.summary_ready') : t('card.summary_not_ready'));
  const kb = new InlineKeyboard();
  const { id, step } = draft;
  if (summary.missing[0] ?? summary.errors[0]) kb.text(t('card.btn_fix_first'), cardCb('ed', id, step)).row();
  if (summary.warnings.some((w) => !w.confirmed)) kb.text(t('card.btn_confirm_warnings'), cardCb('w', id, step)).row();
  kb.text(t('card.btn_answers'), cardCb('sp', id, step, 1)).text(t('card.btn_edit'), cardCb('es', id, step)).row();
  if (summary.canSubmit) kb.text(t('card.btn_submit'), cardCb('sub', id, step)).row();
  kb.text(t('card.btn_pause'), cardCb('p', id, step)).text(t('card.btn_discard'), cardCb('dd', id, step));
  return { text: lines.join('\n'), keyboard: kb };
}

/** The answers by section, packed into pages. */
export function answerPages(form: FormDefinition, summary: Summary, locale: Locale): string[] {
  const L = (x: { zh: string; en: string }) => pickText(x, locale);
  const blocks: string[] = [];
  for (const section of form.sections) {
    const items = summary.items.filter((i) => i.sectionId === section.id);
    if (!items.length) continue;
    blocks.push([`【${L(section.title)}】`, ...items.map((it) => `${it.repeat ? `${L(it.repeat.itemLabel)} · ` : ''}${L(it.label)}：${L(it.display)}`)].join('\n'));
  }
  return splitMessage(blocks, PAGE_CHARS);
}

/** One page of answers (1-based), with page turns and the way back to the summary. */
export function summaryPage(
  form: FormDefinition,
  summary: Summary,
  draft: Draft,
  page: number,
  t: Translate,
  locale: Locale,
): { text: string; keyboard: InlineKeyboard } {
  const pages = answerPages(form, summary, locale);
  const at = Math.min(Math.max(1, page), Math.max(1, pages.length));
  const kb = new InlineKeyboard();
  if (at > 1) kb.text(t('card.btn_page_prev'), cardCb('sp', draft.id, draft.step, at - 1));
  if (at < pages.length) kb.text(t('card.btn_page_next'), cardCb('sp', draft.id, draft.step, at + 1));
  kb.row().text(t('card.btn_edit'), cardCb('es', draft.id, draft.step)).text(t('card.btn_overview'), cardCb('sp', draft.id, draft.step, 0));
  return { text: `${t('card.summary_page', { page: at, pages: Math.max(1, pages.length) })}\n\n${pages[at - 1] ?? ''}`, keyboard: kb };
}

/** Sections with answers, as buttons to pick which one to edit. */
export function editSectionsKeyboard(form: FormDefinition, summary: Summary, draft: Draft, t: Translate, locale: Locale): InlineKeyboard {
  const kb = new InlineKeyboard();
  form.sections.forEach((s, i) => {
    if (summary.items.some((it) => it.sectionId === s.id)) kb.text(pickText(s.title, locale), cardCb('es', draft.id, draft.step, i)).row();
  });
  kb.text(t('card.btn_back_to_summary'), cardCb('sp', draft.id, draft.step, 0)).row();
  return kb;
}

/** The answers of one section as buttons; the argument is the item's index in summary.items. */
export function editItemsKeyboard(
  form: FormDefinition,
  summary: Summary,
  sectionIndex: number,
  draft: Draft,
  t: Translate,
  locale: Locale,
): InlineKeyboard {
  const L = (x: { zh: string; en: string }) => pickText(x, locale);
  const section = form.sections[sectionIndex];
  const kb = new InlineKeyboard();
  summary.items.forEach((it, i) => {
    if (it.sectionId !== section?.id) return;
    const prefix = it.repeat ? `${L(it.repeat.itemLabel)} · ` : '';
    kb.text(`${prefix}${L(it.label)}：${L(it.display)}`.slice(0, 60), cardCb('e', draft.id, draft.step, i + 1)).row();
  });
  kb.text(t('card.btn_back_to_summary'), cardCb('sp', draft.id, draft.step, 0)).row();
  return kb;
}
