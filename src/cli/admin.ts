/**
 * `npm run admin -- <command>`: the commands are listed in README.md and printed when none is given.
 * Reads the same environment as `npm start`.
 */
import 'dotenv/config';
import { loadConfig } from '../config.js';
import { openDatabase } from '../db/client.js';
import { openProblemLine } from '../startup.js';
import { createTranslator } from '../i18n.js';
import * as cmd from './admin-commands.js';
import { backup, restoreBackup, verify } from './integrity-commands.js';
import { importPack, importQuiz, packTemplate, quizTemplate } from './quiz-commands.js';
import { exportCommand } from './export-commands.js';

// backups, exports and the generated secret hold personal data or keys: owner-only, whatever the shell's umask
process.umask(0o077);
const parsed = loadConfig(process.env);
if (!parsed.ok) {
  for (const e of parsed.errors) console.error(`配置错误 / config error: ${e}`);
  process.exit(2);
}
const config = parsed.config;
const t = createTranslator(config.defaultLocale).forLocale(config.defaultLocale);
const [command, ...args] = process.argv.slice(2);
const opened = openDatabase(config.databasePath, { secret: config.appSecret });
if (!opened.ok) {
  console.error(openProblemLine(opened.problem, config.databasePath, opened.detail));
  process.exit(1);
}
const db = opened.db;
const env: cmd.CliEnv = { config, db, t, out: (l) => console.log(l), now: Date.now(), botUsername: await botUsername() };

async function botUsername(): Promise<string | undefined> {
  if (!config.botToken || !['invite', 'rebind'].includes(command ?? '')) return undefined;
  try {
    const root = config.botApiRoot ?? 'https://api.telegram.org';
    const res = await fetch(`${root}/bot${config.botToken}/getMe`, { signal: AbortSignal.timeout(5000) });
    const body = (await res.json()) as { ok: boolean; result?: { username?: string } };
    return body.result?.username;
  } catch {
    return undefined;
  }
}

const commands: Record<string, () => cmd.Exit | Promise<cmd.Exit>> = {
  'roster-template': () => cmd.rosterTemplate(env, args[0]),
  'import-roster': () => cmd.importRoster(env, args[0]),
  invite: () => cmd.invite(env, args[0]),
  rebind: () => cmd.rebind(env, args[0]),
  revoke: () => cmd.revoke(env, args[0]),
  restore: () => cmd.restore(env, args[0]),
  'web-link': () => cmd.webLink(env, args[0]),
  'seed-demo': () => cmd.seedDemo(env),
  verify: () => verify(env, args),
  backup: () => backup(env, args[0]),
  'restore-backup': () => restoreBackup(env, args[0]),
  'import-quiz': () => importQuiz(env, args[0]),
  'quiz-template': () => quizTemplate(env, args[0]),
  'pack-template': () => packTemplate(env, args[0]),
  'import-pack': () => importPack(env, args),
  export: () => exportCommand(env, args),
};

let status: cmd.Exit;
if (!command || command === 'help' || command === '--help') status = cmd.usage(env);
else if (!commands[command]) {
  console.error(t('cli.unknown_command', { command }));
  status = cmd.usage(env);
} else status = await commands[command]();
db.$client.close();
process.exit(status);
