/** `/start <code>` signs this account in; `/start` alone asks a stranger for the code (a dialog), shows a member the menu. */
import { Composer } from 'grammy';
import { signIn, type SignInRefusal } from '../../app/onboarding.js';
import type { KeysUnder } from '../../core/i18n-keys.js';
import { actorByTelegramId } from '../../db/people-repo.js';
import type { BotContext, ChatContext } from '../context.js';
import { setChatCommands } from '../commands.js';
import { DIALOG } from '../conversations/ids.js';
import { showMenu } from './menu.js';

export const startFeature = new Composer<BotContext>();

const REFUSAL_TEXT: Record<SignInRefusal, KeysUnder<'start'>> = {
  unknown: 'invite_unknown', used: 'invite_used', expired: 'invite_expired', revoked: 'invite_revoked',
  already_bound: 'invite_already_bound', person_bound: 'invite_person_bound', throttled: 'invite_throttled',
};

/** Tries a code for this account: signed in (welcome, commands, menu) or the reason it was refused. */
export async function tryCode(ctx: ChatContext, code: string): Promise<SignInRefusal | undefined> {
  const r = await signIn(ctx.deps, { code, address: ctx.from!.id, locale: ctx.locale });
  if (!r.ok) {
    ctx.deps.log.info({ updateId: ctx.update.update_id, telegramId: ctx.from!.id, reason: r.reason }, 'invite refused');
    await ctx.reply(ctx.t(`start.${REFUSAL_TEXT[r.reason]}`));
    return r.reason;
  }
  ctx.actor = actorByTelegramId(ctx.deps.db, ctx.from!.id);
  await ctx.reply(ctx.t('start.bound', { name: ctx.actor!.name }));
  await setChatCommands(ctx);
  await showMenu(ctx);
  return undefined;
}

startFeature.command('start', async (ctx) => {
  const code = (ctx.match ?? '').trim();
  if (ctx.actor && !code) return showMenu(ctx);
  if (ctx.actor) {
    await ctx.reply(ctx.t('start.already', { name: ctx.actor.name }));
    return showMenu(ctx);
  }
  if (!code) return ctx.conversation.enter(DIALOG.signIn);
  await tryCode(ctx, code);
});
