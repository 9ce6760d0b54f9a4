/**
 * Use-case tests without any channel: a migrated, seeded database, the real content, a clock the test moves, a
 * notifier that records what it was asked to send, and a small chat that calls the card use cases the way a
 * channel does (pressing an action by its rendered label), so the card driver of the bot tests runs here too.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NotifyingDeps } from '../../src/app/deps.js';
import type { Notifier, Recipient } from '../../src/app/notifier.js';
import { pieceText, viewText, type Action, type ChatView } from '../../src/app/views.js';
import { cardStep, DUPLICATE, NOT_A_CARD, type CardInput } from '../../src/app/card/step.js';
import { briefing, resumeCard, startVisit } from '../../src/app/card/visit.js';
import { CARD_CODES, type CardCode } from '../../src/app/card/views.js';
import { seedDemo } from '../../src/cli/admin-commands.js';
import { loadConfig } from '../../src/config.js';
import { loadContent } from '../../src/content/index.js';
import type { Actor } from '../../src/core/people/roles.js';
import type { Settings } from '../../src/core/forms/settings.js';
import { openDb } from '../../src/db/client.js';
import { actorByTelegramId, findPeople } from '../../src/db/people-repo.js';
import { redeemInvite } from '../../src/db/invite-repo.js';
import { createLogger } from '../../src/logger.js';
import { createTranslator } from '../../src/i18n.js';
import type { DriverChat } from './card-driver.js';

export interface AppWorld {
  deps: NotifyingDeps;
  db: NotifyingDeps['db'];
  clock: { now: number };
  /** what the notifier was asked to send */
  notices: { to: Recipient; view: ChatView }[];
  demo: { role: string; name: string; code: string }[];
  /** a demo person signed in (by role word: helper, supervisor …, or name) as an actor */
  actor(who: string, telegramId?: number): Actor;
  /** a view as text, Chinese */
  text(view: ChatView): string;
}

/** `settings` changes this world's district settings only (as a district edits content/settings.yaml). */
export function appWorld(opts: { settings?: (s: Settings) => Settings } = {}): AppWorld {
  const dir = mkdtempSync(join(tmpdir(), 'bangfu-app-'));
  const parsed = loadConfig({ DATABASE_PATH: join(dir, 'db.sqlite'), LOG_LEVEL: 'warn' });
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  const config = parsed.config;
  const content = loadContent(config.contentDir);
  if (!content.ok) throw new Error(content.errors.join('\n'));
  const db = openDb(config.databasePath, { synchronous: 'NORMAL' });
  const clock = { now: Date.parse('2017-11-15T02:00:00Z') };
  const notices: AppWorld['notices'] = [];
  const notifier: Notifier = {
    send: (to, view) => {
      notices.push({ to, view });
      return Promise.resolve({ status: 'sent' });
    },
  };
  const log = createLogger('silent');
  const loaded = content.content;
  const deps: NotifyingDeps = {
    config, db, now: () => clock.now, log, notifier,
    content: opts.settings ? { ...loaded, settings: opts.settings(structuredClone(loaded.settings)) } : loaded,
  };
  const t = createTranslator('zh-CN').forLocale('zh-CN');
  const demo: AppWorld['demo'] = [];
  seedDemo({ config, db, t, out: () => undefined, now: clock.now }, (line) => {
    const [role, name, code] = line.split('\t');
    demo.push({ role, name, code });
  }, () => undefined);
  let nextTelegramId = 9000;
  return {
    deps,
    db,
    clock,
    notices,
    demo,
    actor(who, telegramId = nextTelegramId++) {
      const p = demo.find((d) => d.role === who || d.name === who);
      if (!p) throw new Error(`no demo person ${who}`);
      const r = redeemInvite(db, p.code, telegramId, clock.now);
      if (!r.ok) throw new Error(`invite of ${who}: ${r.reason}`);
      return actorByTelegramId(db, telegramId)!;
    },
    text: (view) => viewText(view, t, 'zh-CN').join('\n\n'),
  };
}

export const personId = (w: AppWorld, name: string): number => findPeople(w.deps.db, name)[0].id;

/** A chat over the card use cases: what a channel adapter does, minus the channel. */
export class AppChat implements DriverChat {
  readonly shown: { text: string; actions: Action[] }[] = [];
  private update = 1;
  private readonly t = createTranslator('zh-CN').forLocale('zh-CN');

  constructor(
    private readonly w: AppWorld,
    readonly actor: Actor,
  ) {}

  private show(views: ChatView[]): void {
    for (const v of views) this.shown.push({ text: viewText(v, this.t, 'zh-CN').join('\n\n'), actions: v.actions.flat() });
  }

  /** Runs a card input like a channel: alerts become messages (a channel shows them on the button). */
  async step(input: CardInput): Promise<void> {
    const r = await cardStep(this.w.deps, this.actor, input, this.update++);
    if (r === NOT_A_CARD || r === DUPLICATE) return;
    if (r.alert) this.shown.push({ text: pieceText(r.alert, this.t, 'zh-CN'), actions: [] });
    this.show(r.views);
  }

  send = (text: string) => this.step({ kind: 'text', text });
  location = (lat: number, lon: number, forwarded = false) => this.step({ kind: 'location', lat, lon, forwarded });
  photo = () => this.step({ kind: 'photo', fileId: `photo-${this.update}` });
  sticker = () => this.step({ kind: 'unsupported' });
  inbox = () => this.shown;
  lastText = () => this.shown.at(-1)?.text ?? '';

  /** Presses the newest action whose label matches, the way a person presses a button (bound: drivers pass it around). */
  press = async (label: string | RegExp): Promise<void> => {
    const match = (s: string) => (typeof label === 'string' ? s.includes(label) : label.test(s));
    for (const m of [...this.shown].reverse()) {
      const a = m.actions.find((x) => match(pieceText(x.label, this.t, 'zh-CN')));
      if (a) return this.run(a);
    }
    throw new Error(`no action ${String(label)}; last: ${this.lastText()}`);
  };

  private async run(a: Action): Promise<void> {
    const [first, second, third, fourth] = a.args.map(Number);
    switch (a.op) {
      case 'card':
        if (!CARD_CODES.includes(a.args[0] as CardCode)) throw new Error(`bad card code ${String(a.args[0])}`);
        return this.step({ kind: 'button', code: a.args[0] as CardCode, draftId: second, step: third, arg: a.args.length > 3 ? fourth : undefined });
      case 'visit:household': {
        const r = briefing(this.w.deps, this.actor, first);
        if (!r.ok) throw new Error(r.reason);
        return this.show([r.value]);
      }
      case 'visit:start': {
        const r = startVisit(this.w.deps, this.actor, first);
        if (!r.ok) throw new Error(r.reason);
        return this.open(r.value.draftId);
      }
      case 'visit:continue':
        return this.open(first);
      default:
        throw new Error(`AppChat does not press ${a.op}`);
    }
  }

  async open(draftId: number): Promise<void> {
    const r = resumeCard(this.w.deps, this.actor, draftId);
    if (!r.ok) throw new Error(r.reason);
    this.show([r.value]);
  }
}
