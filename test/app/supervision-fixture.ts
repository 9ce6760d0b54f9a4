/**
 * The demo district for use-case tests, without any channel: a fresh SQLite file seeded like the bot's harness,
 * people bound to chat addresses so they are actors, cards stored straight through the repository, and a notifier
 * that records what it was asked to send.
 */
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { loadConfig } from '../../src/config.js';
import { loadContent, type Content } from '../../src/content/index.js';
import { openDb, type Db } from '../../src/db/client.js';
import { createLogger } from '../../src/logger.js';
import { createTranslator } from '../../src/i18n.js';
import { seedDemo } from '../../src/cli/admin-commands.js';
import { actorByTelegramId, findPeople } from '../../src/db/people-repo.js';
import { createDraft, submitDraft, type NewFlag } from '../../src/db/cards-repo.js';
import { households, people, towns, units, villages } from '../../src/db/schema.js';
import type { AppDeps } from '../../src/app/deps.js';
import type { Notifier, Recipient, SendOutcome } from '../../src/app/notifier.js';
import type { ChatView, Piece } from '../../src/app/views.js';
import type { Actor } from '../../src/core/people/roles.js';
import type { Answers } from '../../src/core/forms/index.js';

export const NAMES = { wang: '王小明', li: '李红', zhang: '张强', zhao: '赵培训', sun: '孙局长', zhou: '周镇长', wu: '吴主任' } as const;
export type Who = keyof typeof NAMES;

let content: Content | undefined;
/** The seeded database, built once per test process and copied for each fixture (seeding takes ~100 ms). */
let template: string | undefined;

/** A card's answers as the card stores them (a few of each section the tests read). */
export const ANSWERS: Answers = {
  visit_date: '2017-11-10',
  visit_mode: '入户走访',
  duration_min: 75,
  household_code: 'H0001',
  head_name: '李大山',
  food_status: '达标',
  clothing_status: '达标',
  education_status: '达标',
  medical_status: '达标',
  housing_status: '达标',
  water_status: '达标',
};

export class RecordingNotifier implements Notifier {
  readonly sent: { to: Recipient; view: ChatView }[] = [];
  outcome: SendOutcome = { status: 'sent' };
  async send(to: Recipient, view: ChatView): Promise<SendOutcome> {
    this.sent.push({ to, view });
    return this.outcome;
  }
}

export interface Fixture {
  db: Db;
  deps: AppDeps;
  clock: { now: number };
  notifier: RecordingNotifier;
  person(who: Who): number;
  /** the person as the bot's middleware would see them (bound to a chat address) */
  actor(who: Who): Actor;
  household(code: string): number;
  id(table: 'towns' | 'units' | 'villages', code: string): number;
  /** a submitted card (revision 1) of a household by its helper; returns the card id */
  card(code: string, helper: Who, visitDate: string, answers?: Answers, flags?: NewFlag[]): number;
  /** what a piece says, for assertions: its key and params, or its raw text */
  say(p: Piece): string;
}

export function makeFixture(): Fixture {
  const dir = mkdtempSync(join(tmpdir(), 'bangfu-app-'));
  const parsed = loadConfig({ DATABASE_PATH: join(dir, 'db.sqlite'), LOG_LEVEL: 'silent' });
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  const config = parsed.config;
  if (!content) {
    const loaded = loadContent(config.contentDir);
    if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
    content = loaded.content;
  }
  const clock = { now: Date.parse('2017-11-15T02:00:00Z') };
  if (!template) {
    template = join(mkdtempSync(join(tmpdir(), 'bangfu-app-template-')), 'db.sqlite');
    const seeded = openDb(template, { synchronous: 'NORMAL' });
    const t = createTranslator('zh-CN').forLocale('zh-CN');
    seedDemo({ config: { ...config, databasePath: template }, db: seeded, t, out: () => undefined, now: clock.now }, () => undefined, () => undefined);
    seeded.$client.close();
  }
  // the database and the secret it is sealed with
  copyFileSync(template, config.databasePath);
  copyFileSync(`${template}.secret`, `${config.databasePath}.secret`);
  const db = openDb(config.databasePath, { synchronous: 'NORMAL' });
  const log = createLogger('silent', { write: () => undefined } as unknown as NodeJS.WritableStream);
  const deps: AppDeps = { config, db, content, log, now: () => clock.now };
  const person = (who: Who) => findPeople(db, NAMES[who])[0].id;
  const household = (code: string) => db.select().from(households).where(eq(households.code, code)).get()!.id;
  const tables = { towns, units, villages } as const;
  return {
    db,
    deps,
    clock,
    notifier: new RecordingNotifier(),
    person,
    actor(who) {
      const id = person(who);
      const address = 9000 + id;
      db.update(people).set({ telegramId: address }).where(eq(people.id, id)).run();
      return actorByTelegramId(db, address)!;
    },
    household,
    id: (table, code) => db.select().from(tables[table]).where(eq(tables[table].code, code)).get()!.id,
    card(code, helper, visitDate, answers = ANSWERS, flags = []) {
      const a = { ...answers, visit_date: visitDate, household_code: code } as Answers;
      const mode = String(a.visit_mode);
      const state = { formId: 'dynamic_card', formVersion: content!.card.version, cursor: null, answers: a, previous: {}, origins: {}, closed: [], confirmedWarnings: [], startedAtMs: 0 };
      const draft = createDraft(db, { householdId: household(code), helperId: person(helper), formId: 'dynamic_card', formVersion: state.formVersion, state }, clock.now);
      const r = submitDraft(db, draft, { visitDate, visitMode: mode, inPerson: mode === '入户走访', answers: a, changes: [] }, flags, person(helper), clock.now);
      if (!r.ok) throw new Error('card not stored');
      return r.cardId;
    },
    say: (p) => say(p),
  };
}

function say(p: Piece): string {
  if ('raw' in p) return p.raw;
  if ('text' in p) return p.text.zh;
  if ('join' in p) return p.join.map(say).join(p.sep ?? '');
  if (!p.params || !Object.keys(p.params).length) return p.key;
  const params = Object.entries(p.params).map(([k, v]) => `${k}=${typeof v === 'object' ? say(v) : String(v)}`);
  return `${p.key}(${params.join(', ')})`;
}

/** Every line of a view, as `say` puts them. */
export const lines = (v: ChatView): string[] => v.blocks.flat().map(say);
/** Every action of a view as `op:arg:arg`. */
export const actions = (v: ChatView): string[] => v.actions.flat().map((a) => [a.op, ...a.args].join(':'));
/** The first piece of a view (its title), as a key. */
export const firstKey = (v: ChatView): string | undefined => {
  const p = v.blocks[0]?.[0];
  return p && 'key' in p ? p.key : undefined;
};
