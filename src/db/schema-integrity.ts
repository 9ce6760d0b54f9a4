import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * The end of the card chain: how many revisions it holds and the last one's hash, with an HMAC over both. Deleting
 * the newest revisions (or a whole card) leaves the head pointing past the end; only an old copy of this row could
 * hide that, and `verify`'s printed digest, kept elsewhere, catches that too.
 */
export const chainHead = sqliteTable('chain_head', {
  id: integer('id').primaryKey(),
  count: integer('count').notNull(),
  headHash: text('head_hash').notNull(),
  mac: text('mac').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

/**
 * Webhook updates acknowledged to Telegram but not yet handled: written before the 200 goes back, removed once
 * handled, replayed after a restart, so an acknowledged update survives a crash as it does with long polling.
 */
export const webhookInbox = sqliteTable('webhook_inbox', {
  updateId: integer('update_id').primaryKey(),
  body: text('body').notNull(),
  receivedAt: integer('received_at').notNull(),
});
