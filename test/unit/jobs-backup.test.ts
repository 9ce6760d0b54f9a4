/**
 * The nightly backup job for real: copies of a live database on successive nights (each integrity-checked and
 * holding the cards), recorded in job_runs like every job, never twice a night, the oldest beyond BACKUP_KEEP
 * deleted (other files in the folder left alone), and /metrics reporting the newest copy's age.
 */
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { Metrics } from '../../src/app/metrics.js';
import { loadConfig } from '../../src/config.js';
import { checkBackupFile } from '../../src/db/backup.js';
import { jobRunsOf } from '../../src/db/job-runs-repo.js';
import { backupDirOf, backupJob } from '../../src/jobs/backup.js';
import { runDueJobs } from '../../src/jobs/schedule.js';
import { metricsText } from '../../src/web/health.js';
import { makeFixture } from '../app/supervision-fixture.js';

const at = (local: string) => Date.parse(`${local}:00+08:00`);

describe('the nightly backup', () => {
  it('one checked copy a night, recorded; never twice a slot; the oldest beyond the count deleted; metrics see its age', async () => {
    const f = makeFixture();
    const dir = join(mkdtempSync(join(tmpdir(), 'bangfu-backup-job-')), 'nightly');
    Object.assign(f.deps.config, { backupDir: dir, backupKeep: 3 });
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'bangfu-manual-copy.sqlite'), 'kept');
    const deps = { ...f.deps, notifier: f.notifier };
    f.card('H0001', 'wang', '2017-11-10');
    for (let day = 11; day <= 15; day++) {
      f.clock.now = at(`2017-11-${day}T02:31`);
      const ran = await runDueJobs(deps, [backupJob()]);
      expect(ran).toEqual([{ job: 'nightly-backup', slot: `2017-11-${day} 02:30`, sent: 0 }]);
      const file = join(dir, `bangfu-2017-11-${day}-0230.sqlite`);
      expect(checkBackupFile(file)).toEqual({ ok: true });
      expect(statSync(file).mode & 0o777).toBe(0o600);
      // the same slot again (a restart, a second tick): nothing
      f.clock.now += 20 * 60_000;
      expect(await runDueJobs(deps, [backupJob()])).toEqual([]);
    }
    expect(readdirSync(dir).sort()).toEqual(['bangfu-2017-11-13-0230.sqlite', 'bangfu-2017-11-14-0230.sqlite', 'bangfu-2017-11-15-0230.sqlite', 'bangfu-manual-copy.sqlite']);
    const runs = jobRunsOf(f.db, 'nightly-backup');
    expect(runs.map((r) => r.slot)).toEqual(['2017-11-11 02:30', '2017-11-12 02:30', '2017-11-13 02:30', '2017-11-14 02:30', '2017-11-15 02:30']);
    expect(runs.every((r) => r.finishedAt !== null)).toBe(true);
    const copy = new Database(join(dir, 'bangfu-2017-11-15-0230.sqlite'), { readonly: true });
    expect((copy.prepare('SELECT count(*) AS n FROM cards').get() as { n: number }).n).toBe(1);
    copy.close();
    const text = metricsText({ db: f.db, metrics: new Metrics(), updateQueueDepth: () => 0, backupDir: dir, now: () => statSync(join(dir, 'bangfu-2017-11-15-0230.sqlite')).mtimeMs + 90_000 });
    expect(text).toContain('bangfu_last_backup_age_seconds 90\n');
    expect(text).toContain('bangfu_job_runs_total{job="nightly-backup"} 5\n');
  });

  it('the folder defaults to backups/ beside the database; the count to 14', () => {
    const c = loadConfig({ DATABASE_PATH: '/srv/bangfu/data/bangfu.sqlite' });
    if (!c.ok) throw new Error(c.errors.join());
    expect(backupDirOf(c.config)).toBe('/srv/bangfu/data/backups');
    expect(c.config.backupKeep).toBe(14);
    const bad = loadConfig({ BACKUP_KEEP: '0' });
    expect(bad.ok ? [] : bad.errors).toEqual([expect.stringContaining('BACKUP_KEEP')]);
    expect(existsSync('/srv/bangfu/data/backups')).toBe(false);
  });
});
