/**
 * Use-case tests without a bot: the demo district in a fresh SQLite file, the repository's content, a clock the test
 * moves, and helpers that read a view's keys and actions.
 */
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { loadConfig, type Config } from '../../src/config.js';
import { loadContent, type Content } from '../../src/content/index.js';
import { openDb, type Db } from '../../src/db/client.js';
import { createLogger } from '../../src/logger.js';
import { createTranslator } from '../../src/i18n.js';
import { seedDemo } from '../../src/cli/admin-commands.js';
import { findPeople } from '../../src/db/people-repo.js';
import { personRoles } from '../../src/db/schema.js';
import type { Actor, Role } from '../../src/core/people/roles.js';
import { grantedScope } from '../../src/core/people/scope.js';
import type { AppDeps } from '../../src/app/deps.js';
import { actionsOf, type Action, type ChatView, type Piece } from '../../src/app/views.js';

export interface QuizFixture {
  deps: AppDeps;
  db: Db;
  clock: { now: number };
  logLines: string[];
  /** a demo person as a use case sees them */
  actor(name: string): Actor;
}

const START = Date.parse('2017-11-15T02:00:00Z');

/** Built once per test file: the loaded content and a seeded database folder that each fixture copies. */
let shared: { content: Content; template: string } | undefined;

function sharedSetup(): { content: Content; template: string } {
  if (shared) return shared;
  const template = mkdtempSync(join(tmpdir(), 'app-quiz-template-'));
  const config = configFor(template);
  const content = loadContent(config.contentDir);
  if (!content.ok) throw new Error(content.errors.join('\n'));
  const db = openDb(config.databasePath, { synchronous: 'NORMAL' });
  const t = createTranslator('zh-CN').forLocale('zh-CN');
  seedDemo({ config, db, t, out: () => undefined, now: START }, () => undefined, () => undefined);
  db.$client.close();
  return (shared = { content: content.content, template });
}

function configFor(dir: string): Config {
  const parsed = loadConfig({ DATABASE_PATH: join(dir, 'db.sqlite'), LOG_LEVEL: 'info' });
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  return parsed.config;
}

export function quizFixture(): QuizFixture {
  const { content, template } = sharedSetup();
  const dir = mkdtempSync(join(tmpdir(), 'app-quiz-'));
  // the database file with the key file beside it (a copy of a fresh database opens in milliseconds)
  cpSync(template, dir, { recursive: true });
  const config = configFor(dir);
  const db = openDb(config.databasePath, { synchronous: 'NORMAL' });
  const logLines: string[] = [];
  const log = createLogger('debug', { write: (s: string) => void logLines.push(s) } as unknown as NodeJS.WritableStream);
  const clock = { now: START };
  const deps: AppDeps = { config, db, content, log, now: () => clock.now };
  const actor = (name: string): Actor => {
    const p = findPeople(db, name)[0];
    // supervisors carry their granted scope, as the bot's actor does
    const roles = db
      .select()
      .from(personRoles)
      .where(eq(personRoles.personId, p.id))
      .all()
      .map((r) => {
        const scope = grantedScope(r.scopeKind, r.scopeId);
        return scope ? { role: r.role as Role, scope } : { role: r.role as Role };
      });
    return { personId: p.id, name: p.name, unitId: p.unitId, roles };
  };
  return { deps, db, clock, logLines, actor };
}

/** Every translation key a piece names, nested parameters included. */
function pieceKeys(p: Piece): string[] {
  if ('key' in p) return [p.key, ...Object.values(p.params ?? {}).flatMap((v) => (typeof v === 'object' ? pieceKeys(v) : []))];
  if ('join' in p) return p.join.flatMap(pieceKeys);
  return [];
}

/** The keys of a view's lines, in order. */
export function keysOf(view: ChatView): string[] {
  return view.blocks.flat().flatMap(pieceKeys);
}

/** The first line naming `key`, with its parameters. */
export function lineWith(view: ChatView, key: string): { key: string; params?: Record<string, unknown> } | undefined {
  return view.blocks.flat().find((p): p is { key: never; params?: Record<string, never> } => 'key' in p && p.key === key);
}

/** The view's actions as `op:arg:arg…`. */
export function actionIds(view: ChatView): string[] {
  return actionsOf(view).map((a: Action) => [a.op, ...a.args].join(':'));
}
