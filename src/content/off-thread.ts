/**
 * Spreadsheets sent to the bot are read in a worker thread, so a large or hostile file never holds up the other
 * chats: the event loop keeps answering while the worker inflates and parses, under its own memory cap and time limit.
 */
import type { Worker } from 'node:worker_threads';
import { startModuleWorker } from '../module-worker.js';
import type { WorkbookResult } from './pack-spreadsheet.js';
import { DEFAULT_LIMITS, type ReadLimits } from './sheet-cells.js';
import { DOC_LIMITS, type DocLimits, type DocResult } from './docx-reader.js';

/** The worker's heap: far above a legitimate file's needs, far below what would hurt the bot. */
const WORKER_HEAP_MB = 256;
const WORKER_TIME_MS = 120_000;

function startWorker(data: unknown): Worker {
  const options = { workerData: data, resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } };
  return startModuleWorker(import.meta.url, { ts: './spreadsheet-worker.ts', js: './spreadsheet-worker.js' }, options);
}

/** A notice's text (.docx or .txt) read in a worker thread, like a spreadsheet; a worker that fails gives 'unreadable'. */
export function readDocumentOffThread(file: string, name: string, limits: DocLimits = DOC_LIMITS): Promise<DocResult> {
  return new Promise((resolve) => {
    const worker = startWorker({ kind: 'doc', file, name, limits });
    const unreadable: DocResult = { ok: false, error: { problem: 'unreadable' } };
    const timer = setTimeout(() => void worker.terminate(), WORKER_TIME_MS);
    let settled = false;
    const settle = (r: DocResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(r);
    };
    worker.once('message', (r: DocResult) => {
      settle(r);
      void worker.terminate();
    });
    worker.once('error', () => settle(unreadable));
    worker.once('exit', () => settle(unreadable));
  });
}

/** A spreadsheet sent to the bot, in a worker thread: a rules workbook (sheet 条款) or a question sheet. */
export function parseWorkbookOffThread(file: string, limits: ReadLimits = DEFAULT_LIMITS): Promise<WorkbookResult> {
  return new Promise((resolve) => {
    const worker = startWorker({ kind: 'workbook', file, limits });
    const unreadable: WorkbookResult = { kind: 'quiz', result: { ok: false, errors: [], fileError: { problem: 'unreadable' } } };
    const timer = setTimeout(() => void worker.terminate(), WORKER_TIME_MS);
    let settled = false;
    const settle = (r: WorkbookResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(r);
    };
    worker.once('message', (r: WorkbookResult) => {
      settle(r);
      void worker.terminate();
    });
    worker.once('error', () => settle(unreadable));
    worker.once('exit', () => settle(unreadable));
  });
}
