/**
 * A household as a supervisor opens it from `/stats`: its latest card at a glance (failed guarantee items, open
 * flags, reviews waiting), with the way on: each flag, the whole card, sending one answer back.
 */
import type { Actor } from '../../core/people/roles.js';
import { failedItems } from '../../core/visits/guarantees.js';
import { flagMessage } from '../../core/visits/risk-flags.js';
import { latestCard } from '../../db/cards-repo.js';
import { openFlagsOfHousehold } from '../../db/flags-repo.js';
import { householdBrief } from '../../db/household-repo.js';
import { openReviewsOfCard } from '../../db/review-repo.js';
import { householdInScope } from '../../db/scope-repo.js';
import { ok, refuse, type AppDeps, type Result } from '../deps.js';
import { supervisorOf } from '../scope.js';
import { join, msg, raw, ViewBuilder, type ChatView } from '../views.js';

export function supervisedHousehold(deps: AppDeps, actor: Actor | undefined, householdId: number): Result<ChatView, 'role' | 'not_yours'> {
  const sup = supervisorOf(actor);
  if (!sup.ok) return sup;
  const { db } = deps;
  const h = householdInScope(db, sup.value.scope, householdId) ? householdBrief(db, householdId) : undefined;
  if (!h) return refuse('not_yours');
  const v = new ViewBuilder().line(msg('supervise.household_title', { code: h.code, head: h.headName, village: h.villageName }));
  const card = latestCard(db, householdId);
  if (!card) return ok(v.line(msg('supervise.no_card')).build());
  v.line(msg('supervise.card_line', { date: card.visitDate, mode: card.visitMode, revision: card.revision }));
  const failed = failedItems(card.answers).map((item) => msg(`stats.guarantee.${item}`));
  v.line(failed.length ? msg('supervise.card_failed', { list: join(failed, '、') }) : msg('supervise.card_all_met'));
  const flags = openFlagsOfHousehold(db, householdId);
  v.line(msg('supervise.card_flags', { count: flags.length }));
  for (const f of flags) {
    const m = flagMessage(f.code, f.params);
    v.line(join([raw('  🚩 '), msg(m.key, m.params)]));
    v.action(join([raw('🚩 '), msg(m.key, m.params)]), 'flags:open', f.id).row();
  }
  const open = openReviewsOfCard(db, card.id);
  if (open.length) v.line(msg('supervise.card_under_review', { count: open.length }));
  v.action(msg('flags.btn_card'), 'flags:card', card.id).action(msg('review.btn_send_back'), 'review:card', card.id);
  return ok(v.build());
}
