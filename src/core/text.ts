/** Bilingual content text: Chinese first, English second. */
export interface Text {
  zh: string;
  en: string;
}

export type Locale = 'zh-CN' | 'en';

/** Each language named in itself (for the language choice). */
export const LOCALE_NAMES: Readonly<Record<Locale, string>> = { 'zh-CN': '中文', en: 'English' };

export function isLocale(s: unknown): s is Locale {
  return s === 'zh-CN' || s === 'en';
}

/** Picks the text for a locale; Chinese is the fallback. */
export function pickText(text: Text, locale: Locale): string {
  return locale === 'en' ? text.en || text.zh : text.zh;
}

import type { I18nKey } from './i18n-keys.js';

/** A message produced by core: an i18n key and its parameters, rendered by the bot layer. */
export interface MessageRef {
  key: I18nKey;
  params?: Record<string, string | number>;
}
