// Lint: TypeScript rules plus the layers of docs/architecture.md, so a wrong import fails CI.
import tseslint from 'typescript-eslint';

const io = ['node:fs', 'node:fs/promises', 'node:path', 'node:http', 'node:net', 'node:child_process', 'node:os', 'node:crypto', 'node:worker_threads', 'fs', 'path'];

/** Import patterns that reach a folder of src from anywhere below src. */
const folder = (name) => [`../${name}/*`, `../../${name}/*`, `../../../${name}/*`, `../${name}.js`, `../../${name}.js`];
const from = (...names) => names.flatMap(folder);

const grammy = { group: ['grammy', 'grammy/*', '@grammyjs/*'], message: 'Only src/bot and src/main.ts know grammY: other layers are channel-free.' };
const sql = { group: ['drizzle-orm', 'drizzle-orm/*', 'better-sqlite3'], message: 'Only src/db writes SQL.' };
const rendering = { group: ['i18next', 'exceljs', 'echarts', 'echarts/*', '@resvg/*', 'pino', 'yaml'], message: 'src/core is pure.' };

/** One rule per layer: flat config does not merge two `no-restricted-imports` entries, so each lists all it forbids. */
const layer = (files, patterns, paths = []) => ({ files, rules: { 'no-restricted-imports': ['error', { paths, patterns }] } });

export default tseslint.config(
  { ignores: ['node_modules/**', 'data/**', 'drizzle/**', 'dist/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-eval': 'error',
      'no-new-func': 'error',
    },
  },
  layer(
    ['src/core/**/*.ts'],
    [grammy, sql, rendering, { group: from('bot', 'db', 'content', 'reports', 'jobs', 'cli', 'web', 'app'), message: 'src/core imports only src/core.' }],
    io.map((name) => ({ name, message: 'src/core is pure: no I/O.' })),
  ),
  layer(['src/app/**/*.ts'], [grammy, sql, { group: from('bot', 'web', 'cli', 'jobs'), message: 'src/app is under every channel: it imports no adapter and no job.' }]),
  layer(['src/db/**/*.ts'], [grammy, { group: from('bot', 'reports', 'content', 'app', 'jobs', 'cli', 'web'), message: 'src/db imports only src/core (and itself).' }]),
  layer(['src/jobs/**/*.ts'], [grammy, sql, { group: from('bot', 'web', 'cli'), message: 'src/jobs send through the notifier port: no bot, web or cli.' }]),
  layer(['src/reports/**/*.ts'], [grammy, sql, { group: from('bot', 'app', 'jobs', 'cli', 'web'), message: 'src/reports turns data into files: no channel, no use case.' }]),
  layer(['src/content/**/*.ts'], [grammy, sql, { group: from('bot', 'app', 'db', 'jobs', 'cli', 'web', 'reports'), message: 'src/content loads files into core types.' }]),
  layer(['src/bot/**/*.ts'], [sql]),
  layer(['src/web/**/*.ts', 'src/cli/**/*.ts'], [grammy, sql]),
);
