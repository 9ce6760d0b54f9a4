/**
 * The card as chat views: one question per message (where we are, what was understood, the question, what is known,
 * its actions), the summary with the answers on pages, and the small confirmations (remove an item, discard a draft).
 * Actions are `card` actions: an engine operation code, the draft, the draft's step (a button drawn before the last
 * accepted answer is stale), and an argument.
 */
import type { FormDefinition, Prompt, Summary } from '../../core/forms/index.js';
import type { KeysUnder } from '../../core/i18n-keys.js';
import type { Text } from '../../core/text.js';
import { ViewBuilder, content, join, msg, raw, type Action, type ChatView, type Piece } from '../views.js';

/** Engine operations a card button carries (short: they travel in callback data). */
export type CardCode =
  | 'c' | 't' | 'tc' | 'd' | 'y' | 'n' | 'k' | 'x' | 's' | 'b' | 'a' | 'f' | 'rc' | 'r' | 'u' | 'h' | 'p' | 'sg' | 'z'
  | 'e' | 'es' | 'ed' | 'sp' | 'w' | 'sub' | 'rp' | 'dd' | 'dy';
export const CARD_CODES: readonly CardCode[] = [
  'c', 't', 'tc', 'd', 'y', 'n', 'k', 'x', 's', 'b', 'a', 'f', 'rc', 'r', 'u', 'h', 'p', 'sg', 'z', 'e', 'es', 'ed', 'sp', 'w',
  'sub', 'rp', 'dd', 'dy',
];

export interface DraftRef {
  id: number;
  step: number;
}

/** A cell's argument: item and field in one number (a grid has fewer than ten fields). */
const cellArg = (item: number, field: number): number => item * 10 + field;

const card = (d: DraftRef, code: CardCode, arg?: number): Omit<Action, 'label'> => ({
  op: 'card',
  args: arg === undefined ? [code, d.id, d.step] : [code, d.id, d.step, arg],
});

/** Adds a card action to a builder. */
function act(v: ViewBuilder, label: Piece, d: DraftRef, code: CardCode, arg?: number): void {
  const a = card(d, code, arg);
  v.action(label, a.op, ...a.args);
}

export interface PromptOptions {
  showHint?: boolean;
  /** what the last typed answer was understood as, above the next question */
  echo?: Piece;
  /** why the last input was refused, above the same question */
  warning?: Piece;
  /** the card's title, shown above its very first question (which period's card this is) */
  formTitle?: Text;
}

type ExpectKey = KeysUnder<'card'> & `expect_${string}`;
const EXPECT: Partial<Record<Prompt['type'], ExpectKey>> = {
  integer: 'expect_integer', decimal: 'expect_decimal', money: 'expect_money', date: 'expect_date', text: 'expect_text',
  phone: 'expect_phone', id_number: 'expect_id', location: 'expect_location', photo: 'expect_photo',
  select_one: 'expect_choice', select_multiple: 'expect_choice', yes_no: 'expect_choice',
};

/** What a typed answer should look like, said before the user gets it wrong. */
function expectation(p: Prompt, today: string): Piece | undefined {
  const key = EXPECT[p.type];
  if (!key) return undefined;
  const range = p.min !== undefined && p.max !== undefined ? msg('card.range', { min: p.min, max: p.max }) : raw('');
  return msg(`card.${key}`, { range, example: today });
}

/**
 * One question as one view: where we are, what was understood, the question, what is already known, and its actions.
 * `today` (in the configured zone) is the example a date question gives.
 */
