import { describe, expect, it } from 'vitest';
import { loadContent } from '../../src/content/index.js';
import { optionOrder, typedChoice, letterOf } from '../../src/core/quiz/index.js';

const loaded = loadContent('content');
if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
const questions = loaded.content.quizzes.questions;

describe('option order', () => {
  it('is a permutation that stays put within a sitting and is reshuffled in the next one', () => {
    let moved = 0;
    let shuffleable = 0;
    for (const q of questions) {
      const a = optionOrder(q, 101);
      expect([...a].sort((x, y) => x - y)).toEqual(q.options.map((_, i) => i));
      expect(optionOrder(q, 101)).toEqual(a);
      if (q.options.length < 3 || a.every((x, i) => x === i && optionOrder(q, 102)[i] === i)) continue;
      shuffleable++;
      if (optionOrder(q, 102).some((x, i) => x !== a[i])) moved++;
    }
    console.log(`options reshuffled between two sittings: ${moved}/${shuffleable} questions`);
    expect(moved / shuffleable).toBeGreaterThan(0.8);
  });

  it('keeps "all / none of the above" questions as written', () => {
    const q = { id: 'X', options: [{ zh: '甲', en: 'a' }, { zh: '乙', en: 'b' }, { zh: '以上都对', en: 'All of the above' }] };
    expect(optionOrder(q, 5)).toEqual([0, 1, 2]);
  });

  it('reads typed letters under the order: half or full width, any case, lists for multi-answer', () => {
    const order = [2, 0, 3, 1];
    expect(typedChoice('a', order)).toEqual([2]);
    expect(typedChoice(' Ｂ ', order)).toEqual([0]);
    expect(typedChoice('A,C', order)).toEqual([2, 3]);
    expect(typedChoice('ca', order)).toEqual([2, 3]);
    expect(typedChoice('E', order)).toBeUndefined();
    expect(typedChoice('AA', order)).toBeUndefined();
    expect(typedChoice('好的', order)).toBeUndefined();
    expect(letterOf(order, 3)).toBe('C');
  });
});
