import type { I18nKey } from '../i18n-keys.js';
import type { Text } from '../text.js';
import type { Bank, BankError, BankResult, Question } from './types.js';
import { readText, validateQuestion, type FieldError, type QuestionDefaults } from './validate-question.js';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Bank id from a file name: "content/quizzes/national.yaml" → "national". */
function bankIdFromFile(file: string): string {
  const base = file.split(/[\\/]/).pop() ?? file;
  return base.replace(/\.[^.]+$/, '');
}

/**
 * Validates a parsed bank file (YAML object) and normalises it.
 *
 * Shape: `{ title?: Text, defaults?: {level, region, effectiveDate, version, source}, topics?: {code: Text},
 * questions: [...] }`. Errors name the file, the question id (or `#index`) and the field: duplicate ids,
 * too few/many options, answers out of range, missing Chinese text, bad levels, bad dates, unknown topics.
 */
export function validateBank(raw: unknown, file: string): BankResult {
  const errors: BankError[] = [];
  const fileErr = (field: string, key: I18nKey, params?: Record<string, string | number>): void => {
    errors.push({ file, field, message: params ? { key, params } : { key } });
  };
  if (!isRecord(raw)) {
    fileErr('(root)', 'quiz.err.not_object');
    return { ok: false, errors };
  }

  const titleErrors: FieldError[] = [];
  const title: Text = raw.title === undefined ? { zh: bankIdFromFile(file), en: bankIdFromFile(file) } : (readText(raw.title, 'title', titleErrors) ?? { zh: '', en: '' });
  for (const e of titleErrors) errors.push({ file, field: e.field, message: e.message });

  const defaults: QuestionDefaults = isRecord(raw.defaults) ? raw.defaults : {};
  if (raw.defaults !== undefined && !isRecord(raw.defaults)) fileErr('defaults', 'quiz.err.not_object');

  let topics: Record<string, Text> | undefined;
  if (raw.topics !== undefined) {
    topics = {};
    if (!isRecord(raw.topics)) fileErr('topics', 'quiz.err.not_object');
    else {
      for (const [code, label] of Object.entries(raw.topics)) {
        const fe: FieldError[] = [];
        const t = readText(label, `topics.${code}`, fe);
        for (const e of fe) errors.push({ file, field: e.field, message: e.message });
        if (t) topics[code] = t;
      }
    }
  }

  if (!Array.isArray(raw.questions) || raw.questions.length === 0) {
    fileErr('questions', 'quiz.err.no_questions');
    return { ok: false, errors };
  }

  const questions: Question[] = [];
  const seen = new Map<string, number>();
  raw.questions.forEach((q, index) => {
    const rawId = isRecord(q) && (typeof q.id === 'string' || typeof q.id === 'number') ? String(q.id).trim() : '';
    const questionId = rawId || `#${index + 1}`;
    if (rawId) {
      const first = seen.get(rawId);
      if (first !== undefined) {
        errors.push({ file, questionId, index, field: 'id', message: { key: 'quiz.err.duplicate_id', params: { id: rawId, first: first + 1 } } });
      } else seen.set(rawId, index);
    }
    const result = validateQuestion(q, defaults, topics);
    if (result.ok) questions.push(result.question);
    else for (const e of result.errors) errors.push({ file, questionId, index, field: e.field, message: e.message });
  });

  if (errors.length > 0) return { ok: false, errors };
  const bank: Bank = { id: bankIdFromFile(file), title, topics: topics ?? {}, questions };
  return { ok: true, bank };
}

/** One line for logs and CLI output: `file: Q07 options.2.zh quiz.err.missing_zh {…}`. */
export function describeBankError(e: BankError): string {
  const where = [e.file, e.questionId, e.field].filter(Boolean).join(' ');
  const params = e.message.params ? ` ${JSON.stringify(e.message.params)}` : '';
  return `${where}: ${e.message.key}${params}`;
}

/** Bilingual label of a topic; falls back to the topic string itself (spreadsheet imports name topics in Chinese). */
export function topicLabel(bank: Pick<Bank, 'topics'>, topic: string): Text {
  return bank.topics[topic] ?? { zh: topic, en: topic };
}
