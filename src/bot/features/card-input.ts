import { Composer, InlineKeyboard } from 'grammy';
import type { I18nKey } from '../../core/i18n-keys.js';
import { answerEcho, attachPhoto, advance, confirmWarnings, jumpTo, summarize, type Input } from '../../core/forms/index.js';
import { currentPrompt } from '../../core/forms/index.js';
import { compile, fieldAt } from '../../core/forms/compiled.js';
import { inputFromValue } from '../../core/forms/carry-forward.js';
import { pickText } from '../../core/text.js';
import { clearFocus, focusedDraftId, setFocus } from '../../db/focus-repo.js';
import { discardDraft } from '../../db/cards-repo.js';
import { isProcessed } from '../../db/updates-repo.js';
import type { BotContext } from '../context.js';
import { parseCardCb, cardCb, type CardCallback } from '../card/callbacks.js';
import { commitState, openSession, type Session } from '../card/session.js';
import { sendView, showCurrent } from '../card/show.js';
import { editItemsKeyboard, editSectionsKeyboard } from '../card/summary-view.js';
import { submitSession } from '../card/submit.js';
import { submitReply } from '../card/submit-reply.js';
import { showMenu } from './menu.js';

/**
 * Everything typed or pressed inside a card: the engine decides, the new state is committed, then the next question
 * (or the same one with what is accepted) is shown, one message per answer; ticks and page turns change their own
 * message in place.
 */
export const cardInputFeature = new Composer<BotContext>();

async function refuse(ctx: BotContext, key: I18nKey): Promise<void> {
  if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: ctx.t(key), show_alert: true });
  else await ctx.reply(ctx.t(key));
}

interface ApplyOptions {
  /** the answer was typed: say what it was understood as */
  typed?: boolean;
  /** show the result in the pressed button's message (ticks, removing and undoing a list item) */
  edit?: boolean;
}

/** Applies one input; a rejected input gets the engine's reason and the same question, in one message. */
async function apply(ctx: BotContext, s: Session, input: Input, opts: ApplyOptions = {}, attempt = 0): Promise<void> {
  const at = s.state.cursor;
  const r = advance(s.form, s.state, input, s.ectx);
  if (!r.ok) {
    const warning = `⚠️ ${ctx.t(r.error.key, r.error.params)}`;
    // a pressed button already shows its question: the reason is enough
    if (ctx.callbackQuery) return void (await ctx.answerCallbackQuery({ text: warning, show_alert: true }));
    return showCurrent(ctx, s, { warning });
  }
  if (!commitState(ctx, s, r.state)) return lostRace(ctx, s, input, opts, attempt);
  const echoed = opts.typed && at ? answerEcho(s.form, s.state, at) : null;
  const echo = echoed ? ctx.t('card.echo', { label: pickText(echoed.label, ctx.locale), value: pickText(echoed.display, ctx.locale) }) : undefined;
  await showCurrent(ctx, s, { echo, edit: opts.edit });
}

/**
 * The draft moved between reading and committing (another process took a message of the same chat).
 * The same update handled there: nothing more to do. A button: it was drawn for a step that is gone.
 * A typed answer, location or photo: it answers the question that is current now, as if it had come second.
 */
async function lostRace(ctx: BotContext, s: Session, input: Input, opts: ApplyOptions, attempt: number): Promise<void> {
  if (isProcessed(ctx.deps.db, ctx.update.update_id)) {
    ctx.processedMarked = true;
    return;
  }
  if (ctx.callbackQuery || attempt >= 3) return refuse(ctx, 'refuse.stale');
  const reopened = openSession(ctx, s.draft.id);
  if (!reopened.ok) return refuse(ctx, reopened.reason === 'closed' ? 'card.closed' : 'refuse.not_yours');
  if (reopened.s.state.cursor === null) return showCurrent(ctx, reopened.s, { warning: `⚠️ ${ctx.t('card.use_summary_buttons')}` });
  return apply(ctx, reopened.s, input, opts, attempt + 1);
}

