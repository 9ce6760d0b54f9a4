/**
 * Worker thread entry: reads and validates one spreadsheet away from the bot's event loop (off-thread.ts starts it).
 * It only reads the file and checks it; writing to the database stays with the main thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { parseQuizSheet } from './quiz-spreadsheet.js';
import type { ReadLimits } from './sheet-cells.js';

const { kind, file, limits } = workerData as { kind: 'quiz'; file: string; limits: ReadLimits };
if (kind === 'quiz') void parseQuizSheet(file, limits).then((r) => parentPort!.postMessage(r));
