/**
 * Loads and validates every question bank in content/quizzes/*.yaml at start-up.
 * Errors name the file (and the question id and field when they are inside a question).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readYamlFile } from './yaml-file.js';
import { describeBankError, validateBank, type Bank, type BankError, type Question, type QuizContent } from '../core/quiz/index.js';

export type { QuizContent };

/** All banks of a directory, plus an index of every question by id. */

/** Result of loading: every problem of every file, or the content. */
export type QuizLoadResult = { ok: true; content: QuizContent } | { ok: false; errors: BankError[] };

/** Default location of the banks, relative to the working directory. */
const QUIZ_DIR = 'content/quizzes';

/**
 * Loads and validates all `*.yaml` / `*.yml` files of `dir`, plus banks made elsewhere (the requirement packs'
 * questions, each named by its file); question ids must be unique across all of them.
 */
export function loadQuizBanks(dir: string = QUIZ_DIR, extra: readonly { bank: Bank; file: string }[] = []): QuizLoadResult {
  const files = readdirSync(dir)
    .filter((f) => /\.ya?ml$/i.test(f))
    .sort();
  const errors: BankError[] = [];
  const banks: Bank[] = [];
  if (files.length === 0) {
    return { ok: false, errors: [{ file: dir, field: '(dir)', message: { key: 'quiz.err.no_banks' } }] };
  }
  for (const name of files) {
    const file = join(dir, name);
    let raw: unknown;
    try {
      raw = readYamlFile(file);
    } catch (e) {
      errors.push({ file, field: '(yaml)', message: { key: 'quiz.err.yaml', params: { message: (e as Error).message } } });
      continue;
    }
    const result = validateBank(raw, file);
    if (result.ok) banks.push(result.bank);
    else errors.push(...result.errors);
  }

  const extraFile = new Map(extra.map((e) => [e.bank, e.file]));
  banks.push(...extra.map((e) => e.bank));
  const byId = new Map<string, Question>();
  const fileOf = new Map<string, string>();
  const topics: Bank['topics'] = {};
  for (const bank of banks) {
    Object.assign(topics, bank.topics);
    const file = extraFile.get(bank) ?? join(dir, files.find((f) => f.replace(/\.ya?ml$/i, '') === bank.id) ?? bank.id);
    for (const q of bank.questions) {
      const other = fileOf.get(q.id);
      if (other !== undefined) {
        errors.push({ file, questionId: q.id, field: 'id', message: { key: 'quiz.err.duplicate_across_files', params: { id: q.id, other } } });
        continue;
      }
      fileOf.set(q.id, file);
      byId.set(q.id, q);
    }
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, content: { banks, questions: [...byId.values()], byId, topics } };
}

/** Start-up variant: throws one Error listing every problem (file, question, field, message key). */
export function loadQuizBanksOrThrow(dir: string = QUIZ_DIR): QuizContent {
  const result = loadQuizBanks(dir);
  if (result.ok) return result.content;
  const lines = result.errors.map(describeBankError);
  throw new Error(`Invalid question banks in ${dir}:\n  ${lines.join('\n  ')}`);
}
