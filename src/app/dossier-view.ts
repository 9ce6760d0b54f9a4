/** A card dossier (answers, figures, revisions, evidence, flags) as a chat view, with sending back and the list. */
import type { Actor } from '../core/people/roles.js';
import { localDateTime } from '../core/time.js';
import { flagMessage } from '../core/visits/risk-flags.js';
import { cardDossier, type CardDossier } from './card-dossier.js';
import type { AppDeps, Result } from './deps.js';
import { flagState } from './flags.js';
import { content, join, msg, raw, ViewBuilder, type ChatView } from './views.js';

/** Opens a card for a supervisor as a view; refused outside their scope. */
export function dossierPage(deps: AppDeps, actor: Actor | undefined, cardId: number): Result<{ dossier: CardDossier; view: ChatView }, 'role' | 'not_yours'> {
  const r = cardDossier(deps, actor, cardId);
  return r.ok ? { ok: true, value: { dossier: r.value, view: dossierView(r.value, deps.config.timezone) } } : r;
}

function dossierView(d: CardDossier, timeZone: string): ChatView {
  const v = new ViewBuilder().line(
    msg('dossier.title', {
      code: d.household.code, head: d.household.headName, village: d.household.villageName, date: d.visitDate,
      mode: d.visitMode, revision: d.revision, helper: d.helperName,
    }),
  );
  const e = d.evidence;
  const location =
    e.startMeters !== null
      ? msg('dossier.location_distance', { meters: e.startMeters })
      : msg(e.locationShared ? 'dossier.location_no_home' : 'dossier.location_none');
  v.block().line(
    msg('dossier.evidence', {
      mode: msg(e.inPerson ? 'dossier.in_person' : 'dossier.not_in_person'),
      minutes: e.durationMinutes ?? msg('dossier.unknown'),
      location,
      photo: msg(e.photo ? 'dossier.yes' : 'dossier.no'),
    }),
  );
  if (d.flags.length) {
    v.block().line(msg('dossier.flags'));
    for (const f of d.flags) {
      const m = flagMessage(f.code, f.params);
      v.line(msg('dossier.flag_line', { revision: f.revision, message: msg(m.key, m.params), state: flagState(f, timeZone) }));
    }
  }
  if (d.openReviews) v.block().line(msg('dossier.under_review', { count: d.openReviews }));
  for (const s of d.sections) {
    v.block().line(join([raw('【'), content(s.title), raw('】')]));
    for (const it of s.items) v.line(join([content(it.label), raw('：'), content(it.display)]));
  }
  if (d.figures.length) {
    v.block().line(msg('dossier.figures'));
    for (const f of d.figures) v.line(join([content(f.label), raw('：'), content(f.display)]));
  }
  v.block().line(msg('dossier.revisions'));
  for (const r of d.revisions) {
    const at = localDateTime(r.at, timeZone);
    v.line(r.revision === 1 ? msg('dossier.revision_first', { who: r.authorName, at }) : msg('dossier.revision_line', { revision: r.revision, who: r.authorName, at, reason: r.reason ?? '—' }));
    for (const c of r.changes) v.line(msg('dossier.change_line', { label: content(c.label), from: content(c.from), to: content(c.to) }));
  }
  v.action(msg('review.btn_send_back'), 'review:card', d.cardId).row().action(msg('flags.btn_list'), 'flags:page', 0);
  return v.build();
}
