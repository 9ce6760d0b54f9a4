/** `npm run admin -- export <households|cards|quiz|archive> <file.xlsx> [--scope district|town:CODE|unit:CODE]`. */
import type { SupervisorScope } from '../core/people/scope.js';
import { loadContent } from '../content/index.js';
import { writeExport } from '../app/export.js';
import { knowledgeMatrix } from '../app/quiz/coverage.js';
import { isExportKind } from '../reports/export-sheets.js';
import { scopeByCode } from '../db/scope-repo.js';
import type { CliEnv, Exit } from './admin-commands.js';

/** Parses `district`, `town:T01` or `unit:U01` against the database; undefined when unknown. */
function parseScope(env: CliEnv, arg: string): SupervisorScope | undefined {
  if (arg === 'district') return { kind: 'district' };
  const m = /^(town|unit):(.+)$/.exec(arg);
  return m ? scopeByCode(env.db, m[1] as 'town' | 'unit', m[2]) : undefined;
}

export async function exportCommand(env: CliEnv, args: string[]): Promise<Exit> {
  const [kind, file, ...rest] = args;
  if (!isExportKind(kind) || !file || !file.endsWith('.xlsx')) {
    env.out(env.t('export.cli_usage'));
    return 2;
  }
  let scope: SupervisorScope = { kind: 'district' };
  const i = rest.indexOf('--scope');
  if (i >= 0) {
    const parsed = rest[i + 1] ? parseScope(env, rest[i + 1]) : undefined;
    if (!parsed) {
      env.out(env.t('export.cli_bad_scope', { scope: rest[i + 1] ?? '' }));
      return 1;
    }
    scope = parsed;
  } else if (rest.length) {
    env.out(env.t('export.cli_usage'));
    return 2;
  }
  const content = loadContent(env.config.contentDir);
  if (!content.ok) {
    for (const e of content.errors) env.out(e);
    return 1;
  }
  const summary = await writeExport(env.db, kind, file, {
    scope,
    t: env.t,
    locale: env.config.defaultLocale,
    form: content.content.card,
    forms: content.content.forms,
    timeZone: env.config.timezone,
    now: env.now,
    target: content.content.settings.visits.target,
    settings: content.content.settings,
    by: { personId: null, via: 'cli' },
    knowledge: () => knowledgeMatrix({ db: env.db, content: content.content, config: env.config, now: () => env.now }, scope),
  });
  for (const s of summary.sheets) env.out(env.t('export.cli_sheet', { sheet: s.name, rows: s.rows }));
  env.out(env.t('export.cli_done', { file }));
  return 0;
}
