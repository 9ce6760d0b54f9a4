// Lint: TypeScript rules plus the layers of design.md, so a wrong import fails CI.
import tseslint from 'typescript-eslint';

const io = ['node:fs', 'node:fs/promises', 'node:path', 'node:http', 'node:net', 'node:child_process', 'node:os', 'node:crypto', 'fs', 'path'];
const upper = (dirs) => dirs.map((d) => `**/${d}/**`);

export default tseslint.config(
  { ignores: ['node_modules/**', 'data/**', 'drizzle/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-eval': 'error',
      'no-new-func': 'error',
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: io.map((name) => ({ name, message: 'src/core is pure: no I/O (design.md).' })),
          patterns: [
            { group: ['grammy', 'grammy/*', '@grammyjs/*'], message: 'src/core knows no grammY (design.md).' },
            { group: ['drizzle-orm', 'drizzle-orm/*', 'better-sqlite3'], message: 'src/core knows no SQL (design.md).' },
            { group: ['i18next', 'exceljs', 'echarts', 'echarts/*', '@resvg/*', 'pino', 'yaml'], message: 'src/core is pure (design.md).' },
            { group: upper(['bot', 'db', 'content', 'reports', 'jobs', 'cli']).concat(['../bot/*', '../db/*', '../content/*', '../../bot/*', '../../db/*', '../../content/*', '../reports/*', '../../reports/*', '../jobs/*', '../../jobs/*', '../cli/*', '../../cli/*']), message: 'src/core imports nothing from bot, db, content, reports, jobs or cli (design.md).' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/db/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['grammy', 'grammy/*', '@grammyjs/*'], message: 'src/db knows no grammY (design.md).' },
            { group: ['../bot/*', '../../bot/*', '../cli/*', '../jobs/*'], message: 'src/db imports nothing from bot (design.md).' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/bot/**/*.ts', 'src/jobs/**/*.ts', 'src/reports/**/*.ts', 'src/content/**/*.ts', 'src/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [{ group: ['better-sqlite3'], message: 'Only src/db talks to SQLite (design.md).' }],
        },
      ],
    },
  },
);
