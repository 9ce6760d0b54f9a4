/** Small state edits shared by the engine and the settling pass: copy a state, set one answer, renumber paths. */
import type { Step } from './navigation.js';
import type { CardState, StepPath } from './state.js';
import type { RepeatItem, ScalarValue } from './types.js';

/**
 * A copy that is safe to change at the top level: answers, origins and lists are new objects; repeat item arrays
 * are shared and copied on write by `setAnswer` (so the cost does not grow with the number of answers' contents).
 */
export function copyState(s: CardState): CardState {
  return {
    ...s,
    answers: { ...s.answers },
    origins: { ...s.origins },
    closed: [...s.closed],
    confirmedWarnings: [...s.confirmedWarnings],
    ...(s.auto ? { auto: [...s.auto] } : {}),
  };
}

/** Stores (or with undefined, removes) the answer of a step in a state copy. */
export function setAnswer(s: CardState, step: Pick<Step, 'field' | 'repeat' | 'index'>, value: ScalarValue | undefined): void {
  if (step.repeat === undefined) {
    if (value === undefined) delete s.answers[step.field.id];
    else s.answers[step.field.id] = value;
    return;
  }
  const items = [...(s.answers[step.repeat] as RepeatItem[])];
  const item = { ...items[step.index!] };
  if (value === undefined) delete item[step.field.id];
  else item[step.field.id] = value;
  items[step.index!] = item;
  s.answers[step.repeat] = items;
}

/** Marks a path as filled by the system (or, with false, by the user). */
export function markAuto(s: CardState, path: StepPath, auto: boolean): void {
  const has = s.auto?.includes(path) ?? false;
  if (auto && !has) s.auto = [...(s.auto ?? []), path];
  if (!auto && has) s.auto = s.auto!.filter((p) => p !== path);
}

/**
 * Paths inside a repeat after item k was removed (drop k's, shift later ones down) or inserted (shift k and later
 * up): used for the closed steps and the system-filled answers.
 */
export function renumber(paths: StepPath[], repeat: string, k: number, change: 'removed' | 'inserted'): StepPath[] {
  const re = new RegExp(`^${repeat}\\[(\\d+)\\]\\.(.+)$`);
  const out: StepPath[] = [];
  for (const p of paths) {
    const m = re.exec(p);
    const i = m ? Number(m[1]) : -1;
    if (!m || i < k) out.push(p);
    else if (change === 'inserted') out.push(`${repeat}[${i + 1}].${m[2]}`);
    else if (i > k) out.push(`${repeat}[${i - 1}].${m[2]}`);
  }
  return out;
}

/** The paths of one item's steps among a list (what removing the item takes with it). */
export function pathsOfItem(paths: StepPath[], repeat: string, k: number): StepPath[] {
  const prefix = `${repeat}[${k}].`;
  return paths.filter((p) => p.startsWith(prefix));
}
