import i18next, { type i18n as I18n } from 'i18next';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Locale } from './core/text.js';
import type { Translate } from './core/i18n-keys.js';
import type zh from '../locales/zh-CN.json';

export type { Translate };

// i18next's own `t` is typed from the same reference locale (CustomTypeOptions), like our `Translate`.
declare module 'i18next' {
  interface CustomTypeOptions {
    resources: { translation: typeof zh };
  }
}

export const LOCALES: readonly Locale[] = ['zh-CN', 'en'];

/**
 * Messages rebuilt from stored rows (a risk flag keeps its code and parameters): a row written by an older version
 * may lack a parameter the message now has. Such a gap reads "not recorded" instead of failing the whole page;
 * everywhere else an unfilled placeholder stays a bug and throws.
 */
const STORED_MESSAGES = 'form.risk.';
const dir = fileURLToPath(new URL('../locales/', import.meta.url));

export function loadLocaleFile(locale: Locale): Record<string, unknown> {
  return JSON.parse(readFileSync(`${dir}${locale}.json`, 'utf8')) as Record<string, unknown>;
}


export interface Translator {
  /** A translate function bound to one locale. */
  forLocale(locale: Locale): Translate;
  /** Picks the supported locale for Telegram's language_code (zh* → zh-CN, en* → en). */
  fromLanguageCode(code: string | undefined): Locale;
}

/**
 * i18next, synchronous (initAsync: false), plain text (no HTML escaping).
 * A missing key is a bug: it throws, so the error boundary reports it and tests fail on it,
 * instead of a raw key reaching a user.
 */
export function createTranslator(defaultLocale: Locale): Translator {
  const instance: I18n = i18next.createInstance();
  void instance.init({
    initAsync: false,
    lng: defaultLocale,
    fallbackLng: false,
    supportedLngs: [...LOCALES],
    resources: Object.fromEntries(LOCALES.map((l) => [l, { translation: loadLocaleFile(l) }])),
    interpolation: { escapeValue: false },
    returnNull: false,
    showSupportNotice: false,
  } as Parameters<I18n['init']>[0]);
  const cache = new Map<Locale, Translate>();
  return {
    forLocale(locale) {
      let t = cache.get(locale);
      if (!t) {
        const fixed = instance.getFixedT(locale);
        // Every prompt needs ~15 texts: plain strings are looked up once and `{{x}}` filled here, which is
        // ten times cheaper than i18next's full pipeline (kept for anything else it might hold).
        const templates = new Map<string, string | null>();
        const notRecorded = () => instance.getResource(locale, 'translation', 'flags.not_recorded') as string;
        t = (key, params) => {
          let tpl = templates.get(key);
          if (tpl === undefined) {
            const raw = instance.getResource(locale, 'translation', key) as unknown;
            tpl = typeof raw === 'string' && !raw.includes('$t(') ? raw : null;
            templates.set(key, tpl);
          }
          if (tpl !== null) {
            const stored = key.startsWith(STORED_MESSAGES);
            if (!params && !stored) return tpl;
            const out = tpl.replace(/\{\{(\w+)\}\}/g, (m, name: string) =>
              params?.[name] !== undefined ? String(params[name]) : stored ? notRecorded() : m,
            );
            if (out.includes('{{')) throw new Error(`i18n: unfilled placeholder in "${key}" for ${locale}`);
            return out;
          }
          const out = fixed(key, params as never) as unknown as string;
          // with fallbackLng off, a missing key comes back as the key itself
          if (out === key || typeof out !== 'string') throw new Error(`i18n: missing key "${key}" for ${locale}`);
          if (out.includes('{{')) throw new Error(`i18n: unfilled placeholder in "${key}" for ${locale}`);
          return out;
        };
        cache.set(locale, t);
      }
      return t;
    },
    fromLanguageCode(code) {
      if (!code) return defaultLocale;
      if (/^zh/i.test(code)) return 'zh-CN';
      if (/^en/i.test(code)) return 'en';
      return defaultLocale;
    },
  };
}