export function promptView(p: Prompt, d: DraftRef, household: { code: string; headName: string }, today: string, opts: PromptOptions = {}): ChatView {
  const v = new ViewBuilder();
  if (opts.warning) v.line(opts.warning).block();
  v.line(opts.echo);
  if (opts.formTitle && p.progress.section === 1 && p.progress.question === 1) v.line(msg('card.form_title', { title: content(opts.formTitle) }));
  v.line(msg('card.header', {
    head: household.headName, code: household.code, section: content(p.section.title),
    section_no: p.progress.section, sections: p.progress.sections, question: p.progress.question,
  }));
  for (const n of p.notes) v.line(msg('card.note', { text: content(n) }));
  if (p.known.length) v.line(msg('card.known', { list: join(p.known.map((k) => join([content(k.label), content(k.display)], ' ')), ' · ') }));
  if (p.repeat) v.line(msg('card.repeat_item', { item: content(p.repeat.itemLabel), count: p.repeat.count }));
  // one cell in all (one member, one field): asked as a plain yes/no about that member
  const single = p.across && p.across.items.length === 1 && p.across.items[0].cells.length === 1 ? p.across.items[0] : undefined;
  const question = single ? msg('card.across_single', { item: content(single.label), question: content(p.across!.fields[single.cells[0].field]) }) : content(p.label);
  v.block().line(join([raw('❓ '), question, p.required || p.kind !== 'field' ? raw('') : msg('card.optional')]));
  switch (p.kind) {
    case 'confirm':
      v.line(msg(p.previousFrom === 'registry' ? 'card.confirm_title_registry' : 'card.confirm_title'));
      for (const it of p.confirm!.items) v.line(join([raw('  · '), content(it.label), raw('：'), content(it.display)]));
      act(v, msg('card.btn_confirm_all'), d, 'k');
      v.row();
      act(v, msg('card.btn_confirm_each'), d, 'x');
      v.row();
      break;
    case 'across':
      if (single) {
        act(v, msg('card.btn_yes'), d, 'y');
        act(v, msg('card.btn_no'), d, 'n');
        v.row();
      } else acrossBody(p, v, d);
      break;
    case 'list':
      listBody(p, v, d);
      break;
    default:
      fieldBody(p, v, d, today);
  }
  if (p.kind !== 'list' || !p.list!.previousItems?.length) {
    if (p.canBack) act(v, msg('card.btn_back'), d, 'b');
    if (p.canSkip) act(v, msg('card.btn_skip'), d, 's');
  }
  if ((p.howToAsk || p.howToFill || p.hint) && !opts.showHint) act(v, msg('card.btn_hint'), d, 'h');
  act(v, msg('card.btn_pause'), d, 'p');
  if (opts.showHint) {
    v.block();
    if (p.howToAsk) v.line(msg('card.how_to_ask', { text: content(p.howToAsk) }));
    if (p.howToFill) v.line(msg('card.how_to_fill', { text: content(p.howToFill) }));
    if (p.hint) v.line(msg('card.hint', { text: content(p.hint) }));
  }
  if (p.type === 'location' && p.kind === 'field') {
    // the channel's own "share my location"; back, skip and pause beside it
    v.line(msg('card.location_keyboard_note'));
    const beside: Action[] = [];
    if (p.canBack) beside.push({ ...card(d, 'b'), label: msg('card.btn_back') });
    if (p.canSkip) beside.push({ ...card(d, 's'), label: msg('card.btn_skip') });
    beside.push({ ...card(d, 'p'), label: msg('card.btn_pause') });
    v.askLocation(msg('card.btn_send_location'), beside);
  }
  return v.build();
}

/**
 * One field over all members: an action per member. Several fields (insurance, allowances): members numbered in the
 * text and a row of actions per member ("1 ✅医保"), so the whole grid is one screen and one "done".
 */
function acrossBody(p: Prompt, v: ViewBuilder, d: DraftRef): void {
  const q = p.across!;
  v.line(msg('card.across_hint'));
  if (q.fields.length === 1) {
    q.items.forEach((it, i) => {
      act(v, join([raw(it.cells[0].ticked ? '✅ ' : '⬜ '), content(it.label)]), d, 'tc', cellArg(it.index, 0));
      if (i % 2 === 1) v.row();
    });
  } else {
    for (const it of q.items) {
      v.line(join([raw(`  ${it.index + 1}. `), content(it.label)]));
      for (const c of it.cells) act(v, join([raw(`${it.index + 1} ${c.ticked ? '✅' : '⬜'}`), content(q.fields[c.field])]), d, 'tc', cellArg(it.index, c.field));
      v.row();
    }
  }
  v.row();
  act(v, msg('card.btn_done'), d, 'd');
  v.row();
}

function listBody(p: Prompt, v: ViewBuilder, d: DraftRef): void {
  const list = p.list!;
  for (const it of list.items) v.line(join([raw(`  ${it.index + 1}. `), content(it.summary)]));
  if (!list.items.length && !list.previousItems?.length) v.line(msg('card.list_empty'));
  if (list.removed) {
    v.line(msg('card.removed', { n: list.removed.index + 1, summary: content(list.removed.summary) }));
    act(v, msg('card.btn_undo'), d, 'u');
    v.row();
  }
  if (list.previousItems?.length && !list.items.length) {
    v.line(msg(p.previousFrom === 'registry' ? 'card.list_registry' : 'card.list_previous'));
    list.previousItems.forEach((x, i) => v.line(join([raw(`  ${i + 1}. `), content(x)])));
    act(v, msg('card.btn_keep_all'), d, 'k');
    act(v, msg('card.btn_check_each'), d, 'x');
    v.row();
    return;
  }
  if (list.quickEntry) v.line(msg('card.list_quick_entry', { fields: join(list.quickEntry.map(content), ' ') }));
  if (list.firstChoices) {
    v.line(msg('card.list_first_choice'));
    list.firstChoices.forEach((c, i) => {
      act(v, msg('card.btn_add_choice', { label: content(c.label) }), d, 'c', i);
      if (i % 2 === 1) v.row();
    });
    v.row();
  } else if (list.canAdd) act(v, msg('card.btn_add'), d, 'a');
  if (list.canFinish) act(v, msg('card.btn_finish'), d, 'f');
  v.row();
  list.items.forEach((it, i) => {
    act(v, msg('card.btn_remove', { n: it.index + 1 }), d, 'rc', it.index);
    if (i % 3 === 2) v.row();
  });
  v.row();
}

