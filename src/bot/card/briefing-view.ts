import type { Briefing } from '../../core/visits/briefing.js';
import { pickText, type Locale } from '../../core/text.js';
import type { Translate } from '../../i18n.js';
import type { HouseholdSummary } from '../../db/household-repo.js';

/** The pre-visit briefing as one message that reads well on a phone. */
export function briefingText(b: Briefing, h: HouseholdSummary, visits: { count: number; target: number }, t: Translate, locale: Locale): string {
  const L = (x: { zh: string; en: string }) => pickText(x, locale);
  const out: string[] = [];
  out.push(t('briefing.title', { head: h.headName, code: h.code, village: h.villageName }));
  out.push(t('briefing.facts', { attribute: h.attribute, status: h.status, cause: b.causeMain, count: visits.count, target: visits.target }));
  out.push(b.lastVisit ? t('briefing.last_visit', { date: b.lastVisit.date, mode: b.lastVisit.mode }) : t('briefing.first_visit'));
  if (b.members.length) {
    out.push('', t('briefing.members', { count: b.members.length }));
    for (const m of b.members) {
      const age = m.age === null ? '' : t('briefing.age', { age: m.age });
      out.push(`  · ${m.name}（${m.relation}${age}）${m.notes.length ? ' ' + m.notes.join('、') : ''}`);
    }
  }
  if (b.changes.length) {
    out.push('', t('briefing.changes'));
    for (const c of b.changes) out.push(`  · ${L(c.label)}：${L(c.from)} → ${L(c.to)}`);
  }
  if (b.problems.length) {
    out.push('', t('briefing.problems'));
    for (const p of b.problems) out.push(`  · ${p.category}：${p.description}`);
  }
  if (b.measures.length) {
    out.push('', t('briefing.measures'));
    for (const m of b.measures)
      out.push(`  · ${m.content}（${m.responsible}，${m.due}${m.overdue ? t('briefing.overdue') : ''}）`);
  }
  if (b.missing.length) out.push('', t('briefing.missing', { fields: b.missing.map(L).join('、') }));
  if (b.stale && b.lastVisit) out.push(t('briefing.stale'));
  out.push('', t('briefing.asks'));
  for (const f of b.openFlags) out.push(`  🚩 ${t(f.key, f.params)}`);
  for (const f of b.failedLastTime) out.push(`  ❗ ${t('briefing.failed_last_time', { item: L(f.label), note: f.note || '—' })}`);
  b.asks.forEach((a, i) => out.push(`  ${i + 1}. ${a.failedLastTime ? '❗' : ''}${L(a.label)}：${L(a.howToAsk)}`));
  if (b.policies.length) out.push('', t('briefing.policies', { list: b.policies.join('、') }));
  out.push('', t('briefing.close'));
  return out.join('\n');
}
