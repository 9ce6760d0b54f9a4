/**
 * A quiz on screen: one question per message with lettered buttons (each carries the attempt and the position, so a
 * button of a question already answered is stale), the feedback that replaces it once answered, the final score.
 */
import { LEVEL_LABELS, OPTION_LETTERS, percent, sourceForHelpers, type Question } from '../../core/quiz/index.js';
import type { Text } from '../../core/text.js';
import { content, join, msg, raw, ViewBuilder, type ChatView } from '../views.js';

/** Option buttons per row. */
const PER_ROW = 5;

export interface QuestionPlace {
  attemptId: number;
  position: number;
  total: number;
  /** options ticked so far on a multi-answer question */
  pending: number[];
}

export function questionView(q: Question, at: QuestionPlace, topic: Text): ChatView {
  const v = new ViewBuilder()
    .line(msg('quizbot.header', { n: at.position + 1, total: at.total, level: content(LEVEL_LABELS[q.level]), topic: content(topic) }))
    .block()
    .line(content(q.text))
    .block();
  q.options.forEach((o, i) => v.line(join([raw(`${OPTION_LETTERS[i]}. `), content(o)])));
  if (q.multi) v.block().line(msg('quizbot.multi_hint'));
  q.options.forEach((_, i) => {
    const letter = OPTION_LETTERS[i];
    v.action(raw(q.multi && at.pending.includes(i) ? `☑ ${letter}` : letter), 'quiz:answer', at.attemptId, at.position, i);
    if ((i + 1) % PER_ROW === 0) v.row();
  });
  if (q.multi) v.row().action(msg('quizbot.submit'), 'quiz:submit', at.attemptId, at.position);
  return v.build();
}

const letters = (choices: number[]): string => choices.map((c) => OPTION_LETTERS[c]).join(',');

/** The question as answered: the choice, right or wrong, the correct answer, explanation and source. */
export function feedbackView(q: Question, choices: number[], correct: boolean): ChatView {
  const source = sourceForHelpers(q.source);
  return new ViewBuilder()
    .line(content(q.text))
    .block()
    .line(msg('quizbot.your_answer', { answer: letters(choices) || '-' }))
    .line(correct ? msg('quizbot.right') : msg('quizbot.wrong', { answer: letters(q.correct) }))
    .line(msg('quizbot.explanation', { text: content(q.explanation) }))
    .line(source ? msg('quizbot.source', { source }) : undefined)
    .build();
}

/** The end of a sitting, with the way back to the quiz menu. */
export function scoreView(correctCount: number, total: number): ChatView {
  return new ViewBuilder()
    .line(msg('quizbot.finished', { correct: correctCount, total, pct: percent(correctCount, total) }))
    .action(msg('quizbot.again'), 'menu', 'quiz')
    .build();
}
