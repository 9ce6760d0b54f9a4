import { Composer } from 'grammy';
import { hasRole } from '../../core/people/roles.js';
import { localYear } from '../../core/time.js';
import { householdsOfHelper } from '../../db/household-repo.js';
import { inPersonVisitDates, openFlagCounts } from '../../db/visits-repo.js';
import type { BotContext } from '../context.js';
import { householdLines, pacingFor } from '../render/households.js';

export const householdsFeature = new Composer<BotContext>();

/** `/households`: my households with in-person visits X of target this year, pace and open flags. */
export async function listHouseholds(ctx: BotContext): Promise<void> {
  if (!hasRole(ctx.actor, 'helper')) return void (await ctx.reply(ctx.t('refuse.role')));
  const { db, config, now, content } = ctx.deps;
  const list = householdsOfHelper(db, ctx.actor!.personId);
  if (!list.length) return void (await ctx.reply(ctx.t('households.empty')));
  const year = localYear(now(), config.timezone);
  const target = content.settings.visits.target;
  const ids = list.map((h) => h.id);
  const visits = inPersonVisitDates(db, ids, `${year}-01-01`, `${year + 1}-01-01`);
  const flags = openFlagCounts(db, ids);
  const lines = list.map((h) =>
    householdLines(h, pacingFor(visits.get(h.id) ?? [], year, now(), target, config.timezone), flags.get(h.id) ?? 0, ctx.t, config.timezone),
  );
  await ctx.reply([ctx.t('households.title', { year, target }), ...lines].join('\n\n'));
}

householdsFeature.command('households', listHouseholds);
householdsFeature.callbackQuery('m:households', async (ctx) => {
  await ctx.answerCallbackQuery();
  await listHouseholds(ctx);
});
