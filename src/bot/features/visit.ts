import { Composer, InlineKeyboard } from 'grammy';
import { startCard, type Answers } from '../../core/forms/index.js';
import { hasRole } from '../../core/people/roles.js';
import { buildBriefing } from '../../core/visits/briefing.js';
import { cardBefore, createDraft, latestCard, openDrafts } from '../../db/cards-repo.js';
import { openFlagsOfHousehold } from '../../db/flags-repo.js';
import { flagMessage } from '../../core/visits/risk-flags.js';
import { clearFocus, setFocus } from '../../db/focus-repo.js';
import { correctionTarget } from '../../app/card/correct.js';
import { DIALOG } from '../conversations/ids.js';
import { helperHousehold, householdsOfHelper, type HouseholdSummary } from '../../db/household-repo.js';
import type { BotContext } from '../context.js';
import { cb, parseCb, parseId } from '../callback-data.js';
import { cardCb } from '../card/callbacks.js';
import { briefingText } from '../card/briefing-view.js';
import { engineContext, openSession } from '../card/session.js';
import { showCurrent } from '../card/show.js';
import { cancelHooks } from './cancel.js';

export const visitFeature = new Composer<BotContext>();


async function requireHelper(ctx: BotContext): Promise<boolean> {
  if (hasRole(ctx.actor, 'helper')) return true;
  if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: ctx.t('refuse.role'), show_alert: true });
  else await ctx.reply(ctx.t('refuse.role'));
  return false;
}

/** `/visit`: pick one of my households. */
async function pickHousehold(ctx: BotContext): Promise<void> {
  if (!(await requireHelper(ctx))) return;
  const list = householdsOfHelper(ctx.deps.db, ctx.actor!.personId);
  if (!list.length) return void (await ctx.reply(ctx.t('households.empty')));
  const kb = new InlineKeyboard();
  for (const h of list) kb.text(`${h.code} ${h.headName}（${h.villageName}）`, cb('vh', h.id)).row();
  await ctx.reply(ctx.t('visit.pick'), { reply_markup: kb });
}

visitFeature.command('visit', pickHousehold);
visitFeature.callbackQuery('m:visit', async (ctx) => {
  await ctx.answerCallbackQuery();
  await pickHousehold(ctx);
});

/** The household's previous card answers (before its first card the roster's facts prefill the card instead). */
function previousAnswers(ctx: BotContext, h: HouseholdSummary): Answers {
  const last = latestCard(ctx.deps.db, h.id);
  return last ? last.answers : {};
}

/** The card before the latest, for "what changed at the last visit". */
function cardBeforeLast(ctx: BotContext, householdId: number, lastCardId: number, lastDate: string): Answers | null {
  return cardBefore(ctx.deps.db, householdId, lastDate, lastCardId)?.answers ?? null;
}

/** A household picked: the pre-visit briefing, then "start the card" (or continue the open one). */
visitFeature.callbackQuery(/^vh:/, async (ctx) => {
  if (!(await requireHelper(ctx))) return;
  const id = parseId(parseCb(ctx.callbackQuery.data, 'vh', 1)?.[0]);
  const h = id ? helperHousehold(ctx.deps.db, ctx.actor!.personId, id) : undefined;
  if (!h) return void (await ctx.answerCallbackQuery({ text: ctx.t('refuse.not_yours'), show_alert: true }));
  await ctx.answerCallbackQuery();
  const form = ctx.deps.content.card;
  const last = latestCard(ctx.deps.db, h.id);
  const ectx = engineContext(ctx, h);
  const briefing = buildBriefing({
    form,
    today: ectx.today,
    household: { causeMain: h.causeMain, attribute: h.attribute },
    last: last ? { answers: last.answers, visitDate: last.visitDate, visitMode: last.visitMode } : null,
    beforeLast: last ? cardBeforeLast(ctx, h.id, last.id, last.visitDate) : null,
    openFlags: openFlagsOfHousehold(ctx.deps.db, h.id).map((f) => flagMessage(f.code, f.params)),
  });
  const visits = { count: Number(ectx.householdFacts?.in_person_visits_this_year ?? 0), target: ctx.deps.content.settings.visits.target };
  const open = openDrafts(ctx.deps.db, ctx.actor!.personId).find((d) => d.householdId === h.id);
  const kb = new InlineKeyboard();
  if (open) kb.text(ctx.t('visit.btn_continue'), cb('vg', open.id)).row().text(ctx.t('visit.btn_discard'), cardCb('dd', open.id, open.step)).row();
  else kb.text(ctx.t('visit.btn_start'), cb('vn', h.id)).row();
  if (last) kb.text(ctx.t('visit.btn_correct_last'), cb('vr', last.id)).row();
  await ctx.reply(briefingText(briefing, h, visits, ctx.t, ctx.locale), { reply_markup: kb });
});

