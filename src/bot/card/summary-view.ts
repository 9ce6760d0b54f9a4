import { InlineKeyboard } from 'grammy';
import type { FormDefinition, Summary } from '../../core/forms/index.js';
import { pickText, type Locale } from '../../core/text.js';
import type { Translate } from '../i18n.js';
import { cardCb } from './callbacks.js';
import { splitMessage } from '../render/split.js';


/**
 * The summary before submitting: every answer by section, the computed figures against the poverty line,
 * what is missing, errors (must fix) and warnings (confirm). Buttons: fix / edit / confirm / submit.
 */
export function summaryView(
  form: FormDefinition,
  summary: Summary,
  draft: { id: number; step: number },
  household: { code: string; headName: string },
  t: Translate,
  locale: Locale,
): { messages: string[]; keyboard: InlineKeyboard } {
  const L = (x: { zh: string; en: string }) => pickText(x, locale);
  const blocks: string[] = [t('card.summary_title', { head: household.headName, code: household.code })];
  for (const section of form.sections) {
    const items = summary.items.filter((i) => i.sectionId === section.id);
    if (!items.length) continue;
    const lines = [`【${L(section.title)}】`];
    for (const it of items) {
      const prefix = it.repeat ? `${L(it.repeat.itemLabel)} · ` : '';
      lines.push(`${prefix}${L(it.label)}：${L(it.display)}`);
    }
    blocks.push(lines.join('\n'));
  }
  if (summary.computed.length) {
    blocks.push([t('card.summary_computed'), ...summary.computed.map((c) => `${L(c.label)}：${L(c.display)}`)].join('\n'));
  }
  const problems: string[] = [];
  for (const m of summary.missing) problems.push(t('card.summary_missing', { label: L(m.label) }));
  for (const e of summary.errors) problems.push(`❌ ${L(e.message)}`);
  for (const w of summary.warnings) problems.push(`${w.confirmed ? '☑️' : '⚠️'} ${L(w.message)}`);
  if (problems.length) blocks.push(problems.join('\n'));
  blocks.push(summary.canSubmit ? t('card.summary_ready') : t('card.summary_not_ready'));

  const messages = splitMessage(blocks);

  const kb = new InlineKeyboard();
  const { id, step } = draft;
  const firstFix = summary.missing[0] ?? summary.errors[0];
  if (firstFix) kb.text(t('card.btn_fix_first'), cardCb('ed', id, step)).row();
  if (summary.warnings.some((w) => !w.confirmed)) kb.text(t('card.btn_confirm_warnings'), cardCb('w', id, step)).row();
  kb.text(t('card.btn_edit'), cardCb('es', id, step)).row();
  if (summary.canSubmit) kb.text(t('card.btn_submit'), cardCb('sub', id, step)).row();
  kb.text(t('card.btn_pause'), cardCb('p', id, step));
  return { messages, keyboard: kb };
}

/** Sections with answers, as buttons to pick which one to edit. */
export function editSectionsKeyboard(
  form: FormDefinition,
  summary: Summary,
  draft: { id: number; step: number },
  t: Translate,
  locale: Locale,
): InlineKeyboard {
  const kb = new InlineKeyboard();
  form.sections.forEach((s, i) => {
    if (summary.items.some((it) => it.sectionId === s.id)) kb.text(pickText(s.title, locale), cardCb('es', draft.id, draft.step, i)).row();
  });
  kb.text(t('card.btn_back_to_summary'), cardCb('e', draft.id, draft.step)).row();
  return kb;
}

/** The answers of one section as buttons; the argument is the item's index in summary.items. */
export function editItemsKeyboard(
  form: FormDefinition,
  summary: Summary,
  sectionIndex: number,
  draft: { id: number; step: number },
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
  kb.text(t('card.btn_back_to_summary'), cardCb('e', draft.id, draft.step)).row();
  return kb;
}
