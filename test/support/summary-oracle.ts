/**
 * The summary as defined step by step, kept as the oracle of the fast one in src/core/forms/summary.ts: the final
 * answers are kept in form order (each step judged by `isRelevant` on the answers kept so far), then every step is
 * judged again on the final answers. No shortcut: two full relevance passes, one object per answer.
 */
import {
  cardPovertyLine, compile, computeFigures, displayValue, evaluate, isAnswered, itemLabel, truthy,
  type Answers, type AnswerValue, type CardState, type EngineContext, type FormDefinition, type RepeatItem, type Summary, type SummaryItem,
} from '../../src/core/forms/index.js';
import { isRelevant, isRequired, type Step } from '../../src/core/forms/navigation.js';
import { itemBounds } from '../../src/core/forms/repeat-steps.js';

export function oracleFinalAnswers(form: FormDefinition, state: CardState, ctx: EngineContext): Answers {
  const c = compile(form);
  const work: CardState = { ...state, answers: {} };
  for (const f of c.top) {
    const v = state.answers[f.id];
    if (v === undefined || f.type === 'calculate') continue;
    if (!isRelevant(c, work, ctx, { path: f.id, field: f })) continue;
    if (f.type !== 'repeat') {
      work.answers[f.id] = v;
      continue;
    }
    const src = v as RepeatItem[];
    const kept: RepeatItem[] = src.map(() => ({}));
    work.answers[f.id] = kept;
    src.forEach((item, k) => {
      for (const sf of f.fields ?? []) {
        if (item[sf.id] === undefined) continue;
        if (isRelevant(c, work, ctx, { path: `${f.id}[${k}].${sf.id}`, field: sf, repeat: f.id, index: k })) kept[k][sf.id] = item[sf.id];
      }
    });
  }
  return work.answers;
}

export function oracleSummarize(form: FormDefinition, state: CardState, ctx: EngineContext): Summary {
  const c = compile(form);
  const answers = oracleFinalAnswers(form, state, ctx);
  const work: CardState = { ...state, answers };
  const items: SummaryItem[] = [];
  const missing: Summary['missing'] = [];
  const check = (step: Step, value: unknown, sectionId: string, repeat?: SummaryItem['repeat']) => {
    if (step.field.type === 'note') return;
    if (!isRelevant(c, work, ctx, step)) return;
    if (isAnswered(value) || (step.field.type === 'select_multiple' && Array.isArray(value))) {
      items.push({
        path: step.path, fieldId: step.field.id, sectionId, label: step.field.label, type: step.field.type, value: value as AnswerValue,
        display: displayValue(step.field, value), ...(repeat ? { repeat } : {}),
      });
    } else if (isRequired(c, work, ctx, step)) missing.push({ path: step.path, label: step.field.label });
  };
  for (const f of c.top) {
    if (f.type === 'calculate') continue;
    const sectionId = c.sectionOf.get(f.id)!.id;
    if (f.type !== 'repeat') {
      check({ path: f.id, field: f }, answers[f.id], sectionId);
      continue;
    }
    const head: Step = { path: f.id, field: f, head: true };
    if (!isRelevant(c, work, ctx, head)) continue;
    const list = Array.isArray(answers[f.id]) ? (answers[f.id] as RepeatItem[]) : [];
    const { min } = itemBounds(f, isRequired(c, work, ctx, head));
    if (list.length < min || (answers[f.id] === undefined && !state.closed.includes(f.id))) missing.push({ path: f.id, label: f.label });
    list.forEach((item, k) => {
      for (const sf of f.fields ?? []) {
        if (sf.type === 'calculate') continue;
        const st: Step = { path: `${f.id}[${k}].${sf.id}`, field: sf, repeat: f.id, index: k };
        check(st, item[sf.id], sectionId, { id: f.id, index: k, itemLabel: itemLabel(f, k) });
      }
    });
  }
  const scope = { form: c, answers, previous: state.previous, ctx };
  const fired = (form.rules ?? [])
    .filter((r) => truthy(evaluate(r.when, scope)))
    .map((r) => ({ id: r.id, level: r.level, message: r.message, fields: r.fields, confirmed: state.confirmedWarnings.includes(r.id) }));
  const errors = fired.filter((r) => r.level === 'error');
  const warnings = fired.filter((r) => r.level === 'warning');
  return {
    items,
    answered: items.length,
    computed: computeFigures(form, work, ctx),
    povertyLine: cardPovertyLine(form, work, ctx),
    missing,
    errors,
    warnings,
    canSubmit: state.cursor === null && missing.length === 0 && errors.length === 0 && warnings.every((w) => w.confirmed),
  };
}
