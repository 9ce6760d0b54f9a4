/**
 * Actions as Telegram callback data: one registry of prefixes, the 64-byte limit checked in one place, and the way
 * back from callback data to `{ op, args }`. Handlers always re-check the arguments against the current user and the
 * current state: a button may be old, forged or pressed twice.
 */
import { Composer, type Filter } from 'grammy';
import { ACTIONS, type ActionOp } from '../app/actions.js';
import type { Action } from '../app/views.js';
import type { BotContext } from './context.js';

/** The callback-data prefix of each action (short: Telegram allows 64 bytes in all). */
const PREFIX: Record<ActionOp, string> = {
  menu: 'm',
  lang: 'l',
  card: 'v',
  'visit:household': 'vh',
  'visit:start': 'vn',
  'visit:continue': 'vg',
  'visit:correct': 'vr',
  'visit:policies': 'vp',
  'flags:page': 'fl:p',
  'flags:open': 'fl:o',
  'flags:handle': 'fl:h',
  'flags:card': 'fl:c',
  'review:card': 'rv:c',
  'review:section': 'rv:s',
  'review:field': 'rv:f',
  'review:open': 'ro',
  'stats:view': 'st',
  'stats:chart': 'sc',
  'stats:household': 'sh',
  'stats:know': 'sk',
  'export:kind': 'ex',
  receipt: 'rc',
  'quiz:topics': 'qz:tl',
  'quiz:levels': 'qz:ll',
  'quiz:topic': 'qz:t',
  'quiz:level': 'qz:l',
  'quiz:weak': 'qz:w',
  'quiz:known': 'qz:k',
  'quiz:gaps': 'qz:g',
  'quiz:push': 'qz:p',
  'quiz:answer': 'qa',
  'quiz:submit': 'qs',
  'quiz:import': 'qi',
  'push:new': 'pm:new',
  'push:wizard': 'pw',
  'push:results': 'pr',
  'rules:step': 'rl',
  'rules:new': 'rn',
};

const MAX_BYTES = 64;
const ARG_RE = /^[\w.-]{0,40}$/;

/** Callback data of an action; throws when it would not fit (a bug, never user input). */
export function encodeAction(op: ActionOp, args: readonly (string | number)[]): string {
  for (const a of args) if (!ARG_RE.test(String(a))) throw new Error(`action ${op}: argument ${String(a)} cannot be encoded`);
  const data = [PREFIX[op], ...args.map(String)].join(':');
  if (Buffer.byteLength(data) > MAX_BYTES) throw new Error(`callback data over ${MAX_BYTES} bytes: ${data}`);
  return data;
}

export const actionData = (a: Action): string => encodeAction(a.op, a.args);

/** Longest prefixes first, so `fl:o` wins over a shorter one. */
const BY_PREFIX = (Object.entries(PREFIX) as [ActionOp, string][]).sort((a, b) => b[1].length - a[1].length);

/** The action behind callback data, with the number of arguments its op takes; undefined for anything else. */
export function decodeAction(data: string | undefined): { op: ActionOp; args: string[] } | undefined {
  if (!data || Buffer.byteLength(data) > MAX_BYTES) return undefined;
  for (const [op, prefix] of BY_PREFIX) {
    if (data !== prefix && !data.startsWith(`${prefix}:`)) continue;
    const args = data === prefix ? [] : data.slice(prefix.length + 1).split(':');
    const spec = ACTIONS[op] as readonly string[];
    const required = spec.filter((a) => !a.endsWith('?')).length;
    if (args.length < required || args.length > spec.length || !args.every((a) => ARG_RE.test(a))) return undefined;
    return { op, args };
  }
  return undefined;
}

type ActionContext = Filter<BotContext, 'callback_query:data'>;

/**
 * A composer that answers one action: the handler gets the action's arguments as callback data carried them
 * (strings: each handler parses and re-checks them), and `next` to pass the press on.
 */
export function onAction(
  op: ActionOp,
  handler: (ctx: ActionContext, args: string[], next: () => Promise<void>) => Promise<void> | void,
): Composer<BotContext> {
  const c = new Composer<BotContext>();
  c.on('callback_query:data', async (ctx, next) => {
    const a = decodeAction(ctx.callbackQuery.data);
    if (!a || a.op !== op) return next();
    await handler(ctx, a.args, next);
  });
  return c;
}

/** A strictly positive safe integer from an action argument, else undefined. */
export function positiveId(s: string | undefined): number | undefined {
  if (!s || !/^\d{1,15}$/.test(s)) return undefined;
  const n = Number(s);
  return n > 0 ? n : undefined;
}

/** A non-negative integer of at most `digits` digits (a step, an index), else undefined. */
export function smallInt(s: string | undefined, digits = 9): number | undefined {
  return s !== undefined && new RegExp(`^\\d{1,${digits}}$`).test(s) ? Number(s) : undefined;
}
