import { createRequire } from 'node:module';
import type ExcelJSModule from 'exceljs';

// exceljs pulls in ~450 CommonJS files (about half a second of every start) and is needed only when a workbook is
// read: loaded on first use, not at import
const requireHere = createRequire(import.meta.url);
let loaded: typeof ExcelJSModule | undefined;
export const excelJs = (): typeof ExcelJSModule => (loaded ??= requireHere('exceljs') as typeof ExcelJSModule);
