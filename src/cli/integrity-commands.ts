import { chmodSync, copyFileSync, existsSync, renameSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { adoptUnkeyedRevisions, verifyChains } from '../db/integrity-repo.js';
import { accessChangedSince, backupTo, checkBackupFile, reapplyAccess } from '../db/backup.js';
import { openDatabase } from '../db/client.js';
import { acquireProcessLock } from '../db/lock.js';
import { openProblemLine, startupLine } from '../startup.js';
import type { CliEnv, Exit } from './admin-commands.js';
import { usage } from './admin-commands.js';

/**
 * `verify [<digest>]`: the keyed chain of every card's history, the card columns figures come from, the yearly tallies;
 * names the first broken link. Prints a digest to keep elsewhere; given one recorded earlier, checks the chain still
 * holds that state (a rewrite of the whole chain, or a rollback, shows there). Exit 1 when broken.
 */
export function verify(env: CliEnv, args: string[] = []): Exit {
  const adopt = args.includes('--adopt-unkeyed');
  const rest = args.filter((a) => a !== '--adopt-unkeyed');
  if (rest.length > 1 || rest.some((a) => a.startsWith('--'))) return usage(env);
  const digest = rest[0];
  if (adopt) {
    const a = adoptUnkeyedRevisions(env.db, env.now);
    if (!a.ok) {
      env.out(env.t('security.adopt_failed', { card: a.cardId, revision: a.revision }));
      return 1;
    }
    env.out(env.t('security.adopted', { count: a.adopted }));
  }
  const r = verifyChains(env.db, { digest });
  if (r.ok) {
    env.out(env.t('cli.verify_ok', { cards: r.cards, revisions: r.revisions }));
    if (digest) env.out(env.t('security.verify_digest_matches', { digest }));
    env.out(env.t('security.verify_digest', { digest: r.digest }));
    return 0;
  }
  const problem = env.t(`cli.verify_problem.${r.problem}`);
  if (r.problem === 'tally') env.out(env.t('security.verify_tally', { household: r.householdId ?? 0, problem }));
  else if (r.problem === 'head' || r.problem === 'digest') env.out(env.t('security.verify_whole', { problem }));
  else env.out(env.t('cli.verify_broken', { card: r.cardId, revision: r.revision, problem }));
  if (r.problem === 'unsealed') env.out(env.t('security.verify_unsealed_hint'));
  return 1;
}

/** `backup <file>`: SQLite's online backup, consistent while the bot writes; the copy is checked before we say so. */
export async function backup(env: CliEnv, file: string | undefined): Promise<Exit> {
  if (!file) return usage(env);
  if (existsSync(file)) return env.out(env.t('cli.backup_exists', { file })), 1;
  const r = await backupTo(env.db, file).catch((e: Error) => ({ ok: false as const, problem: e.message.split('\n')[0] }));
  if (!r.ok) {
    rmSync(file, { force: true });
    env.out(env.t('cli.backup_failed', { file, problem: r.problem }));
    return 1;
  }
  env.out(env.t('cli.backup_ok', { file, cards: r.cards, bytes: r.bytes }));
  return 0;
}

/**
 * `restore-backup <file>`: puts a backup in place of the database (the bot must be stopped: the database's lock
 * says so). The current database is moved aside, not deleted. Access withdrawn since the backup stays withdrawn:
 * people revoked since are revoked again, bindings that ended or moved since end again, and every unused invite
 * in the backup is voided; each is listed. Then the restored chain is verified.
 */
export function restoreBackup(env: CliEnv, file: string | undefined): Exit {
  if (!file) return usage(env);
  const path = env.config.databasePath;
  if (resolve(file) === resolve(path)) return usage(env);
  const checked = checkBackupFile(file);
  if (!checked.ok) return env.out(env.t('security.restore_bad_backup', { file, problem: checked.problem })), 1;
  const locked = acquireProcessLock(path);
  if (!locked.ok) return env.out(startupLine('db_locked', { path })), 1;
  try {
    const since = accessChangedSince(env.db, file);
    env.db.$client.pragma('wal_checkpoint(TRUNCATE)');
    env.db.$client.close();
    const aside = `${path}.before-restore-${new Date(env.now).toISOString().replace(/[:.]/g, '-')}`;
    for (const suffix of ['', '-wal', '-shm']) if (existsSync(path + suffix)) renameSync(path + suffix, aside + suffix);
    copyFileSync(file, path);
    chmodSync(path, 0o600);
    const opened = openDatabase(path, { secret: env.config.appSecret });
    if (!opened.ok) {
      env.out(openProblemLine(opened.problem, path, opened.detail));
      env.out(env.t('security.restore_aside', { aside }));
      return 1;
    }
    const { invitesVoided } = reapplyAccess(opened.db, since, env.now);
    env.out(env.t('security.restore_done', { file, aside }));
    env.out(env.t('security.restore_revoked', { count: since.revoked.length, people: since.revoked.map((p) => `${p.code} ${p.name}`).join('、') || '—' }));
    env.out(env.t('security.restore_unbound', { count: since.unbound.length, people: since.unbound.map((p) => `${p.code} ${p.name}`).join('、') || '—' }));
    env.out(env.t('security.restore_invites', { count: invitesVoided }));
    const status = verify({ ...env, db: opened.db });
    opened.db.$client.close();
    return status;
  } finally {
    locked.lock.release();
  }
}
