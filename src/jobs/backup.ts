/**
 * The nightly backup: an online copy of the database (src/db/backup.ts: consistent while the bot writes,
 * integrity-checked, owner-only) into BACKUP_DIR, then the oldest copies beyond BACKUP_KEEP are deleted. A slot is
 * recorded in job_runs like every scheduled job, so a restart does not copy twice; a failed copy is logged as the
 * job's failure and counts as no backup (/metrics shows the age of the newest good one).
 */
import { dirname, join } from 'node:path';
import { rmSync } from 'node:fs';
import { localDateTime } from '../core/time.js';
import { backupTo, nightlyBackupName, pruneNightlyBackups } from '../db/backup.js';
import type { Config } from '../config.js';
import type { JobDeps } from './deps.js';
import { startSchedule, type ScheduledJob } from './schedule.js';

/** 02:30 in config.timezone: after the day's visits, before the morning's reminders. */
export const BACKUP_PATTERN = '30 2 * * *';

export function backupDirOf(config: Pick<Config, 'backupDir' | 'databasePath'>): string {
  return config.backupDir ?? join(dirname(config.databasePath), 'backups');
}

export function backupJob(): ScheduledJob {
  return {
    name: 'nightly-backup',
    pattern: BACKUP_PATTERN,
    async run(deps, slotAt) {
      const dir = backupDirOf(deps.config);
      const file = join(dir, nightlyBackupName(localDateTime(slotAt, deps.config.timezone)));
      const r = await backupTo(deps.db, file);
      if (!r.ok) {
        // a copy that fails its check is not a backup: remove it so it is never restored or counted
        rmSync(file, { force: true });
        throw new Error(`backup failed its integrity check: ${r.problem.slice(0, 200)}`);
      }
      const pruned = pruneNightlyBackups(dir, deps.config.backupKeep);
      deps.log.info({ file, bytes: r.bytes, cards: r.cards, pruned: pruned.length }, 'nightly backup written');
      return 0;
    },
  };
}

export function startBackups(deps: JobDeps): { stop(): void } {
  return startSchedule(deps, [backupJob()]);
}
