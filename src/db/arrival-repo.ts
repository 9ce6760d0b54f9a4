/**
 * What the bot reads about an update before any handler, in one statement: whether it was handled before (a
 * redelivery), the person behind it with their roles, and whether their chat has a dialog saved. These were three
 * statements and a pragma per update; on the card's path each statement cost more than its SQL (see `npm run bench`).
 */
import type { Db } from './client.js';
import { ACTOR_COLUMNS, actorFromRow, type ActorRow } from './people-repo.js';
import { prepared } from './prepared.js';

export interface Arrival {
  /** the update was recorded as handled: a redelivery */
  seen: boolean;
  /** the active (not revoked) person bound to the sender's Telegram account */
  actor?: ActorRow;
  /** a dialog's state is saved under the given key */
  dialogSaved: boolean;
}

/** `telegramId`: the sender (none for some updates); `dialogKey`: the kv key of the chat's saved dialog, if any. */
export function arrivalOf(db: Db, updateId: number, telegramId: number | undefined, dialogKey: string | undefined): Arrival {
  const q = prepared(db, 'arrivalOf', () =>
    db.$client
      .prepare(
        'SELECT EXISTS (SELECT 1 FROM processed_updates WHERE update_id = @update), ' +
          'EXISTS (SELECT 1 FROM kv WHERE key = @dialog), ' +
          `${ACTOR_COLUMNS} FROM (SELECT 1) LEFT JOIN people p ON p.telegram_id = @telegram AND p.revoked_at IS NULL`,
      )
      .raw(),
  );
  const r = q.get({ update: updateId, telegram: telegramId ?? null, dialog: dialogKey ?? null }) as unknown[];
  return { seen: r[0] === 1, dialogSaved: r[1] === 1, actor: actorFromRow(r, 2) };
}
