import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { people } from './schema.js';

/**
 * One-time sign-in links to the web dashboard (`/web`, `admin web-link`): only a keyed hash of the token is stored,
 * so a copy of the database signs nobody in. A link works once (`used_at`) and for a few minutes.
 */
export const webLinks = sqliteTable('web_links', {
  tokenHash: text('token_hash').primaryKey(),
  personId: integer('person_id')
    .notNull()
    .references(() => people.id),
  createdAt: integer('created_at').notNull(),
  expiresAt: integer('expires_at').notNull(),
  usedAt: integer('used_at'),
});

/**
 * Dashboard sessions (the cookie holds a random token; the row its keyed hash). Each request re-reads the person,
 * so revoking them ends every session at once; `ended_at` is a sign-out.
 */
export const webSessions = sqliteTable(
  'web_sessions',
  {
    tokenHash: text('token_hash').primaryKey(),
    personId: integer('person_id')
      .notNull()
      .references(() => people.id),
    /** how the session began: 'link' (one-time link) or 'miniapp' (Telegram initData) */
    via: text('via').notNull(),
    locale: text('locale'),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
    endedAt: integer('ended_at'),
  },
  (t) => [index('web_sessions_person').on(t.personId)],
);
