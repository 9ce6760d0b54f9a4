/**
 * `/push` (trainers): a short wizard (questions → audience → deadline → confirm) and the results of past pushes.
 * The wizard's state is one JSON row in `kv` per trainer, rewritten per step (design.md: a row beats a replaying
 * conversation for a dialog that must survive restarts); its buttons carry a nonce and are only valid for the
 * step on screen, so an old or forged button changes nothing.
 */
import { randomBytes } from 'node:crypto';
import { Composer, InlineKeyboard } from 'grammy';
import {
  aggregateResults,
  assembleQuiz,
  LEVEL_LABELS,
  LEVELS,
  selectAudience,
  topicScores,
  type AudienceCriteria,
  type Level,
} from '../../core/quiz/index.js';
import { hasRole } from '../../core/people/roles.js';
import { pickText } from '../../core/text.js';
import { localDateTime } from '../../core/time.js';
import { allAnswerRows, answerRows } from '../../db/quiz-attempt-repo.js';
import { assigneesOf, createPush, deliveryCounts, helperRows, pushById, pushesOfTrainer, unitsAndTowns } from '../../db/quiz-push-repo.js';
import type { QuestionRef } from '../../db/quiz-repo.js';
import { deleteKv, readKv, writeKv } from '../../db/kv-repo.js';
import { notifyPushQueued } from '../../jobs/push-queue.js';
import { cb, parseCb, parseId } from '../callback-data.js';
import type { BotContext } from '../context.js';
import { resultsText } from '../render/quiz-results.js';
import { topicToken } from '../render/quiz.js';
import { cancelHooks } from './cancel.js';
import { catalogOf } from './quiz.js';

export const pushFeature = new Composer<BotContext>();

type Step = 'src' | 'topic' | 'level' | 'bank' | 'count' | 'aud' | 'unit' | 'town' | 'btopic' | 'thr' | 'deadline' | 'confirm';

interface Wizard {
  n: string;
  step: Step;
  sel: { by: 'topic' | 'level' | 'bank' | 'all'; value?: string };
  count?: number;
  aud?: AudienceCriteria;
  questions?: QuestionRef[];
  deadline?: number;
}

const COUNTS = [5, 10, 20];
const DAYS = [3, 7, 14];
const THRESHOLDS = [60, 80];
const DAY_MS = 24 * 3600 * 1000;
const key = (personId: number) => `push:wizard:${personId}`;

cancelHooks.push((ctx) => (ctx.actor ? deleteKv(ctx.deps.db, key(ctx.actor.personId)) : false));

function isTrainer(ctx: BotContext): boolean {
  return hasRole(ctx.actor, 'trainer');
}

/** The /push menu: a new push, or the results of recent ones. */
async function pushMenu(ctx: BotContext): Promise<void> {
  if (!isTrainer(ctx)) return void (await ctx.reply(ctx.t('refuse.role')));
  const kb = new InlineKeyboard().text(ctx.t('push.new'), 'pm:new').row();
  for (const p of pushesOfTrainer(ctx.deps.db, ctx.actor!.personId)) {
    kb.text(ctx.t('push.results_item', { id: p.id, count: p.questions.length, deadline: localDateTime(p.deadline, ctx.deps.config.timezone) }), cb('pr', p.id)).row();
  }
  await ctx.reply(ctx.t('push.menu'), { reply_markup: kb });
}

pushFeature.command('push', pushMenu);
pushFeature.callbackQuery('m:push', async (ctx) => {
  await ctx.answerCallbackQuery();
  await pushMenu(ctx);
});

pushFeature.callbackQuery('pm:new', async (ctx) => {
  await ctx.answerCallbackQuery();
  if (!isTrainer(ctx)) return void (await ctx.reply(ctx.t('refuse.role')));
  const w: Wizard = { n: randomBytes(4).toString('hex'), step: 'src', sel: { by: 'all' } };
  await show(ctx, w);
});

