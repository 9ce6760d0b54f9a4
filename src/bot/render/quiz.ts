/** Quiz state → message text and keyboard: a question, the feedback on an answer, the final score. */
import { createHash } from 'node:crypto';
import { InlineKeyboard } from 'grammy';
import { LEVEL_LABELS, OPTION_LETTERS, percent, sourceForHelpers, type Question } from '../../core/quiz/index.js';
import { pickText, type Locale, type Text } from '../../core/text.js';
import { cb } from '../callback-data.js';
import type { Translate } from '../../i18n.js';

/** A short, stable token for a topic in callback data (topics may be long Chinese names). */
export function topicToken(topic: string): string {
  return createHash('sha1').update(topic).digest('base64url').slice(0, 10);
}

/** One question on screen: header, text, lettered options; buttons carry attempt id and position. */
export function questionMessage(
  q: Question,
  at: { attemptId: number; position: number; total: number; pending: number[] },
  topic: Text,
  locale: Locale,
  t: Translate,
): { text: string; keyboard: InlineKeyboard } {
  const lines = [
    t('quizbot.header', { n: at.position + 1, total: at.total, level: pickText(LEVEL_LABELS[q.level], locale), topic: pickText(topic, locale) }),
    '',
    pickText(q.text, locale),
    '',
    ...q.options.map((o, i) => `${OPTION_LETTERS[i]}. ${pickText(o, locale)}`),
  ];
  if (q.multi) lines.push('', t('quizbot.multi_hint'));
  const kb = new InlineKeyboard();
  q.options.forEach((_, i) => {
    const letter = OPTION_LETTERS[i];
    const label = q.multi && at.pending.includes(i) ? `☑ ${letter}` : letter;
    kb.text(label, cb('qa', at.attemptId, at.position, i));
    if ((i + 1) % 5 === 0) kb.row();
  });
  if (q.multi) kb.row().text(t('quizbot.submit'), cb('qs', at.attemptId, at.position));
  return { text: lines.join('\n'), keyboard: kb };
}

const letters = (choices: number[]): string => choices.map((c) => OPTION_LETTERS[c]).join(',');

/** The question as answered: the choice, right or wrong, the correct answer, explanation and source. */
export function feedbackText(q: Question, choices: number[], correct: boolean, locale: Locale, t: Translate): string {
  return [
    pickText(q.text, locale),
    '',
    t('quizbot.your_answer', { answer: letters(choices) || '-' }),
    correct ? t('quizbot.right') : t('quizbot.wrong', { answer: letters(q.correct) }),
    t('quizbot.explanation', { text: pickText(q.explanation, locale) }),
    ...(sourceForHelpers(q.source) ? [t('quizbot.source', { source: sourceForHelpers(q.source) })] : []),
  ].join('\n');
}

/** The end of a sitting. */
export function scoreText(correctCount: number, total: number, t: Translate): string {
  return t('quizbot.finished', { correct: correctCount, total, pct: percent(correctCount, total) });
}
