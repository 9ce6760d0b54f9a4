/**
 * A dialog whose rules are a use case's step machine (the push wizard, loading a notice): wait for one of its buttons
 * or typed text, advance the draft through the use case, show the view, until the use case says it is done. The draft
 * lives in the dialog's saved progress, so a restart continues at the step on screen.
 */
import type { ActionOp } from '../../app/actions.js';
import type { Result } from '../../app/deps.js';
import { refusalPiece } from '../../app/quiz/refusals.js';
import type { QuizRefusal } from '../../app/quiz/refusals.js';
import type { ChatView } from '../../app/views.js';
import type { I18nKey } from '../../core/i18n-keys.js';
import type { Actor } from '../../core/people/roles.js';
import { replyView, notice } from '../render/send.js';
import { nextChoice, type Choice } from './choice.js';
import type { Dialog, DialogContext } from './setup.js';

/** A button's arguments (the draft's run, what is chosen, the value) or typed text. */
export type StepInput = { run: string; what: string; value: string } | { text: string };

type Outcome<D> = { kind: 'step'; draft: D; view: ChatView } | { kind: string; view: ChatView };

export interface Steps<D, O extends Outcome<D>> {
  op: ActionOp;
  /** said when something other than a button or text arrives */
  hint: I18nKey;
  /** whether this step takes typed text */
  takesText: (draft: D) => boolean;
  advance: (deps: DialogContext['deps'], actor: Actor | undefined, draft: D, input: StepInput) => Result<O, QuizRefusal>;
  /** a choice the dialog answers itself (true: handled, keep waiting) */
  aside?: (next: Choice, draft: D) => Promise<boolean>;
}

/** Runs the steps from `start`; returns the final outcome (undefined when refused for the role). */
export async function runSteps<D, O extends Outcome<D>>(dialog: Dialog, start: D, s: Steps<D, O>): Promise<O | undefined> {
  let draft = start;
  for (;;) {
    const next = await nextChoice(dialog, [s.op], s.hint, s.takesText(draft));
    if (s.aside && (await s.aside(next, draft))) continue;
    const c = next.ctx;
    const input: StepInput = next.kind === 'action' ? { run: next.args[0], what: next.args[1], value: next.args[2] } : { text: next.ctx.message.text };
    const at = draft;
    const r = await dialog.external(() => s.advance(c.deps, c.actor, at, input));
    if (!r.ok) {
      await notice(c, refusalPiece(r.reason));
      if (r.reason === 'role') return undefined;
      continue;
    }
    if (next.kind === 'action') {
      await next.ctx.answerCallbackQuery();
      // the step is decided: its buttons go
      await next.ctx.editMessageReplyMarkup().catch(() => undefined);
    }
    await replyView(c, r.value.view);
    const out: Outcome<D> = r.value;
    if (out.kind === 'step' && 'draft' in out) {
      draft = out.draft;
      continue;
    }
    return r.value;
  }
}
