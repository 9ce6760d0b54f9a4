import { pino, type Logger } from 'pino';
import { maskPersonalNumbers } from './core/people/privacy.js';

/**
 * pino, with every string argument masked: ID, bank and mobile numbers never reach a log line whole,
 * even when a bug puts one into an error message.
 */
export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino(
    {
      level,
      hooks: {
        logMethod(args, method) {
          const masked = args.map((a) =>
            typeof a === 'string'
              ? maskPersonalNumbers(a)
              : a && typeof a === 'object'
                ? JSON.parse(JSON.stringify(a, maskingReplacer))
                : a,
          );
          return method.apply(this, masked as Parameters<typeof method>);
        },
      },
    },
    destination ?? process.stderr,
  );
}

/**
 * Masks value by value (masking the JSON text afterwards could turn a number into invalid JSON and make the log
 * call itself throw); a number that looks like an ID, bank or mobile number becomes a masked string.
 */
function maskingReplacer(_k: string, v: unknown): unknown {
  if (v instanceof Error) return { message: v.message, stack: v.stack };
  if (typeof v === 'string') return maskPersonalNumbers(v);
  if (typeof v === 'number' || typeof v === 'bigint') {
    const s = String(v);
    const masked = maskPersonalNumbers(s);
    return masked === s ? (typeof v === 'bigint' ? s : v) : masked;
  }
  return v;
}