/** Saves the wizard and shows its current step. */
async function show(ctx: BotContext, w: Wizard): Promise<void> {
  const { db, now, config } = ctx.deps;
  writeKv(db, key(ctx.actor!.personId), w, now());
  const b = (action: string, arg: string | number) => cb('pw', w.n, action, arg);
  const kb = new InlineKeyboard();
  const cat = catalogOf(ctx);
  const topics = [...new Set(cat.questions.map((q) => q.topic))];
  let text: string;
  switch (w.step) {
    case 'src':
      text = ctx.t('push.ask_source');
      kb.text(ctx.t('push.by_topic'), b('by', 'topic')).text(ctx.t('push.by_level'), b('by', 'level')).row();
      kb.text(ctx.t('push.by_bank'), b('by', 'bank')).text(ctx.t('push.by_all'), b('by', 'all'));
      break;
    case 'topic':
    case 'btopic':
      text = ctx.t(w.step === 'topic' ? 'push.ask_topic' : 'push.ask_weak_topic');
      for (const t of topics) kb.text(pickText(cat.topicLabel(t), ctx.locale), b(w.step === 'topic' ? 'tp' : 'bt', topicToken(t))).row();
      break;
    case 'level':
      text = ctx.t('push.ask_level');
      for (const l of LEVELS) kb.text(pickText(LEVEL_LABELS[l], ctx.locale), b('lv', l));
      break;
    case 'bank':
      text = ctx.t('push.ask_bank');
      cat.banks.forEach((bank, i) => kb.text(pickText(bank.title, ctx.locale), b('bk', i)).row());
      break;
    case 'count':
      text = ctx.t('push.ask_count');
      for (const c of COUNTS) kb.text(String(c), b('ct', c));
      break;
    case 'aud':
      text = ctx.t('push.ask_audience');
      kb.text(ctx.t('push.aud_unit'), b('au', 'unit')).text(ctx.t('push.aud_town'), b('au', 'town')).row();
      kb.text(ctx.t('push.aud_all'), b('au', 'all')).text(ctx.t('push.aud_below'), b('au', 'below'));
      break;
    case 'unit':
    case 'town': {
      text = ctx.t(w.step === 'unit' ? 'push.ask_unit' : 'push.ask_town');
      const places = unitsAndTowns(db)[w.step === 'unit' ? 'units' : 'towns'];
      for (const p of places) kb.text(p.name, b(w.step === 'unit' ? 'un' : 'tw', p.id)).row();
      break;
    }
    case 'thr':
      text = ctx.t('push.ask_threshold');
      for (const th of THRESHOLDS) kb.text(`< ${th}%`, b('th', th));
      break;
    case 'deadline':
      text = ctx.t('push.ask_deadline');
      for (const d of DAYS) kb.text(ctx.t('push.days', { count: d }), b('dl', d));
      break;
    case 'confirm': {
      const recipients = audienceOf(ctx, w.aud!);
      text = ctx.t('push.summary', {
        count: w.questions!.length,
        recipients: recipients.length,
        deadline: localDateTime(w.deadline!, config.timezone),
      });
      if (recipients.length > 0) kb.text(ctx.t('push.confirm'), b('ok', 0));
      kb.text(ctx.t('push.cancel'), b('no', 0));
      break;
    }
  }
  await ctx.reply(text, { reply_markup: kb });
}

/** Person ids the criteria select now. */
function audienceOf(ctx: BotContext, aud: AudienceCriteria): number[] {
  const { db } = ctx.deps;
  const scores = aud.kind === 'below' ? topicScores(allAnswerRows(db), new Map(catalogOf(ctx).questions.map((q) => [q.id, q.topic]))) : [];
  return selectAudience(helperRows(db), scores, aud).map(Number);
}

/** Which step each button belongs to. */
const STEP_OF: Record<string, Step> = {
  by: 'src', tp: 'topic', lv: 'level', bk: 'bank', ct: 'count', au: 'aud', un: 'unit', tw: 'town', bt: 'btopic', th: 'thr', dl: 'deadline', ok: 'confirm', no: 'confirm',
};

pushFeature.callbackQuery(/^pw:/, async (ctx) => {
  const parts = parseCb(ctx.callbackQuery.data, 'pw', 3);
  const stale = () => ctx.answerCallbackQuery({ text: ctx.t('refuse.stale'), show_alert: true });
  if (!isTrainer(ctx) || !parts) return void (await stale());
  const [nonce, action, arg] = parts;
  const { db, now } = ctx.deps;
  const w = readKv<Wizard>(db, key(ctx.actor!.personId));
  if (!w || w.n !== nonce || STEP_OF[action] !== w.step) return void (await stale());
  const next = advance(ctx, w, action, arg);
  if (!next) return void (await stale());
  await ctx.answerCallbackQuery();
  await ctx.editMessageReplyMarkup().catch(() => undefined);
  if (next === 'cancelled') {
    deleteKv(db, key(ctx.actor!.personId));
    return void (await ctx.reply(ctx.t('push.cancelled')));
  }
  if (next === 'confirmed') {
    const recipients = audienceOf(ctx, w.aud!);
    const pushId = createPush(db, {
      trainerId: ctx.actor!.personId,
      questions: w.questions!,
      selection: { ...w.sel, count: w.count },
      audience: w.aud!,
      deadline: w.deadline!,
      personIds: recipients,
      now: now(),
    });
    deleteKv(db, key(ctx.actor!.personId));
    notifyPushQueued();
    ctx.deps.log.info({ pushId, recipients: recipients.length }, 'quiz pushed');
    return void (await ctx.reply(ctx.t('push.queued', { id: pushId, recipients: recipients.length }), {
      reply_markup: new InlineKeyboard().text(ctx.t('push.see_results'), cb('pr', pushId)),
    }));
  }
  await show(ctx, next);
});

