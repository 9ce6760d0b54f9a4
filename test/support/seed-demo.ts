/**
 * The demo district in a new database for a bot process, as `npm run admin -- seed-demo` makes it, but in-process:
 * starting the admin CLI costs a process start (seconds on 2 busy cores). foundation.e2e.test.ts still runs the CLI
 * itself. The configuration is read the way the bot process reads it (.env, then the environment it gets).
 */
import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'dotenv';
import { loadConfig } from '../../src/config.js';
import { openDb } from '../../src/db/client.js';
import { seedDemo } from '../../src/cli/admin-commands.js';
import { createTranslator } from '../../src/i18n.js';

/** Seeds and closes the database; returns what seed-demo prints: `[role, name, invite code]` per demo person. */
export function seedDemoDatabase(env: Record<string, string>): string[][] {
  const dotenv = existsSync('.env') ? parse(readFileSync('.env')) : {};
  const parsed = loadConfig({ ...dotenv, ...process.env, ...env });
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  const config = parsed.config;
  const db = openDb(config.databasePath, { secret: config.appSecret });
  const lines: string[][] = [];
  const t = createTranslator(config.defaultLocale).forLocale(config.defaultLocale);
  const status = seedDemo({ config, db, t, out: () => undefined, now: Date.now() }, (l) => void lines.push(l.split('\t')), () => undefined);
  db.$client.close();
  if (status !== 0) throw new Error(`seed-demo failed (${status})`);
  return lines;
}
