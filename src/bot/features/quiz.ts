/**
 * `/quiz`: take a pushed quiz, practise a topic or a level, or redo "my weak spots". One question per message;
 * every button carries the attempt id and position and is re-checked against the current user and position.
 */
import { Composer, InlineKeyboard } from 'grammy';
import { assembleQuiz, LEVEL_LABELS, LEVELS, weakSpots, type Level, type Question } from '../../core/quiz/index.js';
import { hasRole } from '../../core/people/roles.js';
import { pickText } from '../../core/text.js';
import { localDateTime } from '../../core/time.js';
import {
  answerRows,
  attemptById,
  attemptForPush,
  cardsOf,
  markShown,
  recordAnswer,
  setPending,
  startAttempt,
  type Attempt,
  type AttemptKind,
} from '../../db/quiz-attempt-repo.js';
import { isRecipient, openPushesFor, pushById } from '../../db/quiz-push-repo.js';
import { loadCatalog, questionVersion, type Catalog, type QuestionRef } from '../../db/quiz-repo.js';
import { cb, parseCb, parseId } from '../callback-data.js';
import type { BotContext } from '../context.js';
import { feedbackText, questionMessage, scoreText, topicToken } from '../render/quiz.js';

export const quizFeature = new Composer<BotContext>();

/** Questions in a practice or weak-spot sitting. */
export const PRACTICE_COUNT = 5;

/** The live catalogue for this update. */
export function catalogOf(ctx: BotContext): Catalog {
  return loadCatalog(ctx.deps.db, ctx.deps.content.quizzes, ctx.deps.now());
}

function mayQuiz(ctx: BotContext): boolean {
  return hasRole(ctx.actor, 'helper') || hasRole(ctx.actor, 'trainer');
}

async function refuse(ctx: BotContext, key: 'refuse.stale' | 'refuse.not_yours'): Promise<void> {
  await ctx.answerCallbackQuery({ text: ctx.t(key), show_alert: true });
}

/** The /quiz menu: open pushed quizzes first, then practice and weak spots. */
async function quizMenu(ctx: BotContext): Promise<void> {
  if (!mayQuiz(ctx)) return void (await ctx.reply(ctx.t('refuse.role')));
  const { db, now, config } = ctx.deps;
  const me = ctx.actor!.personId;
  const kb = new InlineKeyboard();
  for (const p of openPushesFor(db, me, now())) {
    kb.text(ctx.t('quizbot.push_item', { id: p.id, count: p.questions.length, deadline: localDateTime(p.deadline, config.timezone) }), cb('qz', 'p', p.id)).row();
  }
  const due = cardsOf(db, me).filter((c) => c.due <= now()).length;
  kb.text(ctx.t('quizbot.by_topic'), cb('qz', 'tl')).text(ctx.t('quizbot.by_level'), cb('qz', 'll')).row();
  kb.text(ctx.t('quizbot.weak_count', { count: due }), cb('qz', 'w'));
  await ctx.reply(ctx.t('quizbot.menu'), { reply_markup: kb });
}

quizFeature.command('quiz', quizMenu);
quizFeature.callbackQuery('m:quiz', async (ctx) => {
  await ctx.answerCallbackQuery();
  await quizMenu(ctx);
});

quizFeature.callbackQuery('qz:tl', async (ctx) => {
  await ctx.answerCallbackQuery();
  if (!mayQuiz(ctx)) return void (await ctx.reply(ctx.t('refuse.role')));
  const cat = catalogOf(ctx);
  const kb = new InlineKeyboard();
  for (const topic of [...new Set(cat.questions.map((q) => q.topic))]) kb.text(pickText(cat.topicLabel(topic), ctx.locale), cb('qz', 't', topicToken(topic))).row();
  await ctx.reply(ctx.t('quizbot.pick_topic'), { reply_markup: kb });
});

quizFeature.callbackQuery('qz:ll', async (ctx) => {
  await ctx.answerCallbackQuery();
  if (!mayQuiz(ctx)) return void (await ctx.reply(ctx.t('refuse.role')));
  const present = new Set(catalogOf(ctx).questions.map((q) => q.level));
  const kb = new InlineKeyboard();
  for (const l of LEVELS.filter((x) => present.has(x))) kb.text(pickText(LEVEL_LABELS[l], ctx.locale), cb('qz', 'l', l));
  await ctx.reply(ctx.t('quizbot.pick_level'), { reply_markup: kb });
});

