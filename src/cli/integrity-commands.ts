import { existsSync, rmSync } from 'node:fs';
import { verifyChains } from '../db/cards-repo.js';
import { backupTo } from '../db/backup.js';
import type { CliEnv, Exit } from './admin-commands.js';
import { usage } from './admin-commands.js';

/** `verify`: every card's hash-chained history; names the first broken link. Exit 1 when broken. */
export function verify(env: CliEnv): Exit {
  const r = verifyChains(env.db);
  if (r.ok) {
    env.out(env.t('cli.verify_ok', { cards: r.cards, revisions: r.revisions }));
    return 0;
  }
  env.out(env.t('cli.verify_broken', { card: r.cardId, revision: r.revision, problem: env.t(`cli.verify_problem.${r.problem}`) }));
  return 1;
}

/** `backup <file>`: SQLite's online backup, consistent while the bot writes; the copy is checked before we say so. */
export async function backup(env: CliEnv, file: string | undefined): Promise<Exit> {
  if (!file) return usage(env);
  if (existsSync(file)) return env.out(env.t('cli.backup_exists', { file })), 1;
  const r = await backupTo(env.db, file);
  if (!r.ok) {
    rmSync(file, { force: true });
    env.out(env.t('cli.backup_failed', { file, problem: r.problem }));
    return 1;
  }
  env.out(env.t('cli.backup_ok', { file, cards: r.cards, bytes: r.bytes }));
  return 0;
}
