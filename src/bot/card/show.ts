import { GrammyError, InlineKeyboard, type Keyboard } from 'grammy';
import { currentPrompt, summarize } from '../../core/forms/index.js';
import type { BotContext } from '../context.js';
import { promptView, type PromptOptions } from './prompt-view.js';
import { summaryOverview, summaryPage } from './summary-view.js';
import type { Session } from './session.js';

export interface ShowOptions extends PromptOptions {
  /** change the message the pressed button belongs to, instead of sending a new one (ticks, page turns) */
  edit?: boolean;
  /** at the summary: a page of answers (1-based) instead of the overview */
  page?: number;
}

/** The current question, or the summary when every question is done, as one message. */
export function currentView(ctx: BotContext, s: Session, opts: ShowOptions = {}): { text: string; keyboard: InlineKeyboard | Keyboard } {
  const p = currentPrompt(s.form, s.state, s.ectx);
  const draft = { id: s.draft.id, step: s.draft.step };
  if (!p.done) {
    // Computed figures (net income vs the poverty line …) belong to their own section, not to every question.
    const section = s.form.sections.find((x) => x.id === p.section.id);
    const here = new Set(section?.fields.map((f) => f.id) ?? []);
    return promptView({ ...p, computed: p.computed.filter((c) => here.has(c.id)) }, draft, s.household, ctx.t, ctx.locale, s.ectx.today, opts);
  }
  const sum = summarize(s.form, s.state, s.ectx);
  const view = opts.page ? summaryPage(s.form, sum, draft, opts.page, ctx.t, ctx.locale) : summaryOverview(sum, draft, s.household, ctx.t, ctx.locale);
  const head = [opts.warning, opts.echo].filter(Boolean).join('\n');
  return head ? { ...view, text: `${head}\n\n${view.text}` } : view;
}

/** Sends the current view, or puts it into the pressed button's message. */
export async function showCurrent(ctx: BotContext, s: Session, opts: ShowOptions = {}): Promise<void> {
  const view = currentView(ctx, s, opts);
  await sendView(ctx, view, opts.edit);
}

/** One view as a message; edited in place when asked and possible (a reply keyboard can only come with a new message). */
export async function sendView(ctx: BotContext, view: { text: string; keyboard: InlineKeyboard | Keyboard }, edit = false): Promise<void> {
  const msg = ctx.callbackQuery?.message;
  if (edit && msg && view.keyboard instanceof InlineKeyboard) {
    try {
      await ctx.api.editMessageText(msg.chat.id, msg.message_id, view.text, { reply_markup: view.keyboard });
      return;
    } catch (err) {
      // the same view again (a double tap) needs nothing; an old message that can no longer be edited gets a new one
      if (err instanceof GrammyError && /not modified/.test(err.description)) return;
    }
  }
  await ctx.reply(view.text, { reply_markup: view.keyboard });
}