function fieldBody(p: Prompt, v: ViewBuilder, d: DraftRef, today: string): void {
  if (p.currentDisplay) v.line(msg('card.current', { value: content(p.currentDisplay) }));
  if (p.previousDisplay && p.offerKeep) v.line(msg(p.previousFrom === 'registry' ? 'card.registry' : 'card.previous', { value: content(p.previousDisplay) }));
  for (const c of p.computed) v.line(join([raw('🧮 '), content(c.label), raw('：'), content(c.display)]));
  v.line(expectation(p, today));
  const differs = p.currentDisplay && p.previousDisplay && JSON.stringify(p.currentDisplay) !== JSON.stringify(p.previousDisplay);
  if (p.offerKeep && differs) {
    // This card already holds a different value: say which one "keep" keeps, and offer last time's back.
    act(v, msg('card.btn_keep_current', { value: content(p.currentDisplay!) }), d, 'k');
    v.row();
    act(v, msg(p.previousFrom === 'registry' ? 'card.btn_restore_registry' : 'card.btn_restore_previous', { value: content(p.previousDisplay!) }), d, 'rp');
    v.row();
    act(v, msg('card.btn_change'), d, 'x');
    v.row();
  } else if (p.offerKeep) {
    act(v, msg('card.btn_keep'), d, 'k');
    act(v, msg('card.btn_change'), d, 'x');
    v.row();
  }
  if (p.offerKeep && p.currentDisplay !== undefined) return;
  if (p.type === 'select_one' && p.choices) {
    p.choices.forEach((c, i) => {
      act(v, content(c.label), d, 'c', i);
      if (i % 2 === 1) v.row();
    });
    v.row();
  } else if (p.type === 'select_multiple' && p.choices) {
    const selected = new Set(p.selected ?? []);
    p.choices.forEach((c, i) => {
      act(v, join([raw(selected.has(c.value) ? '✅ ' : '⬜ '), content(c.label)]), d, 't', i);
      if (i % 2 === 1) v.row();
    });
    v.row();
    act(v, msg('card.btn_done'), d, 'd');
    v.row();
  } else if (p.type === 'yes_no') {
    act(v, msg('card.btn_yes'), d, 'y');
    act(v, msg('card.btn_no'), d, 'n');
    v.row();
  }
  p.suggestions?.forEach((sg, i) => {
    act(v, content(sg.label), d, 'sg', i);
    v.row();
  });
  if ((p.type === 'money' || p.type === 'integer' || p.type === 'decimal') && p.min === 0) {
    act(v, msg('card.btn_zero'), d, 'z');
    v.row();
  }
}

/** Answer pages are kept short enough to read on a phone without scrolling far (characters per page). */
export const PAGE_CHARS = 1500;

/**
 * The summary before submitting, as one short view: the computed figures against the poverty line, what is missing,
 * errors (must fix) and warnings (confirm), and the actions. The answers are on pages of their own (`answerPage`).
 */
export function summaryView(summary: Summary, d: DraftRef, household: { code: string; headName: string }, opts: PromptOptions = {}): ChatView {
  const v = new ViewBuilder();
  if (opts.warning) v.line(opts.warning).block();
  v.line(opts.echo);
  v.line(msg('card.summary_title', { head: household.headName, code: household.code, count: summary.answered }));
  if (summary.computed.length) {
    v.block().line(msg('card.summary_computed'));
    for (const c of summary.computed) v.line(join([content(c.label), raw('：'), content(c.display)]));
  }
  v.block();
  for (const m of summary.missing) v.line(msg('card.summary_missing', { label: content(m.label) }));
  for (const e of summary.errors) v.line(join([raw('❌ '), content(e.message)]));
  for (const w of summary.warnings) v.line(join([raw(w.confirmed ? '☑️ ' : '⚠️ '), content(w.message)]));
  v.block().line(msg(summary.canSubmit ? 'card.summary_ready' : summary.missing.length || summary.errors.length ? 'card.summary_not_ready' : 'card.summary_confirm_warnings'));
  if (summary.missing[0] ?? summary.errors[0]) {
    act(v, msg('card.btn_fix_first'), d, 'ed');
    v.row();
  }
  if (summary.warnings.some((w) => !w.confirmed)) {
    act(v, msg('card.btn_confirm_warnings'), d, 'w');
    v.row();
  }
  act(v, msg('card.btn_answers'), d, 'sp', 1);
  act(v, msg('card.btn_edit'), d, 'es');
  v.row();
  if (summary.canSubmit) {
    act(v, msg('card.btn_submit'), d, 'sub');
    v.row();
  }
  act(v, msg('card.btn_pause'), d, 'p');
  act(v, msg('card.btn_discard'), d, 'dd');
  return v.build();
}

