/**
 * `npm run admin -- import-quiz <file.yaml|xlsx|csv>` and `quiz-template <file.xlsx>`; `pack-template` and
 * `import-pack` for a province's or city's rules as a workbook.
 * Import is all or nothing: every problem is printed (by row and column for sheets, by question and field for
 * YAML) and nothing is written; an edited question gets the next version.
 */
import { existsSync, readFileSync } from 'node:fs';
import { validateBank, type Question } from '../core/quiz/index.js';
import { parseQuizSheet, writeQuizTemplate } from '../content/quiz-spreadsheet.js';
import { importQuestions } from '../db/quiz-repo.js';
import { fileErrorMessage } from '../content/sheet-cells.js';
import type { CliEnv, Exit } from './admin-commands.js';
import { parsePackSheet } from '../content/pack-spreadsheet.js';
import { writePackTemplate } from '../reports/pack-template.js';
import { loadContent } from '../content/index.js';
import { parseYaml } from '../content/yaml-file.js';
import { packOfWorkbook, storePack } from '../app/quiz/rules-import.js';
import { LEVEL_LABELS } from '../core/quiz/index.js';

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
    raw = parseYaml(readFileSync(file, 'utf8'));
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

/** `pack-template <file.xlsx>`: the rules workbook (sheets 条款 and 题目) with one example clause and question. */
export async function packTemplate(env: CliEnv, file: string | undefined): Promise<Exit> {
  if (!file || !/\.xlsx$/i.test(file)) return packUsage(env);
  await writePackTemplate(file);
  env.out(env.t('packcli.template_written', { file }));
  return 0;
}

/**
 * `import-pack <file.xlsx> [--yes]`: every bad cell by sheet, row and column; a good workbook is previewed and
 * published only when run again with --yes (the same store as the bot's /rules import).
 */
export async function importPack(env: CliEnv, args: string[]): Promise<Exit> {
  const file = args.find((a) => !a.startsWith('--'));
  if (!file || !/\.xlsx$/i.test(file) || args.some((a) => a.startsWith('--') && a !== '--yes')) return packUsage(env);
  if (!existsSync(file)) return env.out(env.t('quizcli.file_missing', { file })), 1;
  const parsed = await parsePackSheet(file);
  if (!parsed.ok) {
    if (parsed.fileError) {
      const m = fileErrorMessage(parsed.fileError);
      env.out(env.t('quizcli.import_failed', { count: 1 }));
      env.out('  ' + env.t(m.key, m.params));
      return 1;
    }
    env.out(env.t('quizcli.import_failed', { count: parsed.errors.length }));
    for (const e of parsed.errors) {
      env.out('  ' + env.t('rulebook.error_line', { sheet: e.sheet, row: e.row, column: e.column, message: env.t(e.message.key, e.message.params) }));
    }
    return 1;
  }
  const loaded = loadContent(env.config.contentDir);
  if (!loaded.ok) {
    for (const e of loaded.errors) env.out(e);
    return 1;
  }
  const p = parsed.pack;
  const check = packOfWorkbook({ content: loaded.content }, p);
  if (!check.ok) {
    env.out(env.t('rules.invalid', { problems: check.errors.length }));
    for (const e of check.errors) env.out('  ' + e);
    return 1;
  }
  const level = env.config.defaultLocale === 'en' ? LEVEL_LABELS[p.level].en : LEVEL_LABELS[p.level].zh;
  env.out(env.t('rulebook.preview', { level, region: p.region, documents: p.documents, clauses: p.clauses, questions: p.questions }));
  for (const r of check.pack.requirements) env.out(`  · ${r.id} ${r.text.zh}`);
  const place = loaded.content.settings.requirements ?? {};
  if (check.elsewhere) env.out(env.t('rulebook.elsewhere', { region: p.region, place: [place.province, place.city].filter(Boolean).join(' / ') }));
  if (!args.includes('--yes')) {
    env.out(env.t('packcli.confirm_hint'));
    return 0;
  }
  const r = storePack({ db: env.db, now: () => env.now }, check.raw);
  if (!r.ok) {
    env.out(env.t('rules.invalid', { problems: r.errors.length }));
    return 1;
  }
  env.out(env.t('rules.published', { clauses: r.clauses, questions: r.questions, level }));
  return 0;
}

function packUsage(env: CliEnv): Exit {
  env.out(env.t('packcli.usage'));
  return 2;
}
