/**
 * Start-up problems as one clear line, Chinese then English, never a stack: `npm start` and the admin CLI print it
 * and exit 1. (Before the database opens there is no user, so both languages are said at once.)
 */
import type { OpenProblem } from './db/client.js';
import type { KeysUnder } from './core/i18n-keys.js';
import { createTranslator } from './i18n.js';

const zh = createTranslator('zh-CN').forLocale('zh-CN');
const en = createTranslator('en').forLocale('en');

/** `<zh> / <en>` for one startup.* key. */
export function startupLine(key: KeysUnder<'startup'>, params: Record<string, unknown> = {}): string {
  return `${zh(`startup.${key}`, params)} / ${en(`startup.${key}`, params)}`;
}

/** The line for a database that could not be opened; `detail` is the system's own words (a path, an errno). */
export function openProblemLine(problem: OpenProblem, path: string, detail: string): string {
  return startupLine(`db_${problem}`, { path, detail: detail.split('\n')[0].slice(0, 200) });
}
