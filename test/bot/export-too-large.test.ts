/**
 * A spreadsheet larger than the Bot API accepts from the bot (TELEGRAM_FILE_LIMIT_MB: 50 with Telegram's servers) is
 * not attempted in chat: the supervisor is told its size and where to get it (the dashboard's export page, or the
 * admin CLI when there is no dashboard). Under the limit it is sent as before.
 */
import { describe, expect, it } from 'vitest';
import { makeHarness } from '../support/harness.js';

async function exportAs(env: Record<string, string>) {
  const h = makeHarness({ env });
  const sup = h.user(203);
  await sup.send(`/start ${h.demo.find((d) => d.role === 'supervisor+admin')!.code}`);
  await sup.send('/export');
  await sup.press('一户一档');
  return { sup, docs: sup.inbox().filter((m) => m.method === 'sendDocument'), last: sup.inbox().at(-1)?.text ?? '' };
}

describe('/export and the Bot API file limit', () => {
  it('says where to download a spreadsheet over the limit instead of sending it', async () => {
    const web = await exportAs({ TELEGRAM_FILE_LIMIT_MB: '0.001', PORT: '8089' });
    expect(web.docs).toHaveLength(0);
    expect(web.last).toMatch(/超过了机器人能在聊天里发送的 0\.001 MB。请在网页版的“导出”页下载/);
    const noWeb = await exportAs({ TELEGRAM_FILE_LIMIT_MB: '0.001' });
    expect(noWeb.docs).toHaveLength(0);
    expect(noWeb.last).toMatch(/npm run admin -- export/);
  });

  it('sends it under the limit', async () => {
    const r = await exportAs({});
    expect(r.docs).toHaveLength(1);
  });
});