/** The answers by section as blocks (a section's heading, then one line per answer). */
export function answerBlocks(form: FormDefinition, summary: Summary): Piece[][] {
  const blocks: Piece[][] = [];
  for (const section of form.sections) {
    const items = summary.items.filter((i) => i.sectionId === section.id);
    if (!items.length) continue;
    blocks.push([
      join([raw('【'), content(section.title), raw('】')]),
      ...items.map((it) => join([it.repeat ? join([content(it.repeat.itemLabel), raw(' · ')]) : raw(''), content(it.label), raw('：'), content(it.display)])),
    ]);
  }
  return blocks;
}

/**
 * One page of answers (1-based) with page turns: `pages` are the answer blocks already packed into pages by the
 * channel (it knows how long its lines are).
 */
export function answerPage(pages: Piece[][][], d: DraftRef, page: number): ChatView {
  const at = Math.min(Math.max(1, page), Math.max(1, pages.length));
  const v = new ViewBuilder();
  v.line(msg('card.summary_page', { page: at, pages: Math.max(1, pages.length) }));
  for (const b of pages[at - 1] ?? []) {
    v.block();
    for (const l of b) v.line(l);
  }
  if (at > 1) act(v, msg('card.btn_page_prev'), d, 'sp', at - 1);
  if (at < pages.length) act(v, msg('card.btn_page_next'), d, 'sp', at + 1);
  v.row();
  act(v, msg('card.btn_edit'), d, 'es');
  act(v, msg('card.btn_overview'), d, 'sp', 0);
  return v.build();
}

/** Sections with answers, to pick which one to edit. */
export function editSectionsView(form: FormDefinition, summary: Summary, d: DraftRef): ChatView {
  const v = new ViewBuilder().line(msg('card.pick_edit'));
  form.sections.forEach((s, i) => {
    if (!summary.items.some((it) => it.sectionId === s.id)) return;
    act(v, content(s.title), d, 'es', i);
    v.row();
  });
  act(v, msg('card.btn_back_to_summary'), d, 'sp', 0);
  return v.build();
}

/** The answers of one section, to pick one; the argument is the item's position in the summary (1-based). */
export function editItemsView(form: FormDefinition, summary: Summary, sectionIndex: number, d: DraftRef): ChatView {
  const section = form.sections[sectionIndex];
  const v = new ViewBuilder().line(msg('card.pick_edit'));
  summary.items.forEach((it, i) => {
    if (it.sectionId !== section?.id) return;
    act(v, join([it.repeat ? join([content(it.repeat.itemLabel), raw(' · ')]) : raw(''), content(it.label), raw('：'), content(it.display)]), d, 'e', i + 1);
    v.row();
  });
  act(v, msg('card.btn_back_to_summary'), d, 'sp', 0);
  return v.build();
}

/** "Remove item n?", with how much goes with it; nothing changes until confirmed. */
export function removeConfirmView(d: DraftRef, index: number, summary: Piece, answers: number): ChatView {
  const v = new ViewBuilder().line(msg('card.remove_confirm', { n: index + 1, summary, answers }));
  act(v, msg('card.btn_remove_yes'), d, 'r', index);
  act(v, msg('card.btn_remove_no'), d, 'rc');
  return v.build();
}

/** "Discard this draft?" */
export function discardConfirmView(d: DraftRef, household: { code: string; headName: string }): ChatView {
  const v = new ViewBuilder().line(msg('card.discard_confirm', { head: household.headName, code: household.code }));
  act(v, msg('card.btn_discard_yes'), d, 'dy');
  v.row();
  act(v, msg('card.btn_discard_no'), d, 'rc');
  return v.build();
}

/** "Paused", with the way to throw the draft away. */
export function pausedView(d: DraftRef): ChatView {
  const v = new ViewBuilder().line(msg('card.paused'));
  act(v, msg('card.btn_discard'), d, 'dd');
  return v.build();
}