/** The wizard after a button, 'cancelled' / 'confirmed', or undefined for an argument that is not on offer. */
function advance(ctx: BotContext, w: Wizard, action: string, arg: string): Wizard | 'cancelled' | 'confirmed' | undefined {
  const cat = catalogOf(ctx);
  const topicOf = (token: string) => [...new Set(cat.questions.map((q) => q.topic))].find((t) => topicToken(t) === token);
  const num = (list: number[]) => (list.includes(Number(arg)) ? Number(arg) : undefined);
  switch (action) {
    case 'by':
      if (arg === 'all') return { ...w, sel: { by: 'all' }, step: 'count' };
      if (arg === 'topic' || arg === 'level' || arg === 'bank') return { ...w, sel: { by: arg }, step: arg };
      return undefined;
    case 'tp': {
      const topic = topicOf(arg);
      return topic === undefined ? undefined : { ...w, sel: { by: 'topic', value: topic }, step: 'count' };
    }
    case 'lv':
      return (LEVELS as readonly string[]).includes(arg) ? { ...w, sel: { by: 'level', value: arg }, step: 'count' } : undefined;
    case 'bk': {
      const bank = cat.banks[Number(arg)];
      return bank && /^\d+$/.test(arg) ? { ...w, sel: { by: 'bank', value: bank.id }, step: 'count' } : undefined;
    }
    case 'ct': {
      const count = num(COUNTS);
      if (count === undefined) return undefined;
      const pool = w.sel.by === 'bank' ? { questions: cat.questions.filter((q) => cat.bankOf.get(q.id) === w.sel.value) } : cat;
      const picked = assembleQuiz(pool, {
        count,
        topic: w.sel.by === 'topic' ? w.sel.value : undefined,
        level: w.sel.by === 'level' ? (w.sel.value as Level) : undefined,
        seed: `${ctx.actor!.personId}:${ctx.deps.now()}`,
      });
      if (!picked.ok) return undefined;
      return { ...w, count, questions: picked.questions.map((q) => ({ id: q.id, v: q.version })), step: 'aud' };
    }
    case 'au':
      if (arg === 'all') return { ...w, aud: { kind: 'all' }, step: 'deadline' };
      if (arg === 'unit' || arg === 'town') return { ...w, step: arg };
      if (arg === 'below') return { ...w, step: 'btopic' };
      return undefined;
    case 'un':
    case 'tw': {
      const places = unitsAndTowns(ctx.deps.db)[action === 'un' ? 'units' : 'towns'];
      const id = parseId(arg);
      if (!places.some((p) => p.id === id)) return undefined;
      return { ...w, aud: action === 'un' ? { kind: 'unit', unitId: String(id) } : { kind: 'town', townId: String(id) }, step: 'deadline' };
    }
    case 'bt': {
      const topic = topicOf(arg);
      return topic === undefined ? undefined : { ...w, aud: { kind: 'below', topic, threshold: 0 }, step: 'thr' };
    }
    case 'th': {
      const threshold = num(THRESHOLDS);
      return threshold === undefined ? undefined : { ...w, aud: { ...w.aud!, threshold }, step: 'deadline' };
    }
    case 'dl': {
      const days = num(DAYS);
      return days === undefined ? undefined : { ...w, deadline: ctx.deps.now() + days * DAY_MS, step: 'confirm' };
    }
    case 'ok':
      return audienceOf(ctx, w.aud!).length > 0 ? 'confirmed' : undefined;
    case 'no':
      return 'cancelled';
  }
  return undefined;
}

/** `pr:<push>`: the results of one of the trainer's pushes. */
pushFeature.callbackQuery(/^pr:/, async (ctx) => {
  const [idText] = parseCb(ctx.callbackQuery.data, 'pr', 1) ?? [];
  const { db, config } = ctx.deps;
  const push = parseId(idText) ? pushById(db, Number(idText)) : undefined;
  if (!push) return void (await ctx.answerCallbackQuery({ text: ctx.t('refuse.stale'), show_alert: true }));
  if (push.trainerId !== ctx.actor?.personId && !hasRole(ctx.actor, 'admin')) {
    return void (await ctx.answerCallbackQuery({ text: ctx.t('refuse.not_yours'), show_alert: true }));
  }
  await ctx.answerCallbackQuery();
  const results = aggregateResults({
    quizId: String(push.id),
    questionIds: push.questions.map((q) => q.id),
    assignees: assigneesOf(db, push.id),
    answers: answerRows(db, { pushId: push.id }),
  });
  const { units } = unitsAndTowns(db);
  const text = resultsText(
    {
      push,
      results,
      deliveries: deliveryCounts(db, push.id),
      unitNames: new Map(units.map((u) => [String(u.id), u.name])),
      catalog: catalogOf(ctx),
      timezone: config.timezone,
    },
    ctx.locale,
    ctx.t,
  );
  await ctx.reply(text, { reply_markup: new InlineKeyboard().text(ctx.t('push.refresh'), cb('pr', push.id)) });
});
