/**
 * `/flags`: a supervisor's open risk flags, the card behind each, and "mark handled" with a note. The rules are in
 * src/app/flags.ts; this file only turns them into messages and buttons. Callback data:
 * `fl:p:<page>` a page, `fl:o:<flag>` one flag, `fl:h:<flag>` handle it, `fl:c:<card>` the whole card.
 */
import { Composer, InlineKeyboard } from 'grammy';
import { cardDossier } from '../../app/card-dossier.js';
import { FLAGS_PAGE_SIZE, flagForSupervisor, handleFlag, openFlags } from '../../app/flags.js';
import { localDateTime } from '../../core/time.js';
import { cardById } from '../../db/cards-repo.js';
import { setPending, takePending } from '../../db/focus-repo.js';
import { householdBrief } from '../../db/household-repo.js';
import { personName } from '../../db/people-repo.js';
import type { BotContext } from '../context.js';
import { cb, parseCb, parseId } from '../callback-data.js';
import { dossierMessages, flagState } from '../render/dossier.js';
import { cancelHooks } from './cancel.js';

export const flagsFeature = new Composer<BotContext>();

const REFUSAL = { role: 'refuse.role', not_yours: 'refuse.not_yours', missing: 'refuse.stale' } as const;

async function refuse(ctx: BotContext, reason: keyof typeof REFUSAL): Promise<void> {
  if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: ctx.t(REFUSAL[reason]), show_alert: true });
  else await ctx.reply(ctx.t(REFUSAL[reason]));
}

/** One page of open flags: the list as text, a button per flag, paging. */
async function showPage(ctx: BotContext, page: number): Promise<void> {
  const r = openFlags(ctx.actor, ctx.deps, page);
  if (!r.ok) return refuse(ctx, r.reason);
  if (ctx.callbackQuery) await ctx.answerCallbackQuery();
  const p = r.value;
  if (!p.total) return void (await ctx.reply(ctx.t('flags.none')));
  const lines = [ctx.t('flags.title', { total: p.total, page: p.page + 1, pages: p.pages }), ''];
  const kb = new InlineKeyboard();
  p.items.forEach((f, i) => {
    const n = p.page * FLAGS_PAGE_SIZE + i + 1;
    lines.push(
      ctx.t('flags.item', {
        n, level: ctx.t(f.level === 'high' ? 'flags.level_high' : 'flags.level_medium'), code: f.householdCode, head: f.headName,
        village: f.villageName, message: ctx.t(f.message.key, f.message.params), date: f.visitDate, helper: f.helperName,
      }),
    );
    kb.text(ctx.t('flags.btn_item', { n, code: f.householdCode, head: f.headName }), cb('fl', 'o', f.id));
    if (i % 2 === 1) kb.row();
  });
  kb.row();
  if (p.page > 0) kb.text(ctx.t('flags.btn_prev'), cb('fl', 'p', p.page - 1));
  if (p.page + 1 < p.pages) kb.text(ctx.t('flags.btn_next'), cb('fl', 'p', p.page + 1));
  await ctx.reply(lines.join('\n'), { reply_markup: kb });
}

flagsFeature.command('flags', (ctx) => showPage(ctx, 0));
flagsFeature.callbackQuery('m:flags', (ctx) => showPage(ctx, 0));

flagsFeature.callbackQuery(/^fl:/, async (ctx) => {
  const parts = parseCb(ctx.callbackQuery.data, 'fl', 2);
  const op = parts?.[0];
  const arg = parts?.[1] === '0' ? 0 : parseId(parts?.[1]);
  if (arg === undefined || !op) return refuse(ctx, 'missing');
  if (op === 'p') return showPage(ctx, arg);
  if (op === 'o') return showFlag(ctx, arg);
  if (op === 'h') return askNote(ctx, arg);
  if (op === 'c') return showCard(ctx, arg);
  return refuse(ctx, 'missing');
});

