import type { Api } from 'grammy';
import type { BotDeps } from '../bot/context.js';
import { pruneProcessed } from '../db/updates-repo.js';

export interface Background {
  stop(): Promise<void>;
}

/** Timers that run beside polling: housekeeping now; reminders and the push queue join here. */
export function startBackground(deps: BotDeps, _api: Api): Background {
  const prune = setInterval(() => pruneProcessed(deps.db, deps.now() - 2 * 24 * 3600 * 1000), 3600 * 1000);
  prune.unref();
  return {
    async stop() {
      clearInterval(prune);
    },
  };
}