/** Practice by topic (`qz:t:<token>`) or level (`qz:l:<level>`). */
quizFeature.callbackQuery(/^qz:[tl]:/, async (ctx) => {
  if (!mayQuiz(ctx)) return refuse(ctx, 'refuse.stale');
  const [kind, arg] = ctx.callbackQuery.data.split(':').slice(1);
  const cat = catalogOf(ctx);
  let filter: { topic?: string; level?: Level } | undefined;
  if (kind === 't') {
    const topic = [...new Set(cat.questions.map((q) => q.topic))].find((x) => topicToken(x) === arg);
    if (topic !== undefined) filter = { topic };
  } else if ((LEVELS as readonly string[]).includes(arg)) filter = { level: arg as Level };
  if (!filter) return refuse(ctx, 'refuse.stale');
  const picked = assembleQuiz(cat, { ...filter, count: PRACTICE_COUNT, seed: `${ctx.actor!.personId}:${ctx.deps.now()}` });
  await ctx.answerCallbackQuery();
  if (!picked.ok) return void (await ctx.reply(ctx.t('quizbot.none_matching')));
  await begin(ctx, 'practice', picked.questions.map(ref));
});

const ref = (q: Question): QuestionRef => ({ id: q.id, v: q.version });

/** "My weak spots": Leitner cards due, then the most-missed questions. */
quizFeature.callbackQuery('qz:w', async (ctx) => {
  await ctx.answerCallbackQuery();
  if (!mayQuiz(ctx)) return void (await ctx.reply(ctx.t('refuse.role')));
  const { db, now } = ctx.deps;
  const me = ctx.actor!.personId;
  const cat = catalogOf(ctx);
  const ids = weakSpots({ cards: cardsOf(db, me), answers: answerRows(db, { personId: me }) }, now(), PRACTICE_COUNT * 4)
    .filter((id) => cat.byId.has(id))
    .slice(0, PRACTICE_COUNT);
  if (ids.length === 0) return void (await ctx.reply(ctx.t('quizbot.no_weak')));
  await begin(ctx, 'weak', ids.map((id) => ref(cat.byId.get(id)!)));
});

/** A pushed quiz: start it, resume it, or show the score when already done. */
quizFeature.callbackQuery(/^qz:p:/, async (ctx) => {
  const [idText] = parseCb(ctx.callbackQuery.data, 'qz', 2)?.slice(1) ?? [];
  const pushId = parseId(idText);
  const { db, now, config } = ctx.deps;
  const push = pushId ? pushById(db, pushId) : undefined;
  if (!push) return refuse(ctx, 'refuse.stale');
  const me = ctx.actor!.personId;
  if (!isRecipient(db, push.id, me)) return refuse(ctx, 'refuse.not_yours');
  await ctx.answerCallbackQuery();
  const attempt = startAttemptIfOpen(ctx, push.id, push.questions, push.deadline);
  if (!attempt) return void (await ctx.reply(ctx.t('quizbot.closed', { deadline: localDateTime(push.deadline, config.timezone) })));
  if (attempt.finishedAt !== null) return void (await ctx.reply(scoreText(attempt.correctCount, attempt.questions.length, ctx.t)));
  markShown(db, attempt.id, now());
  await showQuestion(ctx, attempt);
});

/** After the deadline only a finished attempt can be looked at; before it, start or resume. */
function startAttemptIfOpen(ctx: BotContext, pushId: number, questions: QuestionRef[], deadline: number): Attempt | undefined {
  const { db, now } = ctx.deps;
  const me = ctx.actor!.personId;
  if (now() >= deadline) {
    const done = attemptForPush(db, me, pushId);
    return done && done.finishedAt !== null ? done : undefined;
  }
  return startAttempt(db, { personId: me, pushId, kind: 'push', questions, now: now() });
}

async function begin(ctx: BotContext, kind: AttemptKind, questions: QuestionRef[]): Promise<void> {
  const attempt = startAttempt(ctx.deps.db, { personId: ctx.actor!.personId, kind, questions, now: ctx.deps.now() });
  await showQuestion(ctx, attempt);
}

