/**
 * `npm run admin -- import-quiz <file.yaml|xlsx|csv>` and `quiz-template <file.xlsx>`.
 * Import is all or nothing: every problem is printed (by row and column for sheets, by question and field for
 * YAML) and nothing is written; an edited question gets the next version.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { validateBank, type Question } from '../core/quiz/index.js';
import { parseQuizSheet, writeQuizTemplate } from '../content/quiz-spreadsheet.js';
import { importQuestions } from '../db/quiz-repo.js';
import { fileErrorMessage } from '../content/sheet-cells.js';
import type { CliEnv, Exit } from './admin-commands.js';

/** Writes the question template workbook. */
export async function quizTemplate(env: CliEnv, file: string | undefined): Promise<Exit> {
  if (!file || !/\.xlsx$/i.test(file)) return quizUsage(env);
  await writeQuizTemplate(file);
  env.out(env.t('quizcli.template_written', { file }));
  return 0;
}

/** Validates a YAML bank or a spreadsheet and imports it in one transaction. */
export async function importQuiz(env: CliEnv, file: string | undefined): Promise<Exit> {
  if (!file || !/\.(ya?ml|xlsx|csv)$/i.test(file)) return quizUsage(env);
  if (!existsSync(file)) return env.out(env.t('quizcli.file_missing', { file })), 1;
  const read = /\.ya?ml$/i.test(file) ? readYaml(env, file) : await readSheet(env, file);
  if (!read) return 1;
  const report = importQuestions(env.db, read, env.now);
  env.out(env.t('quizcli.import_ok', { ...report }));
  return 0;
}

function readYaml(env: CliEnv, file: string): Question[] | undefined {
  let raw: unknown;
  try {
    raw = parse(readFileSync(file, 'utf8'));
  } catch (e) {
    env.out(env.t('quizcli.import_failed', { count: 1 }));
    env.out('  ' + env.t('quiz.err.yaml', { message: (e as Error).message }));
    return undefined;
  }
  const result = validateBank(raw, file);
  if (result.ok) return result.bank.questions;
  env.out(env.t('quizcli.import_failed', { count: result.errors.length }));
  for (const e of result.errors) {
    env.out(
      '  ' +
        env.t('quizcli.yaml_error_line', {
          question: e.questionId ?? '-',
          field: e.field,
          message: env.t(e.message.key, e.message.params),
        }),
    );
  }
  return undefined;
}

async function readSheet(env: CliEnv, file: string): Promise<Question[] | undefined> {
  const parsed = await parseQuizSheet(file);
  if (parsed.ok) return parsed.questions;
  if (parsed.fileError) {
    const m = fileErrorMessage(parsed.fileError);
    env.out(env.t('quizcli.import_failed', { count: 1 }));
    env.out('  ' + env.t(m.key, m.params));
    return undefined;
  }
  env.out(env.t('quizcli.import_failed', { count: parsed.errors.length }));
  for (const e of parsed.errors) {
    env.out('  ' + env.t('quizcli.sheet_error_line', { row: e.row, column: e.column, message: env.t(e.message.key, e.message.params) }));
  }
  return undefined;
}

/** Usage of the two quiz commands; exit 2 (misuse). */
function quizUsage(env: CliEnv): Exit {
  env.out(env.t('quizcli.usage'));
  return 2;
}