cardInputFeature.callbackQuery(/^v:/, async (ctx) => {
  const c = parseCardCb(ctx.callbackQuery.data);
  if (!c) return refuse(ctx, 'refuse.stale');
  const opened = openSession(ctx, c.draftId);
  if (!opened.ok) return refuse(ctx, opened.reason === 'closed' ? 'card.closed' : 'refuse.not_yours');
  const s = opened.s;
  // A button drawn before the last accepted answer is stale: it must not change anything.
  if (c.step !== s.draft.step) return refuse(ctx, 'refuse.stale');
  // working on a card's buttons makes it the card typed answers go to (also after a pause)
  if (!['p', 'dd', 'dy'].includes(c.op) && focusedDraftId(ctx.deps.db, ctx.actor!.personId) !== s.draft.id) {
    setFocus(ctx.deps.db, ctx.actor!.personId, s.draft.id, ctx.deps.now());
  }
  await onButton(ctx, s, c);
  await ctx.answerCallbackQuery();
});

async function onButton(ctx: BotContext, s: Session, c: CardCallback): Promise<void> {
  const { db } = ctx.deps;
  const p = currentPrompt(s.form, s.state, s.ectx);
  const q = p.done ? undefined : p;
  switch (c.op) {
    case 'c': {
      const list = q?.kind === 'list' ? q.list?.firstChoices : q?.choices;
      const value = c.arg === undefined ? undefined : list?.[c.arg]?.value;
      return value === undefined ? refuse(ctx, 'refuse.stale') : apply(ctx, s, { kind: 'choice', value });
    }
    case 't': {
      const value = c.arg === undefined ? undefined : q?.choices?.[c.arg]?.value;
      return value === undefined ? refuse(ctx, 'refuse.stale') : apply(ctx, s, { kind: 'toggle', value }, { edit: true });
    }
    case 'tc': {
      const key = c.arg === undefined ? undefined : `${Math.floor(c.arg / 10)}.${c.arg % 10}`;
      if (q?.kind !== 'across' || !key || !q.across!.items.some((i) => i.cells.some((x) => x.key === key))) return refuse(ctx, 'refuse.stale');
      return apply(ctx, s, { kind: 'toggle', value: key }, { edit: true });
    }
    case 'sg': {
      const value = c.arg === undefined ? undefined : q?.suggestions?.[c.arg]?.value;
      return value === undefined ? refuse(ctx, 'refuse.stale') : apply(ctx, s, { kind: 'text', text: value });
    }
    case 'z':
      return q ? apply(ctx, s, { kind: 'text', text: '0' }) : refuse(ctx, 'refuse.stale');
    case 'd':
      return apply(ctx, s, { kind: 'done' });
    case 'y':
      return apply(ctx, s, { kind: 'yes' });
    case 'n':
      return apply(ctx, s, { kind: 'no' });
    case 'k':
      return apply(ctx, s, { kind: 'keep' });
    case 'x':
      return apply(ctx, s, { kind: 'change' });
    case 's':
      return apply(ctx, s, { kind: 'skip' });
    case 'b':
      return apply(ctx, s, { kind: 'back' });
    case 'a':
      return apply(ctx, s, { kind: 'add' });
    case 'f':
      return apply(ctx, s, { kind: 'finish' });
    case 'rc':
      return c.arg === undefined ? showCurrent(ctx, s, { edit: true }) : askRemove(ctx, s, c.arg);
    case 'r':
      return c.arg === undefined ? refuse(ctx, 'refuse.stale') : apply(ctx, s, { kind: 'remove', index: c.arg }, { edit: true });
    case 'u':
      return apply(ctx, s, { kind: 'undo' }, { edit: true });
    case 'h':
      return showCurrent(ctx, s, { showHint: true, edit: true });
    case 'p':
      clearFocus(db, ctx.actor!.personId);
      await ctx.reply(ctx.t('card.paused'), {
        reply_markup: new InlineKeyboard().text(ctx.t('card.btn_discard'), cardCb('dd', s.draft.id, s.draft.step)),
      });
      return showMenu(ctx);
    case 'e':
    case 'es':
    case 'ed':
      return onEdit(ctx, s, c);
    case 'sp':
      if (!p.done) return refuse(ctx, 'refuse.stale');
      return showCurrent(ctx, s, { page: c.arg, edit: true });
    case 'w': {
      if (!p.done) return refuse(ctx, 'refuse.stale');
      if (!commitState(ctx, s, confirmWarnings(s.form, s.state, s.ectx))) return refuse(ctx, 'refuse.stale');
      return showCurrent(ctx, s, { edit: true });
    }
    case 'sub':
      return onSubmit(ctx, s);
    case 'rp': {
      // put last time's value back (typed over it by mistake): the same as answering it again
      if (!q || q.previous === undefined) return refuse(ctx, 'refuse.stale');
      const field = fieldAt(compile(s.form), q.repeat?.id ?? q.fieldId, q.repeat ? q.fieldId : undefined);
      const again = field ? inputFromValue(field, q.previous) : null;
      if (!again || again.draft) return refuse(ctx, 'refuse.stale');
      return apply(ctx, s, again.input);
    }
    case 'dd':
      return sendView(ctx, {
        text: ctx.t('card.discard_confirm', { head: s.household.headName, code: s.household.code }),
        keyboard: new InlineKeyboard().text(ctx.t('card.btn_discard_yes'), cardCb('dy', s.draft.id, s.draft.step)).row()
          .text(ctx.t('card.btn_discard_no'), cardCb('rc', s.draft.id, s.draft.step)),
      }, true);
    case 'dy':
      discardDraft(db, s.draft.id, ctx.deps.now());
      clearFocus(db, ctx.actor!.personId);
      await ctx.reply(ctx.t('card.discarded'));
      return showMenu(ctx);
  }
}

