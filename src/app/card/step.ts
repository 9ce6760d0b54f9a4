/**
 * Everything typed or pressed inside a card, whatever the channel: the engine decides, the new state is committed,
 * then the next question (or the same one with what was accepted, or why it was not) is the view. A button's step
 * is the draft's step when it was drawn: a press on an older view changes nothing.
 */
import {
  advance, answerEcho, attachPhoto, confirmWarnings, currentPrompt, jumpTo, startCard, summarize,
  type CardState, type FormDefinition, type Input, type Prompt, type StepResult,
} from '../../core/forms/index.js';
import { cardFormOn, periodFor } from '../../core/rules/periods.js';
import type { Text } from '../../core/text.js';
import { latestCard } from '../../db/cards-repo.js';
import { compile, fieldAt } from '../../core/forms/compiled.js';
import { inputFromValue } from '../../core/forms/carry-forward.js';
import type { I18nKey } from '../../core/i18n-keys.js';
import type { Actor } from '../../core/people/roles.js';
import { discardDraft } from '../../db/cards-repo.js';
import { clearFocus, focusedDraftId, setFocus } from '../../db/focus-repo.js';
import { isProcessed } from '../../db/updates-repo.js';
import type { NotifyingDeps } from '../deps.js';
import { closeReviewOnCorrection } from '../review.js';
import { menuView } from '../menu.js';
import { content, join, msg, raw, type ChatView, type Piece } from '../views.js';
import { commitCard, openCard, openFocusedCard, type CardSession, type OpenRefusal } from './session.js';
import { currentView, type ShowOptions } from './show.js';
import { submitCard, submittedView, type Submitted } from './submit.js';
import { CARD_CODES, discardConfirmView, editItemsView, editSectionsView, pausedView, removeConfirmView, type CardCode } from './views.js';

/** What came in: a card button, or something sent while a card is the focused one. */
export type CardInput =
  | { kind: 'button'; code: CardCode; draftId: number; step: number; arg?: number }
  | { kind: 'text'; text: string }
  /** a control the channel offers beside its location request (Telegram: reply-keyboard buttons arrive as text) */
  | { kind: 'control'; code: 'b' | 's' | 'p' }
  | { kind: 'location'; lat: number; lon: number; forwarded: boolean }
  | { kind: 'photo'; fileId: string }
  /** a sticker, a voice message, a document … */
  | { kind: 'unsupported' };

export interface CardReply {
  /** what to show, in order */
  views: ChatView[];
  /** show the first view in place of the pressed button's message (ticks, page turns) */
  edit?: boolean;
  /** a short notice on the pressed button instead of a message (a refusal, a rejected press) */
  alert?: Piece;
  /** the channel's location request goes away (paused from it) */
  clearControls?: boolean;
  /** the message's key was recorded with the answer's commit: the channel need not record (or look for) it again */
  recorded?: boolean;
}

/** Nothing of this input belongs to a card (no card is focused): the caller passes it on. */
export const NOT_A_CARD = 'not_a_card';
/** This very message was handled already (delivered twice): do nothing. */
export const DUPLICATE = 'duplicate';

type Outcome = CardReply | typeof NOT_A_CARD | typeof DUPLICATE;

const warn = (p: Piece): Piece => join([raw('⚠️ '), p]);
const shown = (s: CardSession, opts: ShowOptions = {}, edit = false): CardReply => ({ views: [currentView(s, opts)], edit });
const alert = (key: I18nKey): CardReply => ({ views: [], alert: msg(key) });
const openRefusal = (r: OpenRefusal): CardReply => alert(r === 'closed' ? 'card.closed' : 'refuse.not_yours');

interface Ctx {
  deps: NotifyingDeps;
  actor: Actor;
  /** the incoming message's id: committed with the answer, so a redelivery is never applied twice */
  key: number;
  fromButton: boolean;
  /** set when a commit recorded `key` */
  recorded?: boolean;
}

