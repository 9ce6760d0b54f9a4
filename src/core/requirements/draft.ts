/**
 * A question drafted from a clause for the trainer to approve: the clause's first number with its unit (160 天,
 * 1 次, 3 户, 12 个月) is blanked, and the options are that number and plausible neighbours (half, double, one more).
 * A clause without such a number gets no draft; the trainer writes one. Never published without the trainer's yes.
 */
import { seededRandom, shuffled } from '../quiz/random.js';
import type { Text } from '../text.js';

export interface DraftQuestion {
  text: Text;
  options: Text[];
  /** index of the correct option */
  answer: number;
  explanation: Text;
}

const NUMBER_WITH_UNIT = /(\d+(?:\.\d+)?)\s*(个工作日|个月|小时|天|日|次|户|个|人|名|年|周|倍|元|%|％)/u;

/** Distinct positive neighbours of n: plausible wrong answers of the same kind. */
function neighbours(n: number): number[] {
  const whole = Number.isInteger(n);
  const cands = [n * 2, whole ? Math.max(1, Math.round(n / 2)) : n / 2, n + (whole && n < 10 ? 1 : Math.round(n / 4) || 1), Math.max(1, n - (n < 10 ? 1 : Math.round(n / 4))), n * 3];
  const out: number[] = [];
  for (const c of cands) if (c > 0 && c !== n && !out.includes(c)) out.push(c);
  return out.slice(0, 3);
}

export function draftQuestion(clause: string, seed: string): DraftQuestion | undefined {
  const m = NUMBER_WITH_UNIT.exec(clause);
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = m[2]!;
  const others = neighbours(n);
  if (others.length < 3) return undefined;
  const blanked = `${clause.slice(0, m.index)}____${unit}${clause.slice(m.index + m[0].length)}`;
  const values = shuffled([n, ...others], seededRandom(seed));
  const option = (v: number): Text => ({ zh: `${v}${unit}`, en: `${v} ${unit}` });
  return {
    text: { zh: `按文件要求，空白处应是多少？“${blanked}”`, en: `What number belongs in the blank (document text in Chinese)? “${blanked}”` },
    options: values.map(option),
    answer: values.indexOf(n),
    explanation: { zh: `文件原文：“${clause}”`, en: `The document says (Chinese): “${clause}”` },
  };
}
