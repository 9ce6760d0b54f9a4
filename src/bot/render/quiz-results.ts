/** A pushed quiz's results as the trainer reads them: completion, mean score, most-missed questions, per unit. */
import { pickText, type Locale } from '../../core/text.js';
import { localDateTime } from '../../core/time.js';
import type { QuizResults } from '../../core/quiz/index.js';
import type { Catalog } from '../../db/quiz-repo.js';
import type { PushRow } from '../../db/quiz-push-repo.js';
import type { Translate } from '../../i18n.js';

const short = (s: string, n = 30): string => (s.length > n ? `${s.slice(0, n)}…` : s);

export function resultsText(
  input: {
    push: PushRow;
    results: QuizResults;
    deliveries: Record<string, number>;
    unitNames: Map<string, string>;
    catalog: Catalog;
    timezone: string;
  },
  locale: Locale,
  t: Translate,
): string {
  const { push, results: r } = input;
  const mean = (m: number | null) => (m === null ? t('push.no_score') : `${m}%`);
  const lines = [
    t('push.results_title', { id: push.id, count: push.questions.length, deadline: localDateTime(push.deadline, input.timezone) }),
    t('push.results_overall', { completed: r.completed, assigned: r.assigned, pct: r.completionPct, mean: mean(r.meanScorePct) }),
    t('push.results_delivery', {
      sent: input.deliveries.sent ?? 0,
      pending: (input.deliveries.pending ?? 0) + (input.deliveries.sending ?? 0),
      failed: (input.deliveries.failed ?? 0) + (input.deliveries.unknown ?? 0),
    }),
  ];
  if (r.mostMissed.length) {
    lines.push('', t('push.results_missed'));
    for (const m of r.mostMissed) {
      const q = input.catalog.byId.get(m.questionId);
      lines.push(
        t('push.results_missed_line', {
          id: m.questionId,
          version: m.questionVersion,
          wrong: m.wrong,
          answered: m.answered,
          pct: m.wrongPct,
          text: q ? short(pickText(q.text, locale)) : '',
        }),
      );
    }
  }
  lines.push('', t('push.results_units'));
  for (const u of r.perUnit) {
    lines.push(
      t('push.results_unit_line', {
        unit: input.unitNames.get(u.unitId) ?? t('push.no_unit'),
        completed: u.completed,
        assigned: u.assigned,
        pct: u.completionPct,
        mean: mean(u.meanScorePct),
      }),
    );
  }
  return lines.join('\n');
}
