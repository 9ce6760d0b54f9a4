import { Composer, InlineKeyboard } from 'grammy';
import { answeredItems, jumpTo, pathLabel, type CardState, type FormDefinition } from '../../core/forms/index.js';
import { pickText, type Locale, type Text } from '../../core/text.js';
import { cardById, createDraft, draftById, lastSubmittedState } from '../../db/cards-repo.js';
import { helperHousehold } from '../../db/household-repo.js';
import { householdInScope } from '../../db/stats-repo.js';
import {
  chatOf, clearPendingReview, closeReviewByDraft, createReview, markReviewOpened, pendingReview,
  reviewById, setPendingReview,
} from '../../db/review-repo.js';
import { households } from '../../db/schema.js';
import { eq } from 'drizzle-orm';
import type { BotContext } from '../context.js';
import { cb, parseCb, parseId } from '../callback-data.js';
import { engineContextFor } from '../../app/card-context.js';
import { cancelHooks } from './cancel.js';
import { resumeDraft } from './visit.js';
import { refuseNotYours, requireScope } from './stats.js';

/**
 * Review that reaches the helper: a supervisor picks one answer of a card in their scope and writes a comment;
 * the helper gets a button that reopens exactly that answer; the correction is a new revision; the supervisor is told.
 */
export const reviewFeature = new Composer<BotContext>();

const MAX_COMMENT = 500;

/** The card, if its household lies in the supervisor's scope (else a refusal is sent). */
async function cardForSupervisor(ctx: BotContext, cardId: number | undefined) {
  const scope = await requireScope(ctx);
  if (!scope) return undefined;
  const card = cardId ? cardById(ctx.deps.db, cardId) : undefined;
  if (!card || !householdInScope(ctx.deps.db, scope, card.householdId)) {
    await refuseNotYours(ctx);
    return undefined;
  }
  return card;
}

/** The form a card was filled with (the card in force, if that form is no longer loaded). */
function form(ctx: BotContext, card?: { formId: string }): FormDefinition {
  return (card && ctx.deps.content.forms.get(card.formId)) ?? ctx.deps.content.card;
}

reviewFeature.callbackQuery(/^rv:/, async (ctx) => {
  const data = ctx.callbackQuery.data;
  const L = (x: Text) => pickText(x, ctx.locale);
  const c = parseCb(data, 'rv', 2);
  const s = parseCb(data, 'rv', 4);
  const op = (c ?? s)?.[0];
  const card = await cardForSupervisor(ctx, parseId((c ?? s)?.[1]));
  if (!card) return;
  const rev = s ? Number(s[2]) : card.revision;
  // a button drawn before the card was revised points at answers that may have moved
  if (rev !== card.revision || !['c', 's', 'f'].includes(op ?? '')) return void (await ctx.answerCallbackQuery({ text: ctx.t('refuse.stale'), show_alert: true }));
  await ctx.answerCallbackQuery();
  const def = form(ctx);
  const items = answeredItems(def, card.answers);
  if (op === 'c') {
    const kb = new InlineKeyboard();
    def.sections.forEach((section, i) => {
      if (items.some((it) => it.sectionIndex === i)) kb.text(L(section.title), cb('rv', 's', card.id, card.revision, i)).row();
    });
    return void (await ctx.reply(ctx.t('review.pick_section'), { reply_markup: kb }));
  }
  const n = s && /^\d{1,4}$/.test(s[3]) ? Number(s[3]) : -1;
  if (op === 's') {
    const kb = new InlineKeyboard();
    items.forEach((it, i) => {
      if (it.sectionIndex === n) kb.text(`${L(it.label)}：${L(it.display)}`.slice(0, 60), cb('rv', 'f', card.id, card.revision, i)).row();
    });
    return void (await ctx.reply(ctx.t('review.pick_field'), { reply_markup: kb }));
  }
  const item = items[n];
  if (!item) return void (await ctx.reply(ctx.t('refuse.stale')));
  setPendingReview(ctx.deps.db, ctx.actor!.personId, { cardId: card.id, revision: card.revision, path: item.path }, ctx.deps.now());
  await ctx.reply(ctx.t('review.ask_comment', { field: L(item.label), value: L(item.display) }));
});

