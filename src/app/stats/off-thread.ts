/**
 * `/stats` pages (the chat's and the dashboard's) and the supervisors' weekly digests in a worker thread, so a
 * district's figures never hold up the other chats' card answers in the same process. One worker, started on first use and kept; any failure of the worker (it could not start, it died, it
 * threw) falls back to computing on this thread: slower for the chats meanwhile, never a wrong or missing page.
 */
import type { Worker } from 'node:worker_threads';
import { startModuleWorker } from '../../module-worker.js';
import type { Actor } from '../../core/people/roles.js';
import type { AppDeps, Result } from '../deps.js';
import type { ChatView } from '../views.js';
import { digestView, type DigestRequest } from './digest.js';
import { statsPage, type StatsPage, type StatsRefusal } from './page.js';

/** What the worker is asked: a `/stats` page, or a supervisor's digest. */
export type ReportRequestMessage =
  | { id: number; kind: 'page'; actor: Actor | undefined; args: readonly string[] | undefined; now: number }
  | ({ id: number; kind: 'digest' } & DigestRequest);

type StatsResult = Result<StatsPage, StatsRefusal>;

// compiled (dist/): the worker's own bundle at dist/'s top, beside main.js
const startWorker = (data: unknown): Worker => startModuleWorker(import.meta.url, { ts: './report-worker.ts', js: '../../report-worker.js' }, { workerData: data });

export interface OffThreadReports {
  statsPage(actor: Actor | undefined, args: readonly string[] | undefined): Promise<StatsResult>;
  digestView(r: DigestRequest): Promise<ChatView>;
  /** how many pages and digests the worker computed, and how many fell back to this thread */
  counts(): { worker: number; here: number };
  close(): Promise<void>;
}

export function offThreadReports(deps: AppDeps): OffThreadReports {
  let worker: Worker | undefined;
  let broken = false;
  let next = 1;
  const counted = { worker: 0, here: 0 };
  const waiting = new Map<number, (r: unknown) => void>();
  const settleAll = () => {
    for (const done of waiting.values()) done(undefined);
    waiting.clear();
  };
  const ensure = (): Worker | undefined => {
    if (broken) return undefined;
    if (worker) return worker;
    try {
      const w = startWorker({ config: deps.config, settings: deps.content.settings });
      // the process may end while the worker idles
      w.unref();
      w.on('message', (m: { id: number; result?: unknown; error?: string }) => {
        const done = waiting.get(m.id);
        waiting.delete(m.id);
        if (m.error) deps.log.warn({ err: m.error }, 'stats report failed in its worker; computed here instead');
        done?.(m.result);
      });
      w.on('error', (e) => {
        deps.log.warn({ err: e.message }, 'stats report worker failed; reports are computed on the main thread');
        broken = true;
        worker = undefined;
        settleAll();
      });
      w.on('exit', () => {
        worker = undefined;
        settleAll();
      });
      worker = w;
      return w;
    } catch (e) {
      deps.log.warn({ err: (e as Error).message }, 'stats report worker could not start; reports are computed on the main thread');
      broken = true;
      return undefined;
    }
  };
  /** The worker's answer, or `here()` on this thread when there is no worker or it failed. */
  async function ask<T>(request: ReportRequestMessage, here: () => T): Promise<T> {
    const w = ensure();
    const onThisThread = () => {
      counted.here++;
      return here();
    };
    if (!w) return onThisThread();
    const t0 = performance.now();
    const result = await new Promise<unknown>((resolve) => {
      waiting.set(request.id, resolve);
      w.ref();
      w.postMessage(request);
    });
    if (waiting.size === 0) worker?.unref();
    if (result === undefined) return onThisThread();
    counted.worker++;
    deps.log.debug({ ms: Math.round(performance.now() - t0) }, request.kind === 'page' ? 'stats report computed in its worker' : 'digest computed in its worker');
    return result as T;
  }
  return {
    statsPage: (actor, args) => ask({ id: next++, kind: 'page', actor, args, now: deps.now() }, () => statsPage(deps, actor, args)),
    digestView: (r) => ask({ id: next++, kind: 'digest', ...r }, () => digestView(deps, r)),
    counts: () => ({ ...counted }),
    async close() {
      const w = worker;
      worker = undefined;
      broken = true;
      settleAll();
      if (w) await w.terminate();
    },
  };
}
