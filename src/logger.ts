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
                ? JSON.parse(maskPersonalNumbers(JSON.stringify(a, errorReplacer)))
                : a,
          );
          return method.apply(this, masked as Parameters<typeof method>);
        },
      },
    },
    destination ?? process.stderr,
  );
}

function errorReplacer(_k: string, v: unknown): unknown {
  return v instanceof Error ? { message: v.message, stack: v.stack } : v;
}
