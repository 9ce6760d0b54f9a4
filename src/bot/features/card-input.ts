import { flagMessage } from '../../core/visits/risk-flags.js';
import type { I18nKey } from '../../core/i18n-keys.js';
import { Composer, InlineKeyboard } from 'grammy';
import { advance, confirmWarnings, jumpTo, summarize, type Input } from '../../core/forms/index.js';
import { currentPrompt } from '../../core/forms/index.js';
import { compile, fieldAt } from '../../core/forms/compiled.js';
import { inputFromValue } from '../../core/forms/carry-forward.js';
import { clearFocus, focusedDraftId } from '../../db/focus-repo.js';
import { isProcessed } from '../../db/updates-repo.js';
import { localYear } from '../../core/time.js';
import { inPersonVisitDates } from '../../db/visits-repo.js';
import type { BotContext } from '../context.js';
import { parseCardCb, type CardCallback } from '../card/callbacks.js';
import { commitState, openSession, type Session } from '../card/session.js';
import { showCurrent } from '../card/show.js';
import { editItemsKeyboard, editSectionsKeyboard } from '../card/summary-view.js';
import { submitSession } from '../card/submit.js';
import { showMenu } from './menu.js';

/**
 * Everything typed or pressed inside a card: the engine decides, the new state is committed,
 * then the next question (or the same one with what is accepted) is sent.
 */
export const cardInputFeature = new Composer<BotContext>();

/**
 * Run after a card or a correction is stored, before the helper is told; a hook may add one button to that message
 * (the receipt) or tell someone else (the reviewer who asked for the correction).
 */
export const submitHooks: ((
  ctx: BotContext,
  submitted: { cardId: number; revision: number; draftId: number; householdId: number },
) => Promise<{ text: string; data: string } | void>)[] = [];

/** Callback queries answered already: Telegram takes one answer per query, the first one wins. */
const answered = new WeakSet<BotContext>();

async function answerOnce(ctx: BotContext, text?: string): Promise<void> {
  if (!ctx.callbackQuery || answered.has(ctx)) return;
  answered.add(ctx);
  await ctx.answerCallbackQuery(text ? { text, show_alert: true } : undefined);
}

async function refuse(ctx: BotContext, key: I18nKey): Promise<void> {
  if (ctx.callbackQuery && !answered.has(ctx)) await answerOnce(ctx, ctx.t(key));
  else await ctx.reply(ctx.t(key));
}

/** Applies one input; a rejected input gets the engine's reason and the same question again. */
async function apply(ctx: BotContext, s: Session, input: Input, attempt = 0): Promise<void> {
  const r = advance(s.form, s.state, input, s.ectx);
  if (!r.ok) {
    await ctx.reply(`⚠️ ${ctx.t(r.error.key, r.error.params)}`);
    return showCurrent(ctx, s);
  }
  if (!commitState(ctx, s, r.state)) return lostRace(ctx, s, input, attempt);
  if (input.kind === 'location') await ctx.reply(ctx.t('card.location_saved'), { reply_markup: { remove_keyboard: true } });
  if (input.kind === 'photo') await ctx.reply(ctx.t('card.photo_saved'));
  if (input.kind === 'toggle') return showCurrent(ctx, s); // the same question with the tick moved
  await showCurrent(ctx, s);
}

/**
 * The draft moved between reading and committing (another process took a message of the same chat).
 * The same update handled there: nothing more to do. A button: it was drawn for a step that is gone.
 * A typed answer, location or photo: it answers the question that is current now, as if it had come second.
 */
async function lostRace(ctx: BotContext, s: Session, input: Input, attempt: number): Promise<void> {
  if (isProcessed(ctx.deps.db, ctx.update.update_id)) {
    ctx.processedMarked = true;
    return;
  }
  if (ctx.callbackQuery || attempt >= 3) return refuse(ctx, 'refuse.stale');
  const reopened = openSession(ctx, s.draft.id);
  if (!reopened.ok) return refuse(ctx, reopened.reason === 'closed' ? 'card.closed' : 'refuse.not_yours');
  if (reopened.s.state.cursor === null) {
    await ctx.reply(ctx.t('card.use_summary_buttons'));
    return showCurrent(ctx, reopened.s);
  }
  return apply(ctx, reopened.s, input, attempt + 1);
}

cardInputFeature.callbackQuery(/^v:/, async (ctx) => {
  const c = parseCardCb(ctx.callbackQuery.data);
  if (!c) return refuse(ctx, 'refuse.stale');
  const opened = openSession(ctx, c.draftId);
  if (!opened.ok) return refuse(ctx, opened.reason === 'closed' ? 'card.closed' : 'refuse.not_yours');
  const s = opened.s;
  // A button drawn before the last accepted answer is stale: it must not change anything.
  if (c.step !== s.draft.step) return refuse(ctx, 'refuse.stale');
  await onButton(ctx, s, c);
  await answerOnce(ctx);
});

