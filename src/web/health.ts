/**
 * /healthz and /metrics. Health: the database answers a query (else 503), with the last update handled and the
 * queues' depths for a person or a probe to read. Metrics: Prometheus text format 0.0.4 — the process's counters
 * (src/app/metrics.ts) and what the database and the backup folder say at the moment of the scrape.
 */
import { labelValue, round, type Metrics } from '../app/metrics.js';
import type { Db } from '../db/client.js';
import { nightlyBackups } from '../db/backup.js';
import { databaseAnswers, jobRunSummary, pushQueueDepth } from '../db/health-repo.js';
import { syncFailure } from '../db/durable.js';

export interface HealthSources {
  db: Db;
  metrics: Metrics;
  /** webhook updates waiting for the runner (0 in polling mode) */
  updateQueueDepth(): number;
  /** the nightly backup folder */
  backupDir: string;
  now(): number;
}

export interface Health {
  ok: boolean;
  database: 'ok' | 'failing';
  /** 'failing' once a sync of the database failed: nothing written is confirmed any more (src/db/durable.ts) */
  durability: 'ok' | 'failing';
  lastUpdateAt: string | null;
  updateQueue: number;
  pushQueue: number | null;
}

export function health(s: HealthSources): Health {
  const dbOk = databaseAnswers(s.db);
  const synced = syncFailure(s.db) === undefined;
  const last = s.metrics.lastUpdateAt;
  return {
    ok: dbOk && synced,
    database: dbOk ? 'ok' : 'failing',
    durability: synced ? 'ok' : 'failing',
    lastUpdateAt: last === undefined ? null : new Date(last).toISOString(),
    updateQueue: s.updateQueueDepth(),
    pushQueue: dbOk ? pushQueueDepth(s.db) : null,
  };
}

const gauge = (name: string, help: string, value: number): string[] => [`# HELP ${name} ${help}`, `# TYPE ${name} gauge`, `${name} ${value}`];

export function metricsText(s: HealthSources): string {
  const lines = s.metrics.lines();
  const dbOk = databaseAnswers(s.db);
  lines.push(...gauge('bangfu_database_up', 'Whether the database answers a query (1) or not (0).', dbOk ? 1 : 0));
  lines.push(...gauge('bangfu_database_durable', 'Whether writes still reach the disk (0 once a sync failed: nothing is confirmed any more).', syncFailure(s.db) === undefined ? 1 : 0));
  lines.push(...gauge('bangfu_update_queue_depth', 'Webhook updates acknowledged and waiting to be handled.', s.updateQueueDepth()));
  if (dbOk) {
    lines.push(...gauge('bangfu_push_queue_depth', 'Pushed-quiz deliveries waiting or being sent.', pushQueueDepth(s.db)));
    const jobs = jobRunSummary(s.db);
    lines.push('# HELP bangfu_job_runs_total Scheduled job slots run (recorded in job_runs), by job.', '# TYPE bangfu_job_runs_total counter');
    for (const j of jobs) lines.push(`bangfu_job_runs_total{job="${labelValue(j.job)}"} ${j.finished}`);
    lines.push('# HELP bangfu_job_last_finished_timestamp_seconds When a job last finished a slot.', '# TYPE bangfu_job_last_finished_timestamp_seconds gauge');
    for (const j of jobs) if (j.lastFinishedAt !== null) lines.push(`bangfu_job_last_finished_timestamp_seconds{job="${labelValue(j.job)}"} ${round(j.lastFinishedAt / 1000)}`);
  }
  const newest = nightlyBackups(s.backupDir).at(-1);
  // absent when there is no backup yet: an alert on "absent or too old" catches both
  if (newest) lines.push(...gauge('bangfu_last_backup_age_seconds', 'Age of the newest nightly backup file.', Math.max(0, Math.round((s.now() - newest.at) / 1000))));
  return lines.join('\n') + '\n';
}
