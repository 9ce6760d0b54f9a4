/**
 * Loading a notice's clauses as a dialog: the draft (src/app/quiz/rules-import.ts) lives in the dialog's saved
 * progress, so a restart continues at the clause on screen; /cancel, a command, another button or a file leaves it
 * and nothing is published.
 */
import { advanceRules, type RulesDraft, type RulesInput } from '../../app/quiz/rules-import.js';
import { refusalPiece } from '../../app/quiz/refusals.js';
import { replyView, notice } from '../render/send.js';
import { InputFile } from 'grammy';
import { packTemplateBytes } from '../../reports/pack-template.js';
import { nextChoice } from './choice.js';
import type { Dialog, DialogContext } from './setup.js';

export async function rulesImport(dialog: Dialog, _ctx: DialogContext, start: RulesDraft): Promise<void> {
  let draft = start;
  for (;;) {
    const next = await nextChoice(dialog, ['rules:step'], 'rules.use_buttons', draft.step === 'paste' || draft.step === 'write');
    const c = next.ctx;
    if (next.kind === 'action' && next.args[1] === 'tpl' && next.args[0] === draft.run) {
      // the rules workbook template; the dialog keeps waiting for the notice (or the filled workbook)
      await c.answerCallbackQuery();
      const bytes = await dialog.external(async () => (await packTemplateBytes()).toString('base64'));
      await c.replyWithDocument(new InputFile(Buffer.from(bytes, 'base64'), 'rules-template.xlsx'), { caption: c.t('rulebook.template_caption') });
      continue;
    }
    const input: RulesInput = next.kind === 'action' ? { run: next.args[0], what: next.args[1], value: next.args[2] } : { text: next.ctx.message.text };
    const at = draft;
    const r = await dialog.external(() => advanceRules(c.deps, c.actor, at, input));
    if (!r.ok) {
      await notice(c, refusalPiece(r.reason));
      if (r.reason === 'role') return;
      continue;
    }
    if (next.kind === 'action') {
      await next.ctx.answerCallbackQuery();
      await next.ctx.editMessageReplyMarkup().catch(() => undefined);
    }
    await replyView(c, r.value.view);
    if (r.value.kind === 'step') {
      draft = r.value.draft;
      continue;
    }
    return;
  }
}