async function onButton(ctx: BotContext, s: Session, c: CardCallback): Promise<void> {
  const { db } = ctx.deps;
  const p = currentPrompt(s.form, s.state, s.ectx);
  const choice = (i: number | undefined) => (!p.done && i !== undefined ? p.choices?.[i]?.value : undefined);
  switch (c.op) {
    case 'c':
    case 't': {
      const value = choice(c.arg);
      if (value === undefined) return refuse(ctx, 'refuse.stale');
      return apply(ctx, s, { kind: c.op === 'c' ? 'choice' : 'toggle', value });
    }
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
    case 'nx':
      return apply(ctx, s, { kind: 'next' });
    case 'a':
      return apply(ctx, s, { kind: 'add' });
    case 'f':
      return apply(ctx, s, { kind: 'finish' });
    case 'r':
      return c.arg === undefined ? refuse(ctx, 'refuse.stale') : apply(ctx, s, { kind: 'remove', index: c.arg });
    case 'h':
      return showCurrent(ctx, s, { showHint: true });
    case 'p':
      clearFocus(db, ctx.actor!.personId);
      await ctx.reply(ctx.t('card.paused'));
      return showMenu(ctx);
    case 'e':
    case 'es':
    case 'ed':
      return onEdit(ctx, s, c);
    case 'w': {
      if (!p.done) return refuse(ctx, 'refuse.stale');
      if (!commitState(ctx, s, confirmWarnings(s.form, s.state, s.ectx))) return refuse(ctx, 'refuse.stale');
      return showCurrent(ctx, s);
    }
    case 'sub':
      return onSubmit(ctx, s);
    case 'rp': {
      // put last time's value back (typed over it by mistake): the same as answering it again
      if (p.done || p.previous === undefined) return refuse(ctx, 'refuse.stale');
      const field = fieldAt(compile(s.form), p.repeat?.id ?? p.fieldId, p.repeat ? p.fieldId : undefined);
      const again = field ? inputFromValue(field, p.previous) : null;
      if (!again || again.draft) return refuse(ctx, 'refuse.stale');
      return apply(ctx, s, again.input);
    }
  }
}

/** Summary navigation: pick a section, pick an answer, jump to it; or jump to the first thing to fix. */
async function onEdit(ctx: BotContext, s: Session, c: CardCallback): Promise<void> {
  const sum = summarize(s.form, s.state, s.ectx);
  const draft = { id: s.draft.id, step: s.draft.step };
  let path: string | undefined;
  if (c.op === 'es') {
    const kb = c.arg === undefined ? editSectionsKeyboard(s.form, sum, draft, ctx.t, ctx.locale) : editItemsKeyboard(s.form, sum, c.arg, draft, ctx.t, ctx.locale);
    return void (await ctx.reply(ctx.t('card.pick_edit'), { reply_markup: kb }));
  }
  if (c.op === 'e') {
    if (c.arg === undefined) return showCurrent(ctx, s);
    path = sum.items[c.arg - 1]?.path;
  } else {
    const rule = sum.errors[0];
    path = sum.missing[0]?.path ?? (rule ? sum.items.find((i) => rule.fields.includes(i.fieldId) || rule.fields.includes(i.path))?.path ?? rule.fields[0] : undefined);
  }
  if (!path) return refuse(ctx, 'refuse.stale');
  const r = jumpTo(s.form, s.state, path, s.ectx);
  if (!r.ok) {
    await ctx.reply(`⚠️ ${ctx.t(r.error.key, r.error.params)}`);
    return showCurrent(ctx, s);
  }
  if (!commitState(ctx, s, r.state)) return refuse(ctx, 'refuse.stale');
  await showCurrent(ctx, s);
}

async function onSubmit(ctx: BotContext, s: Session): Promise<void> {
  const { db, now, config, content } = ctx.deps;
  const r = submitSession(ctx, s);
  if (!r.ok) {
    if (r.reason === 'stale') return refuse(ctx, 'refuse.stale');
    await ctx.reply(ctx.t('card.not_ready'));
    return showCurrent(ctx, s);
  }
  clearFocus(db, ctx.actor!.personId);
  const year = localYear(now(), config.timezone);
  const count = (inPersonVisitDates(db, [s.household.id], `${year}-01-01`, `${year + 1}-01-01`).get(s.household.id) ?? []).length;
  const lines = [
    ctx.t(r.revision > 1 ? 'card.revised' : 'card.submitted', { head: s.household.headName, revision: r.revision }),
    ctx.t(r.inPerson ? 'card.counted' : 'card.not_counted', { count, target: content.settings.visits.target }),
  ];
  if (r.flags.length) {
    lines.push('', ctx.t('card.flags_title'));
    for (const f of r.flags) {
      const m = flagMessage(f.code, f.params);
      lines.push(`🚩 ${ctx.t(m.key, m.params)}`);
    }
    lines.push(ctx.t('card.flags_seen_by'));
  }
  const extra = new InlineKeyboard();
  for (const hook of submitHooks) {
    try {
      const button = await hook(ctx, { cardId: r.cardId, revision: r.revision, draftId: s.draft.id, householdId: s.household.id });
      if (button) extra.text(button.text, button.data).row();
    } catch (err) {
      ctx.deps.log.error({ updateId: ctx.update.update_id, err: String(err) }, 'after-submit hook failed');
    }
  }
  await ctx.reply(lines.join('\n'), extra.inline_keyboard.some((row) => row.length) ? { reply_markup: extra } : {});
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

cardInputFeature.on('message:text', async (ctx, next) => {
  if (ctx.message.text.startsWith('/')) return next();
  const s = await focusedSession(ctx);
  if (!s) return next();
  if (s.state.cursor === null) {
    await ctx.reply(ctx.t('card.use_summary_buttons'));
    return showCurrent(ctx, s);
  }
  await apply(ctx, s, { kind: 'text', text: ctx.message.text });
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
  const photo = ctx.message.photo.at(-1)!;
  await apply(ctx, s, { kind: 'photo', fileId: photo.file_id });
});

/** Stickers, documents, voice … inside a card: say what is expected and ask again. */
cardInputFeature.on('message', async (ctx, next) => {
  // commands were passed on above: they belong to the features after this one (/quiz, /stats …), not to the card
  if (ctx.message.text !== undefined) return next();
  const s = await focusedSession(ctx);
  if (!s) return next();
  await ctx.reply(ctx.t('card.unsupported_message'));
  await showCurrent(ctx, s);
});
