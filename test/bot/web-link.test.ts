/**
 * `/web` in chat: supervisors and trainers get a one-time sign-in link (no preview: a preview would fetch it) and,
 * where the dashboard is public over https, a Mini App button that also becomes the chat's menu button; helpers are
 * refused; without an HTTP server the bot says the dashboard is off. The link signs in once (the use case's test
 * covers the rest).
 */
import { describe, expect, it } from 'vitest';
import { signInWithLink } from '../../src/app/web-access.js';
import { buttons, makeHarness } from '../support/harness.js';

const PUBLIC = 'https://bangfu.example.org';

async function signedIn(env: Record<string, string>, name: string, chat: number) {
  const h = makeHarness({ env });
  const u = h.user(chat);
  await u.send(`/start ${h.demo.find((d) => d.name === name)!.code}`);
  u.takeTexts();
  return { h, u };
}

describe('/web', () => {
  it('a supervisor gets a one-time link without preview and a Mini App button; the menu button opens the Mini App', async () => {
    const { h, u } = await signedIn({ PORT: '8443', PUBLIC_URL: PUBLIC }, '吴主任', 7001);
    await u.send('/web');
    const m = u.last();
    const url = /https:\/\/bangfu\.example\.org\/web\/in\/([A-Za-z0-9_-]{43})/.exec(m.text ?? '');
    expect(url).not.toBeNull();
    const sent = h.tg.calls.filter((c) => c.method === 'sendMessage').at(-1)!;
    expect(JSON.stringify(sent.params.link_preview_options)).toContain('"is_disabled":true');
    expect(JSON.stringify(m.replyMarkup)).toContain(`"web_app":{"url":"${PUBLIC}/web/app"}`);
    const menu = h.tg.calls.find((c) => c.method === 'setChatMenuButton');
    expect(JSON.stringify(menu?.params)).toContain(`${PUBLIC}/web/app`);
    // the token in the message signs in once
    expect(signInWithLink(h.deps, url![1]).ok).toBe(true);
    expect(signInWithLink(h.deps, url![1])).toEqual({ ok: false, reason: 'used' });
    expect(h.logLines.join('')).not.toContain(url![1]);
  });

  it('a trainer gets it from the menu too; over plain http no Mini App button; a helper is refused', async () => {
    const { h, u } = await signedIn({ PORT: '8080' }, '赵培训', 7002);
    await u.send('/menu');
    expect(buttons(u.last()).map((b) => b.text)).toContain('🖥 管理看板');
    await u.press('🖥 管理看板');
    expect(u.lastText()).toMatch(/http:\/\/localhost:8080\/web\/in\/[A-Za-z0-9_-]{43}/);
    expect(JSON.stringify(u.last().replyMarkup ?? {})).not.toContain('web_app');
    expect(h.tg.calls.some((c) => c.method === 'setChatMenuButton')).toBe(false);
    const helper = h.user(7003);
    await helper.send(`/start ${h.demo.find((d) => d.name === '王小明')!.code}`);
    await helper.send('/web');
    expect(helper.lastText()).toContain('不对您的角色开放');
  });

  it('without PORT (polling, no HTTP server) the bot says the dashboard is off', async () => {
    const { u } = await signedIn({ LOG_LEVEL: 'info' }, '吴主任', 7004);
    await u.send('/web');
    expect(u.lastText()).toContain('管理看板没有开启');
  });
});

describe('admin web-link <person>', () => {
  it('prints a one-time link for a supervisor or trainer; refuses helpers, revoked people and unknown names', async () => {
    const { webLink, revoke } = await import('../../src/cli/admin-commands.js');
    const h = makeHarness({ env: { PUBLIC_URL: PUBLIC } });
    const lines: string[] = [];
    const env = { ...h.cli(), out: (l: string) => void lines.push(l) };
    expect(webLink(env, '周镇长')).toBe(0);
    const token = new RegExp(`${PUBLIC}/web/in/([A-Za-z0-9_-]{43})`).exec(lines.join('\n'))![1];
    expect(signInWithLink(h.deps, token).ok).toBe(true);
    expect(webLink(env, '王小明')).toBe(1);
    expect(lines.at(-1)).toContain('不是督导或培训员');
    expect(webLink(env, '没有这个人')).toBe(1);
    revoke(env, '周镇长');
    expect(webLink(env, '周镇长')).toBe(1);
  });
});