/**
 * Applies one card input for the actor. `key` identifies the incoming message (Telegram: the update id);
 * `keyChecked`: the caller found it unrecorded just before (the bot, on the update's arrival), so it is not read again here (a
 * redelivery racing in between is still caught by the commit, which records the key in its own transaction).
 */
export async function cardStep(deps: NotifyingDeps, actor: Actor | undefined, input: CardInput, key: number, keyChecked = false): Promise<Outcome> {
  if (!actor) return input.kind === 'button' ? alert('refuse.not_yours') : NOT_A_CARD;
  // a message handled to the end before (redelivered after a restart) must not answer the next question
  if (!keyChecked && isProcessed(deps.db, key)) return DUPLICATE;
  const c: Ctx = { deps, actor, key, fromButton: input.kind === 'button' };
  const out = await routeStep(c, input);
  if (c.recorded && typeof out === 'object') out.recorded = true;
  return out;
}

async function routeStep(c: Ctx, input: CardInput): Promise<Outcome> {
  if (input.kind === 'button') return onButton(c, input);
  const s = focusedSession(c);
  if (!s) return NOT_A_CARD;
  switch (input.kind) {
    case 'text':
      if (s.state.cursor === null) return shown(s, { warning: warn(msg('card.use_summary_buttons')) });
      return apply(c, s, { kind: 'text', text: input.text }, { typed: true });
    case 'control':
      if (input.code === 'p') return { ...pause(c, s, false), clearControls: true };
      return apply(c, s, { kind: input.code === 'b' ? 'back' : 'skip' });
    case 'location':
      // Only a forwarded location is refused (it proves nothing about where the helper is). A shared one counts as
      // live even without the device's accuracy: clients differ, and a helper on a village road must not be stuck.
      return apply(c, s, { kind: 'location', lat: input.lat, lon: input.lon, forwarded: input.forwarded, live: !input.forwarded });
    case 'photo':
      return photo(c, s, input.fileId);
    case 'unsupported':
      return shown(s, { warning: warn(msg('card.unsupported_message')) });
  }
}

/** The focused card, if it is still open and the actor's (a focus on a closed draft is dropped). */
function focusedSession(c: Ctx): CardSession | undefined {
  return openFocusedCard(c.deps, c.actor);
}

interface ApplyOptions {
  /** the answer was typed: say what it was understood as */
  typed?: boolean;
  /** show the result in the pressed button's message (ticks, removing and undoing a list item) */
  edit?: boolean;
}

/** Applies one engine input; a rejected one gets the engine's reason (on the button, or above the same question). */
function apply(c: Ctx, s: CardSession, input: Input, opts: ApplyOptions = {}, attempt = 0): Outcome {
  const at = s.state.cursor;
  let r = advance(s.form, s.state, input, s.ectx);
  if (!r.ok) {
    const reason = warn(msg(r.error.key, r.error.params));
    return c.fromButton ? { views: [], alert: reason } : shown(s, { warning: reason });
  }
  let switched: Piece | undefined;
  if (at && at === s.form.visit_date_field) {
    const other = otherPeriodForm(c, s, r.state);
    if (other && 'refuse' in other) return c.fromButton ? { views: [], alert: other.refuse } : shown(s, { warning: other.refuse });
    if (other) {
      r = other.result;
      s.form = other.form;
      switched = msg('card.period_switched', { title: content(other.form.title), period: content(other.period) });
    }
  }
  const saved = commitCard(c.deps, s, r.state, c.key);
  if (saved === 'saved') c.recorded = true;
  if (saved === 'duplicate') return DUPLICATE;
  if (saved === 'moved') return lostRace(c, s, input, opts, attempt);
  const echoed = opts.typed && at ? answerEcho(s.form, s.state, at) : null;
  const said = echoed ? msg('card.echo', { label: content(echoed.label), value: content(echoed.display) }) : undefined;
  const echo = switched && said ? join([said, raw('\n'), switched]) : (switched ?? said);
  return shown(s, { echo }, opts.edit);
}

