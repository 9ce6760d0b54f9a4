import type { NotifyingDeps } from '../../app/deps.js';
import type { Translator } from '../../i18n.js';
import type { OffThreadReports } from '../../app/stats/off-thread.js';

/** What the dashboard uses: the use cases' dependencies (with the notifier: a review reaches the helper in chat). */
export interface DashboardDeps extends NotifyingDeps {
  i18n: Translator;
  /** Telegram's signature key for Mini App data; undefined: the Mini App sign-in is refused */
  botToken: string | undefined;
  /** Secure cookies: the dashboard is reached over https */
  secureCookies: boolean;
  /** `/stats` pages computed in a worker thread (the running bot, shared with its chats); unset: on this thread */
  reports?: OffThreadReports;
}
