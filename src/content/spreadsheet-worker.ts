/**
 * Worker thread entry: reads and validates one spreadsheet away from the bot's event loop (off-thread.ts starts it).
 * It only reads the file and checks it; writing to the database stays with the main thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { readDocumentText, type DocLimits } from './docx-reader.js';
import { parseWorkbook } from './pack-spreadsheet.js';
import { parseQuizSheet } from './quiz-spreadsheet.js';
import type { ReadLimits } from './sheet-cells.js';

const data = workerData as { kind: 'quiz' | 'workbook'; file: string; limits: ReadLimits } | { kind: 'doc'; file: string; name: string; limits: DocLimits };
if (data.kind === 'quiz') void parseQuizSheet(data.file, data.limits).then((r) => parentPort!.postMessage(r));
else if (data.kind === 'workbook') void parseWorkbook(data.file, data.limits).then((r) => parentPort!.postMessage(r));
else if (data.kind === 'doc') void readDocumentText(data.file, data.name, data.limits).then((r) => parentPort!.postMessage(r));
