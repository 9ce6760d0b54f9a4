/** The notifier port over Telegram: a view rendered in the recipient's language and sent to their chat. */
import { GrammyError, type Api } from 'grammy';
import type { Logger } from 'pino';
import type { Notifier, Recipient, SendOutcome } from '../app/notifier.js';
import type { ChatView } from '../app/views.js';
import type { Locale } from '../core/text.js';
import type { Translator } from '../i18n.js';
import { renderView } from './render/view.js';

export function telegramNotifier(api: Api, i18n: Translator, defaultLocale: Locale, log: Logger): Notifier {
  return {
    async send(to: Recipient, view: ChatView): Promise<SendOutcome> {
      const locale: Locale = to.locale === 'zh-CN' || to.locale === 'en' ? to.locale : defaultLocale;
      try {
        for (const m of renderView(view, i18n.forLocale(locale), locale)) await api.sendMessage(to.address, m.text, m.keyboard ? { reply_markup: m.keyboard } : {});
        return { status: 'sent' };
      } catch (err) {
        log.warn({ personId: to.personId, err: String(err) }, 'notice not sent');
        return err instanceof GrammyError ? { status: 'refused', detail: err.description } : { status: 'unknown', detail: String(err) };
      }
    },
  };
}
