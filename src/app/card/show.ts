/** The card where it stands, as one view: the current question, or the summary (or a page of its answers). */
import { currentPrompt, summarize } from '../../core/forms/index.js';
import { packBlocks, type ChatView } from '../views.js';
import type { CardSession } from './session.js';
import { answerBlocks, answerPage, PAGE_CHARS, promptView, summaryView, type PromptOptions } from './views.js';

export interface ShowOptions extends PromptOptions {
  /** at the summary: a page of answers (1-based) instead of the overview */
  page?: number;
}

export function currentView(s: CardSession, opts: ShowOptions = {}): ChatView {
  const p = currentPrompt(s.form, s.state, s.ectx);
  const draft = { id: s.draft.id, step: s.draft.step };
  if (!p.done) {
    // computed figures (net income against the poverty line …) belong to their own section, not to every question
    const here = new Set(s.form.sections.find((x) => x.id === p.section.id)?.fields.map((f) => f.id) ?? []);
    return promptView({ ...p, computed: p.computed.filter((c) => here.has(c.id)) }, draft, s.household, s.ectx.today, { formTitle: s.form.title, ...opts });
  }
  const sum = summarize(s.form, s.state, s.ectx);
  if (opts.page) return answerPage(packBlocks(answerBlocks(s.form, sum), PAGE_CHARS), draft, opts.page);
  return summaryView(sum, draft, s.household, opts);
}
