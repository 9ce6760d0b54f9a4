/**
 * A fake Bot API server on 127.0.0.1 for end-to-end tests: the real bot process talks HTTP to it
 * (BOT_API_ROOT). The strict LocalTelegram answers (long-polling getUpdates, sendMessage, editMessageText,
 * answerCallbackQuery, sendPhoto/sendDocument multipart, setMyCommands); tests inject faults on top of it (429, 500,
 * dropped sockets, delays).
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { collectForm, errorBody } from '../../src/cli/local-telegram.js';
import { LocalTelegram } from './local-telegram.js';

export type Fault = { kind: 'status'; status: 401 | 409 | 429 | 500 | 502; retryAfter?: number } | { kind: 'drop' } | { kind: 'delay'; ms: number };

const DESCRIPTIONS: Record<number, string> = {
  401: 'Unauthorized',
  409: 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
};

export class FakeBotApi {
  readonly tg = new LocalTelegram();
  private server!: Server;
  apiRoot = '';
  /** Decides a fault for a call (tests set it, seeing the call's parameters); undefined for a normal answer. */
  fault: (method: string, params: Record<string, unknown>) => Fault | undefined = () => undefined;
  /** Faults for getUpdates itself (kept apart so the fault tests above keep polling working). */
  pollFault: () => Fault | undefined = () => undefined;

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      if ((req.url ?? '').includes('/file/bot')) {
        const bytes = this.tg.fileAt(req.url ?? '');
        res.writeHead(bytes ? 200 : 404);
        return void res.end(bytes ?? 'Not Found');
      }
      void this.handle(req).then(
        (r) => {
          if (r === 'drop') return req.socket.destroy();
          res.writeHead(r.status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(r.body));
        },
        (err) => {
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ ok: false, error_code: 500, description: String(err) }));
        },
      );
    });
    this.server.keepAliveTimeout = 1000;
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.apiRoot = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage): Promise<'drop' | { status: number; body: unknown }> {
    const method = (req.url ?? '').split('/').pop()!.split('?')[0];
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const params: Record<string, unknown> = {};
    const files: Record<string, { name: string; bytes: Buffer }> = {};
    const type = req.headers['content-type'] ?? '';
    if (type.includes('json')) Object.assign(params, JSON.parse(body.toString('utf8') || '{}'));
    else if (type.includes('multipart')) {
      const form = await new Request('http://x/', { method: 'POST', headers: { 'content-type': type }, body }).formData();
      await collectForm(form, params, files);
    }
    const fault = method === 'getUpdates' ? this.pollFault() : this.fault(method, params);
    if (fault?.kind === 'drop') return 'drop';
    if (fault?.kind === 'delay') await new Promise((r) => setTimeout(r, fault.ms));
    if (fault?.kind === 'status') {
      return {
        status: fault.status,
        body: {
          ok: false,
          error_code: fault.status,
          description: fault.status === 429 ? `Too Many Requests: retry after ${fault.retryAfter ?? 1}` : DESCRIPTIONS[fault.status],
          ...(fault.status === 429 ? { parameters: { retry_after: fault.retryAfter ?? 1 } } : {}),
        },
      };
    }
    try {
      return { status: 200, body: { ok: true, result: await this.tg.call(method, params, files) } };
    } catch (err) {
      return errorBody(err);
    }
  }
}
