/**
 * A quiz on screen: one question per message with lettered buttons (each carries the attempt and the position, so a
 * button of a question already answered is stale), the feedback that replaces it once answered, the final score.
 */
import { LEVEL_LABELS, letterOf, OPTION_LETTERS, percent, sourceForHelpers, type Question } from '../../core/quiz/index.js';
import type { Text } from '../../core/text.js';
import { content, join, msg, raw, ViewBuilder, type ChatView, type Piece } from '../views.js';

/** Option buttons per row. */
const PER_ROW = 5;

export interface QuestionPlace {
  attemptId: number;
  position: number;
  total: number;
  /** options ticked so far on a multi-answer question */
  pending: number[];
  /** display position → option index (optionOrder) */
  order: number[];
}

export function questionView(q: Question, at: QuestionPlace, topic: Text): ChatView {
  const v = new ViewBuilder()
    .line(msg('quizbot.header', { n: at.position + 1, total: at.total, level: content(LEVEL_LABELS[q.level]), topic: content(topic) }))
    .block()
    .line(content(q.text))
    .block();
  at.order.forEach((i, shown) => v.line(join([raw(`${OPTION_LETTERS[shown]}. `), content(q.options[i]!)])));
  if (q.multi) v.block().line(msg('quizbot.multi_hint'));
  v.block().line(msg('quizbot.type_hint'));
  // buttons carry the option's index: the shown letter may differ from one sitting to the next
  at.order.forEach((i, shown) => {
    const letter = OPTION_LETTERS[shown];
    v.action(raw(q.multi && at.pending.includes(i) ? `☑ ${letter}` : letter), 'quiz:answer', at.attemptId, at.position, i);
    if ((shown + 1) % PER_ROW === 0) v.row();
  });
  if (q.multi) v.row().action(msg('quizbot.submit'), 'quiz:submit', at.attemptId, at.position);
  return v.build();
}

/** Options as the helper saw them: each shown letter with the option's words ("B. 一名；D. 三名"). */
function optionsSaid(q: Question, choices: number[], order: readonly number[]): Piece {
  if (choices.length === 0) return raw('-');
  const shown = [...choices].sort((a, b) => order.indexOf(a) - order.indexOf(b));
  return join(shown.map((c) => join([raw(`${letterOf(order, c)}. `), content(q.options[c]!)])), '；');
}

/** The question as answered: the choice and the correct answer in words, explanation and source. */
export function feedbackView(q: Question, choices: number[], correct: boolean, order: readonly number[]): ChatView {
  const source = sourceForHelpers(q.source);
  return new ViewBuilder()
    .line(content(q.text))
    .block()
    .line(msg('quizbot.your_answer', { answer: optionsSaid(q, choices, order) }))
    .line(correct ? msg('quizbot.right') : msg('quizbot.wrong', { answer: optionsSaid(q, q.correct, order) }))
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
