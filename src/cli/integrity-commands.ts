import { existsSync, rmSync } from 'node:fs';
import { adoptUnkeyedRevisions, verifyChains } from '../db/integrity-repo.js';
import { backupTo } from '../db/backup.js';
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
  const r = await backupTo(env.db, file);
  if (!r.ok) {
    rmSync(file, { force: true });
    env.out(env.t('cli.backup_failed', { file, problem: r.problem }));
    return 1;
  }
  env.out(env.t('cli.backup_ok', { file, cards: r.cards, bytes: r.bytes }));
  return 0;
}
