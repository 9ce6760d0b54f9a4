import { currentPrompt, summarize } from '../../core/forms/index.js';
import type { BotContext } from '../context.js';
import { promptView } from './prompt-view.js';
import { summaryView } from './summary-view.js';
import type { Session } from './session.js';

/** Sends the current question, or the summary when every question is done. */
export async function showCurrent(ctx: BotContext, s: Session, opts: { showHint?: boolean } = {}): Promise<void> {
  const p = currentPrompt(s.form, s.state, s.ectx);
  const draft = { id: s.draft.id, step: s.draft.step };
  if (p.done) {
    const sum = summarize(s.form, s.state, s.ectx);
    const view = summaryView(s.form, sum, draft, s.household, ctx.t, ctx.locale);
    for (const [i, text] of view.messages.entries()) {
      await ctx.reply(text, i === view.messages.length - 1 ? { reply_markup: view.keyboard } : { reply_markup: { remove_keyboard: true } });
    }
    return;
  }
  // Computed figures (net income vs the poverty line …) belong to their own section, not to every question.
  const section = s.form.sections.find((x) => x.id === p.section.id);
  const here = new Set(section?.fields.map((f) => f.id) ?? []);
  const view = promptView({ ...p, computed: p.computed.filter((c) => here.has(c.id)) }, draft, s.household, ctx.t, ctx.locale, opts);
  if (view.locationKeyboard) {
    // Telegram's "share my location" is a reply-keyboard button; the inline buttons follow in a second message.
    await ctx.reply(ctx.t('card.location_button_below'), { reply_markup: view.locationKeyboard });
  }
  await ctx.reply(view.text, { reply_markup: view.keyboard });
}