/**
 * A visit date in another period of the rules than the card's form (content/rule-periods.yaml): a new card (not a
 * correction) with nothing answered yet but the date is started again with that period's form, the date answered
 * there; with answers given already it is refused, naming the period, so no answer is lost silently.
 */
function otherPeriodForm(
  c: Ctx,
  s: CardSession,
  next: CardState,
): { result: Extract<StepResult, { ok: true }>; form: FormDefinition; period: Text } | { refuse: Piece } | undefined {
  const { content: ct, db } = c.deps;
  const field = s.form.visit_date_field;
  if (!field) return undefined;
  const date = String(next.answers[field] ?? '');
  const period = periodFor(ct.periods, date);
  const form = cardFormOn(ct, date);
  if (!period || form.id === s.form.id) return undefined;
  if (s.draft.reviseCardId) return { refuse: warn(msg('card.other_period_correction', { period: content(period.name) })) };
  const lastAnswers = latestCard(db, s.household.id)?.answers ?? {};
  const untouched = startCard(s.form, s.ectx, lastAnswers);
  const answered = Object.keys(s.state.answers).filter((k) => JSON.stringify(s.state.answers[k]) !== JSON.stringify(untouched.answers[k]));
  if (answered.some((k) => k !== field)) return { refuse: warn(msg('card.other_period', { period: content(period.name) })) };
  const fresh = startCard(form, s.ectx, lastAnswers);
  const result = advance(form, fresh, { kind: 'text', text: date }, s.ectx);
  return result.ok ? { result, form, period: period.name } : { refuse: warn(msg(result.error.key, result.error.params)) };
}

/**
 * The draft moved between reading and committing (another process took a message of the same chat). The same
 * message handled there: nothing more to do. A button: it was drawn for a step that is gone. A typed answer, a
 * location or a photo answers the question that is current now, as if it had come second.
 */
function lostRace(c: Ctx, s: CardSession, input: Input, opts: ApplyOptions, attempt: number): Outcome {
  if (isProcessed(c.deps.db, c.key)) return DUPLICATE;
  if (c.fromButton || attempt >= 3) return alert('refuse.stale');
  const reopened = openCard(c.deps, c.actor, s.draft.id);
  if (!reopened.ok) return openRefusal(reopened.reason);
  if (reopened.value.state.cursor === null) return shown(reopened.value, { warning: warn(msg('card.use_summary_buttons')) });
  return apply(c, reopened.value, input, opts, attempt + 1);
}

/** A commit outside the engine's inputs (warnings confirmed, a jump, a photo kept): the same race rules, no retry. */
function commitOr(c: Ctx, s: CardSession, state: CardSession['state']): 'saved' | Outcome {
  const saved = commitCard(c.deps, s, state, c.key);
  if (saved === 'saved') c.recorded = true;
  if (saved === 'duplicate') return DUPLICATE;
  return saved === 'moved' ? alert('refuse.stale') : 'saved';
}

function pause(c: Ctx, s: CardSession, withDiscard = true): CardReply {
  clearFocus(c.deps.db, c.actor.personId);
  return { views: [withDiscard ? pausedView({ id: s.draft.id, step: s.draft.step }) : { blocks: [[msg('card.paused')]], actions: [] }, menuView(c.actor)] };
}

