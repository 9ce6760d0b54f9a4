/** A card dossier (answers, figures, revisions, evidence, flags) as phone messages, split below Telegram's limit. */
import type { CardDossier } from '../../app/card-dossier.js';
import type { FlagRow } from '../../db/flags-repo.js';
import { flagMessage } from '../../core/visits/risk-flags.js';
import { pickText, type Locale } from '../../core/text.js';
import { localDateTime } from '../../core/time.js';
import type { Translate } from '../../i18n.js';
import { splitMessage } from './split.js';

/** The state of a flag in words: open, handled (who, when, note), or superseded. */
export function flagState(f: FlagRow, t: Translate, timeZone: string): string {
  if (f.resolution === 'handled') {
    return t('flags.state_handled', { who: f.resolvedByName ?? '—', at: localDateTime(f.resolvedAt ?? 0, timeZone), note: f.note ?? '' });
  }
  if (f.resolution === 'superseded') return t('flags.state_superseded', { at: localDateTime(f.resolvedAt ?? 0, timeZone) });
  return t('flags.state_open');
}

export function dossierMessages(d: CardDossier, t: Translate, locale: Locale, timeZone: string): string[] {
  const L = (x: { zh: string; en: string }) => pickText(x, locale);
  const blocks: string[] = [
    t('dossier.title', {
      code: d.household.code, head: d.household.headName, village: d.household.villageName, date: d.visitDate,
      mode: d.visitMode, revision: d.revision, helper: d.helperName,
    }),
  ];
  const e = d.evidence;
  const location =
    e.startMeters !== null
      ? t('dossier.location_distance', { meters: e.startMeters })
      : e.locationShared
        ? t('dossier.location_no_home')
        : t('dossier.location_none');
  blocks.push(
    t('dossier.evidence', {
      mode: t(e.inPerson ? 'dossier.in_person' : 'dossier.not_in_person'),
      minutes: e.durationMinutes ?? t('dossier.unknown'),
      location,
      photo: t(e.photo ? 'dossier.yes' : 'dossier.no'),
    }),
  );
  if (d.flags.length) {
    blocks.push(
      [t('dossier.flags'), ...d.flags.map((f) => {
        const m = flagMessage(f.code, f.params);
        return t('dossier.flag_line', { revision: f.revision, message: t(m.key, m.params), state: flagState(f, t, timeZone) });
      })].join('\n'),
    );
  }
  if (d.openReviews) blocks.push(t('dossier.under_review', { count: d.openReviews }));
  for (const s of d.sections) blocks.push([`【${L(s.title)}】`, ...s.items.map((it) => `${L(it.label)}：${L(it.display)}`)].join('\n'));
  if (d.figures.length) blocks.push([t('dossier.figures'), ...d.figures.map((f) => `${L(f.label)}：${L(f.display)}`)].join('\n'));
  const rev: string[] = [t('dossier.revisions')];
  for (const r of d.revisions) {
    const at = localDateTime(r.at, timeZone);
    rev.push(r.revision === 1 ? t('dossier.revision_first', { who: r.authorName, at }) : t('dossier.revision_line', { revision: r.revision, who: r.authorName, at, reason: r.reason ?? '—' }));
    for (const c of r.changes) rev.push(t('dossier.change_line', { label: L(c.label), from: L(c.from), to: L(c.to) }));
  }
  blocks.push(rev.join('\n'));
  return splitMessage(blocks);
}
