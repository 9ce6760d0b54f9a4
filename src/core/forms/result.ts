/** Result type of engine transitions and the error helper (keys under `form.err.*`). */
import type { KeysUnder } from '../i18n-keys.js';
import type { MessageRef } from '../text.js';
import type { CardState } from './state.js';

/** Result of a state transition: the new state, or a message saying what is accepted (state unchanged). */
export type StepResult = { ok: true; state: CardState } | { ok: false; error: MessageRef };

/** Builds a failed StepResult with a `form.err.<key>` message. */
export function err(key: KeysUnder<'form.err'>, params?: Record<string, string | number>): StepResult {
  return { ok: false, error: params ? { key: `form.err.${key}`, params } : { key: `form.err.${key}` } };
}
