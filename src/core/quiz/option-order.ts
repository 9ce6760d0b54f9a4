import { seededRandom, shuffled } from './random.js';
import { OPTION_LETTERS, type Question } from './types.js';

/** Options that point at other options ("以上都对", "none of the above") keep the order the author wrote. */
const REFERS_TO_OTHERS = /以上|上述|都不|均不|都是|均是|都对|均对|above/i;

/**
 * The order a sitting shows a question's options in: display position → option index. Seeded by the sitting, so it
 * stays put while the question is on screen and differs when the question comes back in another sitting (a helper
 * learns the answer, not its place). Buttons and answers keep the option index; only letters follow the display.
 */
export function optionOrder(q: Pick<Question, 'id' | 'options'>, seed: string | number): number[] {
  const identity = q.options.map((_, i) => i);
  if (q.options.some((o) => REFERS_TO_OTHERS.test(o.zh) || REFERS_TO_OTHERS.test(o.en))) return identity;
  return shuffled(identity, seededRandom(`${seed}:${q.id}`));
}

/** The letter an option shows under an order. */
export function letterOf(order: readonly number[], option: number): string {
  const at = order.indexOf(option);
  return OPTION_LETTERS[at < 0 ? option : at] ?? '?';
}

/**
 * A typed answer ("b", "Ｂ", "A,C", "ac") as option indexes under an order; undefined when it is not letters of
 * shown options (so other text is left to whatever else reads it).
 */
export function typedChoice(text: string, order: readonly number[]): number[] | undefined {
  const s = text.normalize('NFKC').trim().toUpperCase().replace(/[\s,，、;；]+/g, '');
  if (!/^[A-J]{1,10}$/.test(s)) return undefined;
  const out: number[] = [];
  for (const ch of s) {
    const option = order[OPTION_LETTERS.indexOf(ch)];
    if (option === undefined || out.includes(option)) return undefined;
    out.push(option);
  }
  return out.sort((a, b) => a - b);
}
