/**
 * Translation keys as types, derived from locales/zh-CN.json (the reference locale): a key that does not exist fails
 * `npm run typecheck`. Core names texts by key (MessageRef) without loading any translation.
 */
import type zh from '../../locales/zh-CN.json';

type Leaves<T, P extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${P}${K}` : Leaves<T[K], `${P}${K}.`>;
}[keyof T & string];

/** Every translation key (dotted path to a string in the locale files). */
export type I18nKey = Leaves<typeof zh>;

/** Renders a key (bound to one locale). */
export type Translate = (key: I18nKey, params?: Record<string, unknown>) => string;

/** The keys under a group, without the group's prefix: `KeysUnder<'form.err'>` = 'required' | 'not_date' | … */
export type KeysUnder<P extends string> = I18nKey extends infer K ? (K extends `${P}.${infer R}` ? R : never) : never;
