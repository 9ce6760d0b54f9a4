/**
 * `/quiz` in Telegram: each command or button goes to its use case (src/app/quiz) and the view comes back as a
 * message; an answer replaces the question with its feedback, then the next question or the score follows.
 */
import { Composer } from 'grammy';
import type { Result } from '../../app/deps.js';
import { answerTyped, chooseOption, submitChoices, type AnswerOutcome } from '../../app/quiz/answer.js';
import { knowledgeView } from '../../app/quiz/knowledge.js';
import { levelChoices, openPushedQuiz, practise, practiseGaps, practiseWeakSpots, quizMenu, topicChoices } from '../../app/quiz/practice.js';
import { refusalPiece, type QuizRefusal } from '../../app/quiz/refusals.js';
import type { ChatView } from '../../app/views.js';
import { encodeAction, onAction } from '../actions.js';
import type { BotContext, ChatContext } from '../context.js';
import { renderPiece } from '../render/view.js';
import { editButtons, editView, replyView, notice } from '../render/send.js';

export const quizFeature = new Composer<BotContext>();

/** A view to send, or the refusal; a pressed button is answered either way. */
async function show(ctx: ChatContext, r: Result<{ view: ChatView } | ChatView, QuizRefusal>): Promise<void> {
  if (!r.ok) return notice(ctx, refusalPiece(r.reason));
  if (ctx.callbackQuery) await ctx.answerCallbackQuery();
  await replyView(ctx, 'view' in r.value ? r.value.view : r.value);
}

quizFeature.command('quiz', (ctx) => show(ctx, quizMenu(ctx.deps, ctx.actor)));
quizFeature.callbackQuery(encodeAction('menu', ['quiz']), (ctx) => show(ctx, quizMenu(ctx.deps, ctx.actor)));
quizFeature.use(onAction('quiz:topics', (ctx) => show(ctx, topicChoices(ctx.deps, ctx.actor))));
quizFeature.use(onAction('quiz:levels', (ctx) => show(ctx, levelChoices(ctx.deps, ctx.actor))));
quizFeature.use(onAction('quiz:topic', (ctx, [token]) => show(ctx, practise(ctx.deps, ctx.actor, { topic: token }))));
quizFeature.use(onAction('quiz:level', (ctx, [level]) => show(ctx, practise(ctx.deps, ctx.actor, { level }))));
quizFeature.use(onAction('quiz:weak', (ctx) => show(ctx, practiseWeakSpots(ctx.deps, ctx.actor))));
quizFeature.use(onAction('quiz:known', (ctx) => show(ctx, knowledgeView(ctx.deps, ctx.actor))));
quizFeature.use(onAction('quiz:gaps', (ctx) => show(ctx, practiseGaps(ctx.deps, ctx.actor))));
quizFeature.use(onAction('quiz:push', (ctx, [push]) => show(ctx, openPushedQuiz(ctx.deps, ctx.actor, push))));

quizFeature.use(onAction('quiz:answer', (ctx, [attempt, position, option]) => answered(ctx, chooseOption(ctx.deps, ctx.actor, attempt, position, option))));
quizFeature.use(onAction('quiz:submit', (ctx, [attempt, position]) => answered(ctx, submitChoices(ctx.deps, ctx.actor, attempt, position))));

// a letter typed instead of pressed: answered like the button; any other text goes on to the features after this one
quizFeature.on('message:text', async (ctx, next) => {
  const r = answerTyped(ctx.deps, ctx.actor, ctx.message.text);
  if (!r) return next();
  if (!r.ok) return notice(ctx, refusalPiece(r.reason));
  if (r.value.kind !== 'answered') return next();
  await replyView(ctx, r.value.feedback);
  await replyView(ctx, r.value.next);
});

/** A tick redraws the buttons; an answer (already committed) shows its verdict, its feedback, then what is next. */
async function answered(ctx: ChatContext, r: Result<AnswerOutcome, QuizRefusal>): Promise<void> {
  if (!r.ok) return notice(ctx, refusalPiece(r.reason));
  const out = r.value;
  if (out.kind === 'toggled') {
    await ctx.answerCallbackQuery();
    return editButtons(ctx, out.question);
  }
  await ctx.answerCallbackQuery({ text: renderPiece(out.verdict, ctx.t, ctx.locale) });
  await editView(ctx, out.feedback);
  await replyView(ctx, out.next);
}
