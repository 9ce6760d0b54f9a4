import { cb, parseId } from '../callback-data.js';

/**
 * Card buttons: `v:<op>:<draftId>:<step>[:<arg>]`. `step` is the draft's step counter when the button was
 * drawn, so a button from an older message is recognised as stale and changes nothing.
 */
/**
 * c choice · t toggle · tc tick an item (across) · d done · y/n yes/no · k keep · x change · s skip · b back ·
 * a add · f finish · rc remove? (asks) · r remove · u undo · h hint · p pause · sg suggestion · z zero ·
 * e/es/ed edit from the summary · sp summary page · w confirm warnings · sub submit · rp restore previous ·
 * dd discard? (asks) · dy discard
 */
export const CARD_OPS = [
  'c', 't', 'tc', 'd', 'y', 'n', 'k', 'x', 's', 'b', 'a', 'f', 'rc', 'r', 'u', 'h', 'p', 'sg', 'z', 'e', 'es', 'ed', 'sp', 'w', 'sub',
  'rp', 'dd', 'dy',
] as const;
export type CardOp = (typeof CARD_OPS)[number];

export function cardCb(op: CardOp, draftId: number, step: number, arg?: number): string {
  return arg === undefined ? cb('v', op, draftId, step) : cb('v', op, draftId, step, arg);
}

export interface CardCallback {
  op: CardOp;
  draftId: number;
  step: number;
  arg?: number;
}

/** Parses card callback data; anything malformed (forged, truncated) is undefined. */
export function parseCardCb(data: string | undefined): CardCallback | undefined {
  if (!data) return undefined;
  const parts = data.split(':');
  if (parts[0] !== 'v' || parts.length < 4 || parts.length > 5) return undefined;
  const op = parts[1] as CardOp;
  if (!CARD_OPS.includes(op)) return undefined;
  const draftId = parseId(parts[2]);
  const step = /^\d{1,9}$/.test(parts[3]) ? Number(parts[3]) : undefined;
  if (draftId === undefined || step === undefined) return undefined;
  if (parts.length === 5) {
    if (!/^\d{1,4}$/.test(parts[4])) return undefined;
    return { op, draftId, step, arg: Number(parts[4]) };
  }
  return { op, draftId, step };
}