/** "Remove item n?" in place of the list, with how much goes with it; nothing changes until confirmed. */
async function askRemove(ctx: BotContext, s: Session, index: number): Promise<void> {
  const p = currentPrompt(s.form, s.state, s.ectx);
  const item = !p.done && p.kind === 'list' ? p.list!.items.find((i) => i.index === index) : undefined;
  if (!item || p.done) return refuse(ctx, 'refuse.stale');
  const stored = (s.state.answers[p.fieldId] as Record<string, unknown>[] | undefined)?.[index] ?? {};
  const kb = new InlineKeyboard()
    .text(ctx.t('card.btn_remove_yes'), cardCb('r', s.draft.id, s.draft.step, index))
    .text(ctx.t('card.btn_remove_no'), cardCb('rc', s.draft.id, s.draft.step));
  await sendView(ctx, {
    text: ctx.t('card.remove_confirm', { n: index + 1, summary: pickText(item.summary, ctx.locale), answers: Object.keys(stored).length }),
    keyboard: kb,
  }, true);
}

/** Summary navigation: pick a section, pick an answer, jump to it; or jump to the first thing to fix. */
async function onEdit(ctx: BotContext, s: Session, c: CardCallback): Promise<void> {
  const sum = summarize(s.form, s.state, s.ectx);
  const draft = { id: s.draft.id, step: s.draft.step };
  let path: string | undefined;
  if (c.op === 'es') {
    const kb = c.arg === undefined ? editSectionsKeyboard(s.form, sum, draft, ctx.t, ctx.locale) : editItemsKeyboard(s.form, sum, c.arg, draft, ctx.t, ctx.locale);
    return sendView(ctx, { text: ctx.t('card.pick_edit'), keyboard: kb }, true);
  }
  if (c.op === 'e') {
    if (c.arg === undefined) return showCurrent(ctx, s, { edit: true });
    path = sum.items[c.arg - 1]?.path;
  } else {
    const rule = sum.errors[0];
    path = sum.missing[0]?.path ?? (rule ? sum.items.find((i) => rule.fields.includes(i.fieldId) || rule.fields.includes(i.path))?.path ?? rule.fields[0] : undefined);
  }
  if (!path) return refuse(ctx, 'refuse.stale');
  const r = jumpTo(s.form, s.state, path, s.ectx);
  if (!r.ok) return void (await ctx.answerCallbackQuery({ text: `⚠️ ${ctx.t(r.error.key, r.error.params)}`, show_alert: true }));
  if (!commitState(ctx, s, r.state)) return refuse(ctx, 'refuse.stale');
  await showCurrent(ctx, s);
}

