/**
 * webhook_ack_max_ms: in webhook mode the real process acknowledges every update at once, even while a handler is
 * held up (its reply answered 429 retry_after 12): 30 updates from other chats are posted and each POST is timed.
 * Timed here, not among the parallel tests (test/e2e/webhook.e2e.test.ts keeps a bound no load can break).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Update } from 'grammy/types';
import { FakeBotApi } from '../test/support/fake-bot-api.js';
import { startBotProcess } from '../test/support/bot-process.js';
import type { BenchModule, BenchTarget } from './types.js';

const SECRET = 'bench-webhook-secret-0123456789';
const PATH = '/tg/bench';
const HELD_CHAT = 4001;

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as { port: number }).port;
  await new Promise((resolve) => s.close(resolve));
  return port;
}

export const bench: BenchModule = {
  title: 'Webhook: time to acknowledge an update while another chat’s handler is held',
  async run(): Promise<BenchTarget[]> {
    // the process runs dist/ as `npm start` does: built first when src/ changed (run alone, nothing else builds it)
    execFileSync(process.execPath, ['scripts/build.mjs', '--if-stale'], { stdio: 'inherit' });
    const dir = mkdtempSync(join(tmpdir(), 'bench-webhook-'));
    const api = new FakeBotApi();
    await api.start();
    const port = await freePort();
    const bot = startBotProcess({
      BOT_TOKEN: '123456:BENCH',
      BOT_API_ROOT: api.apiRoot,
      DATABASE_PATH: join(dir, 'bot.sqlite'),
      BOT_MODE: 'webhook',
      WEBHOOK_URL: `https://bot.example.org${PATH}`,
      WEBHOOK_SECRET: SECRET,
      PORT: String(port),
      LOG_LEVEL: 'info',
    });
    try {
      await bot.waitForLog(/bot started/, 30_000);
      let held = 0;
      api.fault = (m, p) => (m === 'sendMessage' && Number(p.chat_id) === HELD_CHAT && held++ === 0 ? { kind: 'status', status: 429, retryAfter: 12 } : undefined);
      let id = 1;
      const post = async (chat: number): Promise<number> => {
        const update = { ...api.tg.textUpdate({ id: chat, is_bot: false, first_name: 'b' }, '/help'), update_id: id++ } as Update;
        const t0 = performance.now();
        const res = await fetch(`http://127.0.0.1:${port}${PATH}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
          body: JSON.stringify(update),
        });
        await res.text();
        if (res.status !== 200) throw new Error(`webhook answered ${res.status}`);
        return performance.now() - t0;
      };
      const heldAck = await post(HELD_CHAT);
      const acks: number[] = [];
      for (let i = 0; i < 30; i++) acks.push(await post(5000 + i));
      const max = Math.max(heldAck, ...acks); console.log(acks.map((a) => a.toFixed(0)).join(" ")); for (const l of bot.logs) if (/DURABLE/.test(l)) console.log(l);
      const sorted = [...acks].sort((a, b) => a - b);
      console.log(`  held update acknowledged in ${heldAck.toFixed(1)} ms; 30 others: median ${sorted[15].toFixed(1)} ms, slowest ${sorted.at(-1)!.toFixed(1)} ms`);
      return [{ name: 'webhook_ack_max_ms', measured: max, limit: 1000, unit: 'ms' }];
    } finally {
      await bot.kill();
      await api.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
