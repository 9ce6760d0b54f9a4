/**
 * `/stats` pages and weekly digests computed in a worker thread (off-thread.ts): a whole district's figures are synchronous SQLite work
 * of a few milliseconds once its snapshot is loaded, but the load (a few hundred milliseconds for a district) on the
 * bot's thread would hold up every chat's card answers meanwhile. Its own read-only connection; the same use case as
 * the chat's `/stats`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Config } from '../../config.js';
import { openReader } from '../../db/client.js';
import { loadContent } from '../../content/index.js';
import type { Settings } from '../../core/forms/settings.js';
import { createLogger } from '../../logger.js';
import { statsPage } from './page.js';
import { statsSnapshot } from '../../db/stats-snapshot-repo.js';
import { digestView } from './digest.js';
import type { ReportRequestMessage } from './off-thread.js';

const { config, settings } = workerData as { config: Config; settings: Settings };
const loaded = loadContent(config.contentDir);
if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
// the running bot's settings (a district may have changed them since start), the rest as on disk
const content = { ...loaded.content, settings };
const db = openReader(config.databasePath);
const log = createLogger('silent');
// the /stats snapshot is loaded before the first supervisor asks (a district's takes a few hundred milliseconds); a
// failure here is met again, and reported, by the first page
setImmediate(() => {
  try {
    statsSnapshot(db);
  } catch {
    /* the first page reports it */
  }
});

parentPort!.on('message', (m: ReportRequestMessage) => {
  try {
    const deps = { config, db, content, log, now: () => m.now };
    const result = m.kind === 'page' ? statsPage(deps, m.actor, m.args) : digestView(deps, m);
    parentPort!.postMessage({ id: m.id, result });
  } catch (e) {
    parentPort!.postMessage({ id: m.id, error: (e as Error).message });
  }
});
