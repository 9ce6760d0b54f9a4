import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadContent } from '../../src/content/index.js';
import type { Question } from '../../src/core/quiz/index.js';

/**
 * Quality of the shipped question banks, beyond what the validator checks: a helper who knows nothing must not pass
 * by picking the longest option, and distractors must be plausible.
 */

/** Highest share of single-choice questions whose correct option may be the longest. */
const MAX_LONGEST_CORRECT_SHARE = 0.35;

/**
 * Length of an option as a reader sees it: the number of characters (Unicode code points) of its Chinese text,
 * whitespace not counted. Letters, digits and punctuation count one each, like a Chinese character.
 */
function zhLength(text: string): number {
  return Array.from(text.replace(/\s/g, '')).length;
}

/**
 * True when the question's correct option is *strictly* the longest: its Chinese text has more characters than every
 * other option's. A tie for longest does not count (nothing can be guessed from it).
 */
function correctIsLongest(q: Question): boolean {
  if (q.multi || q.correct.length !== 1) return false;
  const right = q.correct[0];
  const lengths = q.options.map((o) => zhLength(o.zh));
  return lengths.every((n, i) => i === right || lengths[right] > n);
}

/** Phrases of throwaway distractors found in earlier versions of the banks: nobody would choose them. */
const THROWAWAY_PHRASES = [
  '私下给钱',
  '关停所有林场',
  '全部迁入城市',
  '一次性发放现金后不再扶持',
  '新添了一台电视机',
  '买了保险理财',
  '邻居的说法',
  '邻居证明',
  '户主的工资单',
  '上一任帮扶人的记忆',
  '不需要核对',
  '不用问，检查组不会问这些',
  '只需了解户主姓名',
  '由贫困户自行负责',
  '单位档案过于详细',
  '入户次数过多影响群众生活',
  '贫困户普遍拒绝入户',
  '所有子女都考上大学',
  '每户至少有一名高中生',
  '拍照即可，不用确认',
  '看不出什么，主要靠汇报',
  '自学即可，不需组织培训',
];

const normalize = (s: string): string => s.replace(/\s/g, '').toLowerCase();

/** Every shipped question: the banks of content/quizzes and the requirement packs' questions. */
function shippedQuestions() {
  const loaded = loadContent('content');
  if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
  return loaded.content.quizzes;
}

describe('content/quizzes and content/requirements: quality of the options', () => {
  const content = shippedQuestions();
  const single = content.questions.filter((q) => !q.multi);

  it('the correct option is strictly the longest (by Chinese characters) in at most 35% of single-choice questions', () => {
    const longest = single.filter(correctIsLongest);
    const share = longest.length / single.length;
    const perBank = content.banks.map((b) => {
      const qs = b.questions.filter((q) => !q.multi);
      return `${b.id} ${qs.filter(correctIsLongest).length}/${qs.length}`;
    });
    console.log(
      `longest-correct share: ${longest.length}/${single.length} = ${(share * 100).toFixed(1)}% ` +
        `(${perBank.join(', ')}; ${longest.map((q) => q.id).join(' ') || 'none'})`,
    );
    expect(single.length).toBeGreaterThan(0);
    expect(share).toBeLessThanOrEqual(MAX_LONGEST_CORRECT_SHARE);
  });

  it('no question has two identical options (Chinese or English)', () => {
    const duplicates: string[] = [];
    for (const q of content.questions) {
      for (const lang of ['zh', 'en'] as const) {
        const seen = new Set<string>();
        for (const o of q.options) {
          const key = normalize(o[lang]);
          if (key && seen.has(key)) duplicates.push(`${q.id} ${lang}: ${o[lang]}`);
          seen.add(key);
        }
      }
    }
    expect(duplicates).toEqual([]);
  });

  it('no distractor is a known throwaway', () => {
    const found: string[] = [];
    for (const q of content.questions) {
      q.options.forEach((o, i) => {
        if (q.correct.includes(i)) return;
        for (const phrase of THROWAWAY_PHRASES) if (o.zh.includes(phrase)) found.push(`${q.id}: ${o.zh}`);
      });
    }
    expect(found).toEqual([]);
  });
});

describe('content/quizzes and content/requirements: sources', () => {
  const content = shippedQuestions();
  const defined = new Set([...readFileSync('docs/content-sources.md', 'utf8').matchAll(/^\*\*([A-Z]{1,6}\d*p?)\*\*/gm)].map((m) => m[1]));
  const TAGS = new Set(['LOCAL', 'UNVERIFIED']);

  it('every source id a question cites is defined in docs/content-sources.md, and no source points to research notes', () => {
    const problems: string[] = [];
    for (const q of content.questions) {
      for (const m of q.source.matchAll(/\[([A-Z]{1,6}\d*p?)\]/g)) {
        if (!defined.has(m[1]) && !TAGS.has(m[1])) problems.push(`${q.id}: [${m[1]}] not defined`);
      }
      if (/\.md\b|§/.test(q.source)) problems.push(`${q.id}: ${q.source}`);
    }
    expect(defined.size).toBeGreaterThan(10);
    expect(problems).toEqual([]);
  });
});

describe('correctIsLongest', () => {
  const q = (options: string[], correct: number, multi = false): Question => ({
    id: 'T',
    level: 'national',
    region: 'CN',
    topic: 't',
    text: { zh: '题', en: 'Q' },
    options: options.map((zh) => ({ zh, en: zh })),
    correct: [correct],
    multi,
    explanation: { zh: '解析', en: 'why' },
    source: 'doc',
    effectiveDate: '2017-11-02',
    version: 1,
  });

  it.each([
    ['strictly longest', ['甲乙丙', '甲乙', '甲'], 0, true],
    ['tied for longest', ['甲乙', '丙丁', '甲'], 0, false],
    ['not the longest', ['甲', '甲乙', '甲'], 0, false],
    ['whitespace is not counted', ['甲 乙', '甲乙丙'], 1, true],
    ['digits and punctuation count one each', ['2%以下', '2%以下（西部）'], 1, true],
  ])('%s', (_name, options, correct, expected) => {
    expect(correctIsLongest(q(options, correct))).toBe(expected);
  });

  it('is never true for a multi-answer question', () => {
    expect(correctIsLongest(q(['甲乙丙', '甲'], 0, true))).toBe(false);
  });
});