async function showQuestion(ctx: BotContext, a: Attempt): Promise<void> {
  const q = questionVersion(ctx.deps.db, a.questions[a.position]);
  if (!q) return void (await ctx.reply(ctx.t('quizbot.none_matching')));
  const cat = catalogOf(ctx);
  const msg = questionMessage(q, { attemptId: a.id, position: a.position, total: a.questions.length, pending: a.pending }, cat.topicLabel(q.topic), ctx.locale, ctx.t);
  await ctx.reply(msg.text, { reply_markup: msg.keyboard });
}

/** Loads the attempt behind a button and checks owner, position and state. */
function checkButton(ctx: BotContext, idText: string | undefined, posText: string | undefined): Attempt | 'stale' | 'not_yours' {
  const id = parseId(idText);
  const pos = posText !== undefined && /^\d{1,4}$/.test(posText) ? Number(posText) : undefined;
  const a = id ? attemptById(ctx.deps.db, id) : undefined;
  if (!a || pos === undefined) return 'stale';
  if (a.personId !== ctx.actor?.personId) return 'not_yours';
  if (a.finishedAt !== null || a.position !== pos) return 'stale';
  return a;
}

/** `qa:<attempt>:<pos>:<option>`: answers a single-answer question, or toggles an option of a multi-answer one. */
quizFeature.callbackQuery(/^qa:/, async (ctx) => {
  const parts = parseCb(ctx.callbackQuery.data, 'qa', 3);
  const a = checkButton(ctx, parts?.[0], parts?.[1]);
  if (a === 'stale' || a === 'not_yours') return refuse(ctx, a === 'stale' ? 'refuse.stale' : 'refuse.not_yours');
  const q = questionVersion(ctx.deps.db, a.questions[a.position]);
  const option = parts?.[2] !== undefined && /^\d$/.test(parts[2]) ? Number(parts[2]) : -1;
  if (!q || option < 0 || option >= q.options.length) return refuse(ctx, 'refuse.stale');
  if (!q.multi) return answer(ctx, a, q, [option]);
  const pending = a.pending.includes(option) ? a.pending.filter((x) => x !== option) : [...a.pending, option].sort();
  if (!setPending(ctx.deps.db, a.id, a.position, pending)) return refuse(ctx, 'refuse.stale');
  await ctx.answerCallbackQuery();
  const cat = catalogOf(ctx);
  const msg = questionMessage(q, { attemptId: a.id, position: a.position, total: a.questions.length, pending }, cat.topicLabel(q.topic), ctx.locale, ctx.t);
  await ctx.editMessageReplyMarkup({ reply_markup: msg.keyboard }).catch(() => undefined);
});

/** `qs:<attempt>:<pos>`: submits the options toggled on a multi-answer question. */
quizFeature.callbackQuery(/^qs:/, async (ctx) => {
  const parts = parseCb(ctx.callbackQuery.data, 'qs', 2);
  const a = checkButton(ctx, parts?.[0], parts?.[1]);
  if (a === 'stale' || a === 'not_yours') return refuse(ctx, a === 'stale' ? 'refuse.stale' : 'refuse.not_yours');
  const q = questionVersion(ctx.deps.db, a.questions[a.position]);
  if (!q) return refuse(ctx, 'refuse.stale');
  if (a.pending.length === 0) return void (await ctx.answerCallbackQuery({ text: ctx.t('quizbot.pick_first'), show_alert: true }));
  await answer(ctx, a, q, a.pending);
});

/** Records the answer (committed before the reply), shows the feedback, then the next question or the score. */
async function answer(ctx: BotContext, a: Attempt, q: Question, choices: number[]): Promise<void> {
  const out = recordAnswer(ctx.deps.db, { attemptId: a.id, position: a.position, question: q, choices, now: ctx.deps.now() });
  if (!out.ok) return refuse(ctx, 'refuse.stale');
  await ctx.answerCallbackQuery({ text: out.correct ? ctx.t('quizbot.right') : ctx.t('quizbot.wrong_short') });
  const feedback = feedbackText(q, out.choices, out.correct, ctx.locale, ctx.t);
  await ctx.editMessageText(feedback).catch(() => ctx.reply(feedback));
  const next = out.attempt;
  if (next.finishedAt !== null) {
    await ctx.reply(scoreText(next.correctCount, next.questions.length, ctx.t), {
      reply_markup: new InlineKeyboard().text(ctx.t('quizbot.again'), 'm:quiz'),
    });
    return;
  }
  await showQuestion(ctx, next);
}