/** The comment typed after picking a field: stored, sent to the helper with a button that reopens the field. */
reviewFeature.on('message:text', async (ctx, next) => {
  if (!ctx.actor || ctx.message.text.startsWith('/')) return next();
  const { db, now } = ctx.deps;
  const pending = pendingReview(db, ctx.actor.personId);
  if (!pending) return next();
  const card = await cardForSupervisor(ctx, pending.cardId);
  clearPendingReview(db, ctx.actor.personId);
  if (!card) return;
  if (card.revision !== pending.revision) return void (await ctx.reply(ctx.t('refuse.stale')));
  const comment = ctx.message.text.trim().slice(0, MAX_COMMENT);
  const review = createReview(
    db,
    { cardId: card.id, householdId: card.householdId, supervisorId: ctx.actor.personId, helperId: card.helperId, fieldPath: pending.path, comment },
    now(),
  );
  const h = db.select().from(households).where(eq(households.id, card.householdId)).get()!;
  const helper = chatOf(db, card.helperId);
  const label = pathLabel(form(ctx), pending.path);
  if (!helper) return void (await ctx.reply(ctx.t('review.helper_unreachable', { code: h.code, head: h.headName })));
  const locale = (helper.locale === 'en' ? 'en' : helper.locale === 'zh-CN' ? 'zh-CN' : ctx.deps.config.defaultLocale) as Locale;
  const t = ctx.deps.i18n.forLocale(locale);
  const text = t('review.to_helper', {
    supervisor: ctx.actor.name, code: h.code, head: h.headName, date: card.visitDate, field: pickText(label, locale), comment,
  });
  await ctx.api.sendMessage(helper.telegramId, text, { reply_markup: new InlineKeyboard().text(t('review.btn_fix'), cb('ro', review.id)) });
  await ctx.reply(ctx.t('review.sent', { helper: helper.name, code: h.code, head: h.headName, field: pickText(label, ctx.locale) }));
});

/** The helper's button: a correction draft of the card with the cursor on the reviewed field. */
reviewFeature.callbackQuery(/^ro:/, async (ctx) => {
  const { db, now } = ctx.deps;
  const id = parseId(parseCb(ctx.callbackQuery.data, 'ro', 1)?.[0]);
  const review = id ? reviewById(db, id) : undefined;
  if (!review || !ctx.actor || review.helperId !== ctx.actor.personId) return refuseNotYours(ctx);
  const card = cardById(db, review.cardId);
  const household = card ? helperHousehold(db, ctx.actor.personId, card.householdId) : undefined;
  if (!card || !household) return refuseNotYours(ctx);
  await ctx.answerCallbackQuery();
  if (review.status === 'revised') return void (await ctx.reply(ctx.t('review.already_done', { revision: review.revision ?? card.revision })));
  const open = review.draftId ? draftById(db, review.draftId) : undefined;
  if (open?.status === 'open') return resumeDraft(ctx, open.id);
  const def = form(ctx);
  const ectx = engineContextFor(ctx.deps, household, ctx.actor.personId);
  const saved = lastSubmittedState(db, card);
  const base: CardState = saved
    ? saved
    : { formId: def.id, formVersion: card.formVersion, cursor: null, answers: card.answers, previous: {}, origins: {}, closed: [], confirmedWarnings: [], startedAtMs: now() };
  const jumped = jumpTo(def, base, review.fieldPath, ectx);
  const state = jumped.ok ? jumped.state : base;
  const draft = createDraft(
    db,
    { householdId: card.householdId, helperId: ctx.actor.personId, formId: card.formId, formVersion: card.formVersion, state, reviseCardId: card.id, reviseReason: review.comment },
    now(),
  );
  markReviewOpened(db, review.id, draft.id);
  await ctx.reply(ctx.t('review.reopened', { field: pickText(pathLabel(def, review.fieldPath), ctx.locale), comment: review.comment }));
  await resumeDraft(ctx, draft.id);
});

/** After a correction is submitted: the review it answers is closed and the supervisor who asked is told. */
export async function closeReviewAndTell(ctx: BotContext, s: { draftId: number; revision: number }): Promise<void> {
  const { db, now } = ctx.deps;
  const review = closeReviewByDraft(db, s.draftId, s.revision, now());
  if (!review) return;
  const sup = chatOf(db, review.supervisorId);
  if (!sup) return;
  const locale = (sup.locale === 'en' ? 'en' : sup.locale === 'zh-CN' ? 'zh-CN' : ctx.deps.config.defaultLocale) as Locale;
  const t = ctx.deps.i18n.forLocale(locale);
  const h = db.select().from(households).where(eq(households.id, review.householdId)).get()!;
  const def = form(ctx);
  const card = cardById(db, review.cardId)!;
  const item = answeredItems(def, card.answers).find((it) => it.path === review.fieldPath);
  await ctx.api.sendMessage(
    sup.telegramId,
    t('review.revised_notice', {
      helper: ctx.actor!.name, code: h.code, head: h.headName, revision: s.revision,
      field: pickText(pathLabel(def, review.fieldPath), locale), value: item ? pickText(item.display, locale) : '—',
    }),
    { reply_markup: new InlineKeyboard().text(t('review.btn_view'), cb('sh', review.householdId)) },
  );
}

cancelHooks.push((ctx) => (ctx.actor ? clearPendingReview(ctx.deps.db, ctx.actor.personId) : false));