async function onButton(c: Ctx, b: Extract<CardInput, { kind: 'button' }>): Promise<Outcome> {
  if (!CARD_CODES.includes(b.code)) return alert('refuse.stale');
  const opened = openCard(c.deps, c.actor, b.draftId);
  if (!opened.ok) return openRefusal(opened.reason);
  const s = opened.value;
  // a button drawn before the last accepted answer is stale: it must not change anything
  if (b.step !== s.draft.step) return alert('refuse.stale');
  // working on a card's buttons makes it the card typed answers go to (also after a pause)
  if (!['p', 'dd', 'dy'].includes(b.code) && focusedDraftId(c.deps.db, c.actor.personId) !== s.draft.id) {
    setFocus(c.deps.db, c.actor.personId, s.draft.id, c.deps.now());
  }
  const p = currentPrompt(s.form, s.state, s.ectx);
  const q = p.done ? undefined : p;
  const arg = b.arg;
  const stale = alert('refuse.stale');
  switch (b.code) {
    case 'c': {
      const list = q?.kind === 'list' ? q.list?.firstChoices : q?.choices;
      const value = arg === undefined ? undefined : list?.[arg]?.value;
      return value === undefined ? stale : apply(c, s, { kind: 'choice', value });
    }
    case 't': {
      const value = arg === undefined ? undefined : q?.choices?.[arg]?.value;
      return value === undefined ? stale : apply(c, s, { kind: 'toggle', value }, { edit: true });
    }
    case 'tc': {
      const cell = arg === undefined ? undefined : `${Math.floor(arg / 10)}.${arg % 10}`;
      if (q?.kind !== 'across' || !cell || !q.across!.items.some((i) => i.cells.some((x) => x.key === cell))) return stale;
      return apply(c, s, { kind: 'toggle', value: cell }, { edit: true });
    }
    case 'sg': {
      const value = arg === undefined ? undefined : q?.suggestions?.[arg]?.value;
      return value === undefined ? stale : apply(c, s, { kind: 'text', text: value });
    }
    case 'z':
      return q ? apply(c, s, { kind: 'text', text: '0' }) : stale;
    case 'd':
      return apply(c, s, { kind: 'done' });
    case 'y':
      return apply(c, s, { kind: 'yes' });
    case 'n':
      return apply(c, s, { kind: 'no' });
    case 'k':
      return apply(c, s, { kind: 'keep' });
    case 'x':
      return apply(c, s, { kind: 'change' });
    case 's':
      return apply(c, s, { kind: 'skip' });
    case 'b':
      return apply(c, s, { kind: 'back' });
    case 'a':
      return apply(c, s, { kind: 'add' });
    case 'f':
      return apply(c, s, { kind: 'finish' });
    case 'rc':
      return arg === undefined ? shown(s, {}, true) : askRemove(s, q, arg);
    case 'r':
      return arg === undefined ? stale : apply(c, s, { kind: 'remove', index: arg }, { edit: true });
    case 'u':
      return apply(c, s, { kind: 'undo' }, { edit: true });
    case 'h':
      return shown(s, { showHint: true }, true);
    case 'p':
      return pause(c, s);
    case 'e':
    case 'es':
    case 'ed':
      return onEdit(c, s, b.code, arg);
    case 'sp':
      return p.done ? shown(s, { page: arg }, true) : stale;
    case 'w': {
      if (!p.done) return stale;
      const saved = commitOr(c, s, confirmWarnings(s.form, s.state, s.ectx));
      return saved === 'saved' ? shown(s, {}, true) : saved;
    }
    case 'sub':
      return onSubmit(c, s);
    case 'rp':
      return restorePrevious(c, s, q);
    case 'dd':
      return { views: [discardConfirmView({ id: s.draft.id, step: s.draft.step }, s.household)], edit: true };
    case 'dy':
      discardDraft(c.deps.db, s.draft.id, c.deps.now());
      clearFocus(c.deps.db, c.actor.personId);
      return { views: [{ blocks: [[msg('card.discarded')]], actions: [] }, menuView(c.actor)] };
  }
}

/** Puts last time's value back (typed over it by mistake): the same as answering it again. */
function restorePrevious(c: Ctx, s: CardSession, q: Prompt | undefined): Outcome {
  if (!q || q.previous === undefined) return alert('refuse.stale');
  const field = fieldAt(compile(s.form), q.repeat?.id ?? q.fieldId, q.repeat ? q.fieldId : undefined);
  const again = field ? inputFromValue(field, q.previous) : null;
  if (!again || again.draft) return alert('refuse.stale');
  return apply(c, s, again.input);
}