/** One flag: what it says, whose card, its state, and what can be done. */
async function showFlag(ctx: BotContext, flagId: number): Promise<void> {
  const r = flagForSupervisor(ctx.actor, ctx.deps, flagId);
  if (!r.ok) return refuse(ctx, r.reason);
  await ctx.answerCallbackQuery();
  const f = r.value;
  const { db, config } = ctx.deps;
  const card = cardById(db, f.cardId)!;
  const h = householdBrief(db, f.householdId)!;
  const text = ctx.t('flags.detail', {
    message: ctx.t(f.message.key, f.message.params), code: h.code, head: h.headName, village: h.villageName,
    helper: personName(db, card.helperId) ?? '—', date: card.visitDate, revision: f.revision,
    at: localDateTime(f.createdAt, config.timezone), state: flagState(f, ctx.t, config.timezone),
  });
  const kb = new InlineKeyboard();
  if (f.resolvedAt === null) kb.text(ctx.t('flags.btn_handle'), cb('fl', 'h', f.id)).row();
  kb.text(ctx.t('flags.btn_card'), cb('fl', 'c', f.cardId)).text(ctx.t('review.btn_send_back'), cb('rv', 'c', f.cardId)).row();
  kb.text(ctx.t('flags.btn_list'), cb('fl', 'p', 0));
  await ctx.reply(text, { reply_markup: kb });
}

/** The whole card behind a flag: answers, figures, revisions, evidence. */
async function showCard(ctx: BotContext, cardId: number): Promise<void> {
  const r = cardDossier(ctx.actor, ctx.deps, cardId);
  if (!r.ok) return refuse(ctx, r.reason);
  await ctx.answerCallbackQuery();
  const messages = dossierMessages(r.value, ctx.t, ctx.locale, ctx.deps.config.timezone);
  const kb = new InlineKeyboard().text(ctx.t('review.btn_send_back'), cb('rv', 'c', cardId)).row().text(ctx.t('flags.btn_list'), cb('fl', 'p', 0));
  for (const [i, m] of messages.entries()) await ctx.reply(m, i === messages.length - 1 ? { reply_markup: kb } : {});
}

async function askNote(ctx: BotContext, flagId: number): Promise<void> {
  const r = flagForSupervisor(ctx.actor, ctx.deps, flagId);
  if (!r.ok) return refuse(ctx, r.reason);
  await ctx.answerCallbackQuery();
  if (r.value.resolvedAt !== null) return void (await ctx.reply(ctx.t('flags.not_open')));
  setPending(ctx.deps.db, ctx.actor!.personId, 'flagnote', flagId, ctx.deps.now());
  await ctx.reply(ctx.t('flags.ask_note'));
}

/** The note typed after "mark handled". */
flagsFeature.on('message:text', async (ctx, next) => {
  if (!ctx.actor || ctx.message.text.startsWith('/')) return next();
  const flagId = takePending(ctx.deps.db, ctx.actor.personId, 'flagnote');
  if (!flagId) return next();
  const r = handleFlag(ctx.actor, ctx.deps, flagId, ctx.message.text);
  if (!r.ok) {
    if (r.reason === 'note_short') {
      setPending(ctx.deps.db, ctx.actor.personId, 'flagnote', flagId, ctx.deps.now());
      return void (await ctx.reply(ctx.t('flags.note_short')));
    }
    if (r.reason === 'not_open') return void (await ctx.reply(ctx.t('flags.not_open')));
    return refuse(ctx, r.reason);
  }
  const f = flagForSupervisor(ctx.actor, ctx.deps, flagId);
  const message = f.ok ? ctx.t(f.value.message.key, f.value.message.params) : '';
  await ctx.reply(ctx.t('flags.handled', { message, note: f.ok ? (f.value.note ?? '') : '', remaining: r.value.remaining }), {
    reply_markup: new InlineKeyboard().text(ctx.t('flags.btn_list'), cb('fl', 'p', 0)),
  });
});

cancelHooks.push((ctx) => (ctx.actor ? takePending(ctx.deps.db, ctx.actor.personId, 'flagnote') !== undefined : false));