/** Start a new card for a household (one open card per household and helper). */
visitFeature.callbackQuery(/^vn:/, async (ctx) => {
  if (!(await requireHelper(ctx))) return;
  const { db, now, content } = ctx.deps;
  const id = parseId(parseCb(ctx.callbackQuery.data, 'vn', 1)?.[0]);
  const h = id ? helperHousehold(db, ctx.actor!.personId, id) : undefined;
  if (!h) return void (await ctx.answerCallbackQuery({ text: ctx.t('refuse.not_yours'), show_alert: true }));
  await ctx.answerCallbackQuery();
  const existing = openDrafts(db, ctx.actor!.personId).find((d) => d.householdId === h.id && !d.reviseCardId);
  let draftId = existing?.id;
  if (!draftId) {
    const form = content.card;
    const state = startCard(form, engineContext(ctx, h), previousAnswers(ctx, h));
    draftId = createDraft(db, { householdId: h.id, helperId: ctx.actor!.personId, formId: form.id, formVersion: form.version, state }, now()).id;
  }
  await resumeDraft(ctx, draftId);
});

/** Continue a given draft. */
visitFeature.callbackQuery(/^vg:/, async (ctx) => {
  if (!(await requireHelper(ctx))) return;
  const id = parseId(parseCb(ctx.callbackQuery.data, 'vg', 1)?.[0]);
  if (!id) return void (await ctx.answerCallbackQuery({ text: ctx.t('refuse.stale'), show_alert: true }));
  await ctx.answerCallbackQuery();
  await resumeDraft(ctx, id);
});

/** Makes a draft the focused one and shows where it stopped. */
export async function resumeDraft(ctx: BotContext, draftId: number): Promise<void> {
  const opened = openSession(ctx, draftId);
  if (!opened.ok) return void (await ctx.reply(ctx.t(opened.reason === 'closed' ? 'card.closed' : 'refuse.not_yours')));
  setFocus(ctx.deps.db, ctx.actor!.personId, draftId, ctx.deps.now());
  await showCurrent(ctx, opened.s);
}

/** `/resume`: the only open card continues at once; several: pick one. */
async function resume(ctx: BotContext): Promise<void> {
  if (!(await requireHelper(ctx))) return;
  const drafts = openDrafts(ctx.deps.db, ctx.actor!.personId);
  if (!drafts.length) return void (await ctx.reply(ctx.t('visit.nothing_to_resume')));
  if (drafts.length === 1) return resumeDraft(ctx, drafts[0].id);
  const all = householdsOfHelper(ctx.deps.db, ctx.actor!.personId);
  const kb = new InlineKeyboard();
  for (const d of drafts) {
    const h = all.find((x) => x.id === d.householdId);
    if (h) kb.text(`${h.code} ${h.headName}`, cb('vg', d.id)).row();
  }
  await ctx.reply(ctx.t('visit.pick_draft'), { reply_markup: kb });
}

visitFeature.command('resume', resume);
visitFeature.callbackQuery('m:resume', async (ctx) => {
  await ctx.answerCallbackQuery();
  await resume(ctx);
});

/** "Correct the last card": the reason is asked in a dialog; the correction is a new revision, history kept. */
visitFeature.callbackQuery(/^vr:/, async (ctx) => {
  if (!(await requireHelper(ctx))) return;
  const id = parseId(parseCb(ctx.callbackQuery.data, 'vr', 1)?.[0]);
  const target = id ? correctionTarget(ctx.deps, ctx.actor, id) : undefined;
  if (!target?.ok) return void (await ctx.answerCallbackQuery({ text: ctx.t('refuse.not_yours'), show_alert: true }));
  await ctx.answerCallbackQuery();
  clearFocus(ctx.deps.db, ctx.actor!.personId);
  await ctx.conversation.exitAll();
  await ctx.conversation.enter(DIALOG.correctionReason, target.value.cardId, target.value.visitDate);
});

// `/cancel` pauses the card: the draft stays, typed text no longer goes to it.
cancelHooks.push((ctx) => (ctx.actor ? clearFocus(ctx.deps.db, ctx.actor.personId) : false));
