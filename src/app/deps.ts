/**
 * What a use case may touch: the database (through the repositories), the loaded content, the configuration and a
 * clock. No channel: Telegram, the web dashboard or a WeCom adapter each translate a use case's result themselves.
 */
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Content } from '../content/index.js';
import type { Db } from '../db/client.js';
import type { Notifier } from './notifier.js';

export interface AppDeps {
  config: Config;
  db: Db;
  content: Content;
  /** epoch ms; tests move it */
  now: () => number;
  log: Logger;
}

/** Use cases that reach other people (an admin told, a reviewer told) also get the notifier port. */
export interface NotifyingDeps extends AppDeps {
  notifier: Notifier;
}

/** A use case's answer: a value, or the reason it was refused (a value too, never an exception). */
export type Result<T, R extends string> = { ok: true; value: T } | { ok: false; reason: R };

export const ok = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });
export const refuse = <R extends string>(reason: R): { ok: false; reason: R } => ({ ok: false, reason });