/** "Remove item n?" in place of the list, with how much goes with it; nothing changes until confirmed. */
function askRemove(s: CardSession, q: Prompt | undefined, index: number): CardReply {
  const item = q?.kind === 'list' ? q.list!.items.find((i) => i.index === index) : undefined;
  if (!q || !item) return alert('refuse.stale');
  const stored = (s.state.answers[q.fieldId] as Record<string, unknown>[] | undefined)?.[index] ?? {};
  return { views: [removeConfirmView({ id: s.draft.id, step: s.draft.step }, index, content(item.summary), Object.keys(stored).length)], edit: true };
}

/** Summary navigation: pick a section, pick an answer, jump to it; or jump to the first thing to fix. */
function onEdit(c: Ctx, s: CardSession, code: 'e' | 'es' | 'ed', arg: number | undefined): Outcome {
  const sum = summarize(s.form, s.state, s.ectx);
  const draft = { id: s.draft.id, step: s.draft.step };
  if (code === 'es') {
    if (arg !== undefined && !s.form.sections[arg]) return alert('refuse.stale');
    return { views: [arg === undefined ? editSectionsView(s.form, sum, draft) : editItemsView(s.form, sum, arg, draft)], edit: true };
  }
  let path: string | undefined;
  if (code === 'e') {
    if (arg === undefined) return shown(s, {}, true);
    path = sum.items[arg - 1]?.path;
  } else {
    const rule = sum.errors[0];
    path = sum.missing[0]?.path ?? (rule ? (sum.items.find((i) => rule.fields.includes(i.fieldId) || rule.fields.includes(i.path))?.path ?? rule.fields[0]) : undefined);
  }
  if (!path) return alert('refuse.stale');
  const r = jumpTo(s.form, s.state, path, s.ectx, { change: code === 'e' });
  if (!r.ok) return { views: [], alert: warn(msg(r.error.key, r.error.params)) };
  const saved = commitOr(c, s, r.state);
  return saved === 'saved' ? shown(s) : saved;
}

async function onSubmit(c: Ctx, s: CardSession): Promise<Outcome> {
  const r = submitCard(c.deps, s, c.actor.personId);
  if (!r.ok) return r.reason === 'stale' ? alert('refuse.stale') : shown(s, { warning: warn(msg('card.not_ready')) });
  clearFocus(c.deps.db, c.actor.personId);
  if (r.value.revision > 1) await tellReviewer(c, r.value);
  return { views: [submittedView(c.deps, s, r.value), menuView(c.actor)] };
}

/** A correction a supervisor asked for closes that review and tells them; a failure never hides the helper's reply. */
async function tellReviewer(c: Ctx, r: Submitted): Promise<void> {
  try {
    await closeReviewOnCorrection(c.deps, c.deps.notifier, c.actor, { draftId: r.draftId, revision: r.revision });
  } catch (err) {
    c.deps.log.error({ cardId: r.cardId, err: String(err) }, 'telling the reviewer failed');
  }
}

/** A photo sent while a card is focused: the answer to a photo question, or the signed-paper evidence kept aside. */
function photo(c: Ctx, s: CardSession, fileId: string): Outcome {
  const p = currentPrompt(s.form, s.state, s.ectx);
  if (!p.done && p.type === 'photo' && p.kind === 'field') return apply(c, s, { kind: 'photo', fileId });
  const r = attachPhoto(s.form, s.state, fileId, s.ectx);
  if (!r?.ok) return shown(s, { warning: warn(msg('card.photo_not_needed')) });
  const saved = commitOr(c, s, r.state);
  if (saved !== 'saved') return saved;
  const field = s.form.sections.flatMap((x) => x.fields).find((f) => f.type === 'photo' && JSON.stringify(s.state.answers[f.id] ?? null).includes(fileId));
  return shown(s, { echo: msg('card.photo_attached', { label: field ? content(field.label) : raw('') }) });
}