async function onSubmit(ctx: BotContext, s: Session): Promise<void> {
  const r = submitSession(ctx, s);
  if (!r.ok) {
    if (r.reason === 'stale') return refuse(ctx, 'refuse.stale');
    return showCurrent(ctx, s, { warning: `⚠️ ${ctx.t('card.not_ready')}` });
  }
  clearFocus(ctx.deps.db, ctx.actor!.personId);
  await submitReply(ctx, s, r);
  await showMenu(ctx);
}

/** Typed text, a shared location or a photo goes to the focused card, if any. */
async function focusedSession(ctx: BotContext): Promise<Session | undefined> {
  if (!ctx.actor) return undefined;
  const id = focusedDraftId(ctx.deps.db, ctx.actor.personId);
  if (!id) return undefined;
  const opened = openSession(ctx, id);
  if (!opened.ok) {
    clearFocus(ctx.deps.db, ctx.actor.personId);
    return undefined;
  }
  return opened.s;
}

/** The reply-keyboard buttons of a location question arrive as their texts. */
function replyButton(ctx: BotContext, text: string): Input | 'pause' | undefined {
  if (text === ctx.t('card.btn_back')) return { kind: 'back' };
  if (text === ctx.t('card.btn_skip')) return { kind: 'skip' };
  if (text === ctx.t('card.btn_pause')) return 'pause';
  return undefined;
}

cardInputFeature.on('message:text', async (ctx, next) => {
  if (ctx.message.text.startsWith('/')) return next();
  const s = await focusedSession(ctx);
  if (!s) return next();
  if (s.state.cursor === null) return showCurrent(ctx, s, { warning: `⚠️ ${ctx.t('card.use_summary_buttons')}` });
  const button = replyButton(ctx, ctx.message.text.trim());
  if (button === 'pause') {
    clearFocus(ctx.deps.db, ctx.actor!.personId);
    await ctx.reply(ctx.t('card.paused'), { reply_markup: { remove_keyboard: true } });
    return showMenu(ctx);
  }
  if (button) return apply(ctx, s, button);
  await apply(ctx, s, { kind: 'text', text: ctx.message.text }, { typed: true });
});

cardInputFeature.on('message:location', async (ctx, next) => {
  const s = await focusedSession(ctx);
  if (!s) return next();
  const loc = ctx.message.location;
  await apply(ctx, s, {
    kind: 'location',
    lat: loc.latitude,
    lon: loc.longitude,
    forwarded: !!ctx.message.forward_origin,
    // Only a forwarded location is refused (it proves nothing about where the helper is). A shared one counts as
    // live even without the device's accuracy: clients differ, and a helper on a village road must not be stuck.
    live: !ctx.message.forward_origin,
  });
});

cardInputFeature.on('message:photo', async (ctx, next) => {
  const s = await focusedSession(ctx);
  if (!s) return next();
  const fileId = ctx.message.photo.at(-1)!.file_id;
  const p = currentPrompt(s.form, s.state, s.ectx);
  if (!p.done && p.type === 'photo' && p.kind === 'field') return apply(ctx, s, { kind: 'photo', fileId });
  // a photo not asked for: the card's signed-paper evidence, kept without costing a question
  const r = attachPhoto(s.form, s.state, fileId, s.ectx);
  if (!r?.ok) return showCurrent(ctx, s, { warning: `⚠️ ${ctx.t('card.photo_not_needed')}` });
  if (!commitState(ctx, s, r.state)) return refuse(ctx, 'refuse.stale');
  const field = s.form.sections.flatMap((x) => x.fields).find((f) => f.type === 'photo' && JSON.stringify(s.state.answers[f.id] ?? null).includes(fileId));
  await showCurrent(ctx, s, { echo: ctx.t('card.photo_attached', { label: field ? pickText(field.label, ctx.locale) : '' }) });
});

/** Stickers, documents, voice … inside a card: say what is expected and ask again. */
cardInputFeature.on('message', async (ctx, next) => {
  // commands were passed on above: they belong to the features after this one (/quiz, /stats …), not to the card
  if (ctx.message.text !== undefined) return next();
  const s = await focusedSession(ctx);
  if (!s) return next();
  await showCurrent(ctx, s, { warning: `⚠️ ${ctx.t('card.unsupported_message')}` });
});
