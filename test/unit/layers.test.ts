/**
 * The layer rules are lint rules: this checks that each one fires, by linting one forbidden import per layer as if
 * it were a file there (and an allowed one, which must pass).
 */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

async function importErrors(file: string, source: string): Promise<string[]> {
  const [r] = await eslint.lintText(`${source}\nexport const x = 1;\n`, { filePath: file });
  return r.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

const forbidden: [string, string][] = [
  ['src/core/visits/x.ts', "import { readFileSync } from 'node:fs';"],
  ['src/core/visits/x.ts', "import type { Db } from '../../db/client.js';"],
  ['src/app/card/x.ts', "import { InlineKeyboard } from 'grammy';"],
  ['src/app/x.ts', "import { eq } from 'drizzle-orm';"],
  ['src/app/x.ts', "import { showMenu } from '../bot/features/menu.js';"],
  ['src/db/x.ts', "import { renderView } from '../bot/render/view.js';"],
  ['src/db/x.ts', "import { writeWorkbook } from '../reports/xlsx.js';"],
  ['src/db/x.ts', "import { loadContent } from '../content/index.js';"],
  ['src/jobs/x.ts', "import { telegramNotifier } from '../bot/notifier.js';"],
  ['src/jobs/x.ts', "import type { Api } from 'grammy';"],
  ['src/web/x.ts', "import { Bot } from 'grammy';"],
  ['src/cli/x.ts', "import { sql } from 'drizzle-orm';"],
  ['src/bot/features/x.ts', "import { eq } from 'drizzle-orm';"],
  ['src/reports/x.ts', "import { cardStep } from '../app/card/step.js';"],
];

const allowed: [string, string][] = [
  ['src/app/x.ts', "import { draftById } from '../db/cards-repo.js';"],
  ['src/bot/x.ts', "import { Composer } from 'grammy';"],
  ['src/db/x.ts', "import { eq } from 'drizzle-orm';"],
  ['src/jobs/x.ts', "import { pushNoticeView } from '../app/notices.js';"],
];

describe('layers', () => {
  it.each(forbidden)('%s may not: %s', async (file, source) => {
    expect(await importErrors(file, source)).toHaveLength(1);
  });
  it.each(allowed)('%s may: %s', async (file, source) => {
    expect(await importErrors(file, source)).toEqual([]);
  });
});
