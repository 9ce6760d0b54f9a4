/**
 * Loading a notice's clauses as a dialog: the draft (src/app/quiz/rules-import.ts) lives in the dialog's saved
 * progress, so a restart continues at the clause on screen; /cancel, a command, another button or a file leaves it
 * and nothing is published.
 */
import { advanceRules, type RulesDraft } from '../../app/quiz/rules-import.js';
import { InputFile } from 'grammy';
import { packTemplateBytes } from '../../reports/pack-template.js';
import type { Dialog, DialogContext } from './setup.js';
import { runSteps } from './steps.js';

export async function rulesImport(dialog: Dialog, _ctx: DialogContext, start: RulesDraft): Promise<void> {
  await runSteps(dialog, start, {
    op: 'rules:step',
    hint: 'rules.use_buttons',
    takesText: (d) => d.step === 'paste' || d.step === 'write',
    advance: advanceRules,
    // the rules workbook template; the dialog keeps waiting for the notice (or the filled workbook)
    aside: async (next, d) => {
      if (next.kind !== 'action' || next.args[1] !== 'tpl' || next.args[0] !== d.run) return false;
      const c = next.ctx;
      await c.answerCallbackQuery();
      const bytes = await dialog.external(async () => (await packTemplateBytes()).toString('base64'));
      await c.replyWithDocument(new InputFile(Buffer.from(bytes, 'base64'), 'rules-template.xlsx'), { caption: c.t('rulebook.template_caption') });
      return true;
    },
  });
}
