/**
 * Intruders: a stranger, a revoked helper, a helper reaching another helper's household, draft, card, quiz and
 * push, a helper trying trainer and supervisor commands, supervisors reaching outside their scope, and forged
 * callback data for every prefix the bot draws. All refused with a clear message, nothing of others shown,
 * nothing changed, every refusal logged without names or numbers.
 */
import { describe, expect, it } from 'vitest';
import { desc, eq } from 'drizzle-orm';
import { makeHarness, type Harness, type TestUser } from '../support/harness.js';
import { FIRST_CARD, fillCard } from '../support/card-driver.js';
import { cardDrafts, cards, households, quizAnswers, quizAttempts } from '../../src/db/schema.js';
import { findPeople, revokePerson } from '../../src/db/people-repo.js';
import { openDrafts } from '../../src/db/cards-repo.js';
import { createPush } from '../../src/db/quiz-push-repo.js';
import { loadCatalog } from '../../src/db/quiz-repo.js';
import { CARD_CODES as CARD_OPS } from '../../src/app/card/views.js';

/** What the bot must never show or log to someone else: names of A's household and of A, A's phone, the ID. */
const OTHERS = ['李大山', '张秀兰', '王秀英', '陈老汉', '王小明', '11010519491231002X', '13800000001', '110105', '希望孩子们'];

const REFUSAL = /还没有登记|不对您的角色开放|按钮已经过期|无权查看或修改|邀请码(无效|已经用过|已过期|已被收回)|已绑定到另一位/;

interface Outcome {
  what: string;
  texts: string[];
  logs: string[];
}

/** Runs one attempt and collects what the bot said (messages and callback answers) and logged. */
async function attempt(h: Harness, what: string, run: () => Promise<void>): Promise<Outcome> {
  const calls = h.tg.calls.length;
  const logs = h.logLines.length;
  await run();
  const texts = h.tg.calls
    .slice(calls)
    .map((c) => (c.params.text ?? c.params.caption) as string | undefined)
    .filter((t): t is string => typeof t === 'string');
  return { what, texts, logs: h.logLines.slice(logs) };
}

/** Each attempt: refused in words, nothing of others shown, refusal logged, no personal data in the log. */
function expectRefused(outcomes: Outcome[]): void {
  const bad: string[] = [];
  for (const o of outcomes) {
    if (!o.texts.some((t) => REFUSAL.test(t))) bad.push(`${o.what}: not refused in words: ${JSON.stringify(o.texts).slice(0, 200)}`);
    for (const t of o.texts) for (const s of OTHERS) if (t.includes(s)) bad.push(`${o.what}: shows ${s}`);
    if (!o.logs.some((l) => /"msg":"(refused|stranger refused|invite refused)"/.test(l))) bad.push(`${o.what}: refusal not logged`);
    for (const l of o.logs) {
      for (const s of OTHERS) if (l.includes(s)) bad.push(`${o.what}: log shows ${s}: ${l}`);
      if (/handler failed|unhandled bot error/.test(l)) bad.push(`${o.what}: ${l.slice(0, 300)}`);
    }
  }
  expect(bad).toEqual([]);
}

/** Callback data for every prefix the bot uses, pointing at ids that are not the presser's. */
function forgedData(ids: { household: number; draft: number; step: number; card: number; attempt: number; push: number; helper: number }): string[] {
  return [
    `vh:${ids.household}`, `vn:${ids.household}`, `vp:${ids.household}`, `vg:${ids.draft}`, `vr:${ids.card}`,
    ...CARD_OPS.map((op) => `v:${op}:${ids.draft}:${ids.step}${['c', 't', 'r', 'e', 'es'].includes(op) ? ':0' : ''}`),
    `qa:${ids.attempt}:0:0`, `qs:${ids.attempt}:0`, `qz:p:${ids.push}`, `pr:${ids.push}`, 'pm:new', 'pw:deadbeef:by:all',
    `rc:${ids.card}`, 'ro:1', `sh:${ids.household}`, `rv:c:${ids.card}`, `rv:f:${ids.card}:1:0`, 'st:y:t:d:0', 'sc:y:t:d:0',
    `st:y:-:h:${ids.helper}`, 'ex:cards', 'm:push', 'm:stats', 'm:export', 'sk', 'rn', 'rl:deadbeef:lv:provincial',
  ];
}

const ROLE_COMMANDS = ['/push', '/stats', '/export'];

async function setUp() {
  const h = makeHarness();
  const code = (name: string) => h.demo.find((d) => d.name === name)!.code;
  const a = h.user(101);
  await a.send(`/start ${code('王小明')}`);
  const aId = findPeople(h.db, '王小明')[0].id;
  await a.send('/visit');
  await a.press('H0001');
  await a.press('开始填写');
  await fillCard(h, a, aId, 'H0001', FIRST_CARD);
  await a.press('提交这张卡');
  const card = h.db.select().from(cards).get()!;
  // an open draft of A for H0002, and A's quiz attempt
  await a.send('/visit');
  await a.press('H0002');
  await a.press('开始填写');
  const draft = openDrafts(h.db, aId)[0];
  await a.send('/quiz');
  await a.press('按主题练习');
  await a.press(/./);
  const att = h.db.select().from(quizAttempts).where(eq(quizAttempts.personId, aId)).orderBy(desc(quizAttempts.id)).get()!;
  const trainer = findPeople(h.db, '赵培训')[0].id;
  const cat = loadCatalog(h.db, h.deps.content.quizzes, h.clock.now);
  const push = createPush(h.db, {
    trainerId: trainer, questions: cat.questions.slice(0, 3).map((q) => ({ id: q.id, v: q.version })), selection: { by: 'all' },
    audience: { kind: 'all' }, deadline: h.clock.now + 7 * 86_400_000, personIds: [aId], now: h.clock.now,
  });
  const hh = (c: string) => h.db.select().from(households).where(eq(households.code, c)).get()!.id;
  const ids = { household: hh('H0001'), draft: draft.id, step: draft.step, card: card.id, attempt: att.id, push, helper: aId };
  const snapshot = () => JSON.stringify({
    drafts: h.db.select().from(cardDrafts).all(),
    cards: h.db.select().from(cards).all(),
    answers: h.db.select().from(quizAnswers).all().length,
  });
  return { h, a, aId, ids, code, hh, snapshot };
}

describe('intruders are refused, shown nothing and logged without personal data', () => {
  it('a stranger and a revoked helper', async () => {
    const { h, a, ids, code, snapshot } = await setUp();
    const before = snapshot();
    const stranger = h.user(900);
    const out: Outcome[] = [];
    for (const text of ['你好', '/visit', '/resume', '/households', '/quiz', ...ROLE_COMMANDS, 'H0001', String(ids.draft)]) {
      out.push(await attempt(h, `stranger ${text}`, () => stranger.send(text)));
    }
    out.push(await attempt(h, 'stranger with a used invite', () => stranger.send(`/start ${code('王小明')}`)));
    out.push(await attempt(h, 'stranger with a made-up invite', () => stranger.send('/start ABCD-1234')));
    out.push(await attempt(h, 'stranger sends a location', () => stranger.location(34.27, 108.95)));
    out.push(await attempt(h, 'stranger sends a photo', () => stranger.photo()));
    for (const data of forgedData(ids)) out.push(await attempt(h, `stranger presses ${data}`, () => stranger.pressData(data)));
    expectRefused(out);
    // the stranger's own chat got nothing but refusals
    expect(stranger.inbox().every((m) => REFUSAL.test(m.text ?? '') || /邀请码/.test(m.text ?? ''))).toBe(true);

    // A is revoked with a card open: nothing A sends or presses is taken any more
    await a.send('/resume');
    const question = a.last();
    revokePerson(h.db, findPeople(h.db, '王小明')[0].id, h.clock.now);
    const revoked: Outcome[] = [];
    revoked.push(await attempt(h, 'revoked types an answer', () => a.send('2017-11-10')));
    revoked.push(await attempt(h, 'revoked resumes', () => a.send('/resume')));
    for (const data of forgedData(ids)) revoked.push(await attempt(h, `revoked presses ${data}`, () => a.pressData(data, question)));
    expectRefused(revoked);
    expect(snapshot()).toBe(before);
  });

  it("a helper reaching another helper's household, draft, card, quiz and push, and trainer or supervisor functions", async () => {
    const { h, ids, code, snapshot } = await setUp();
    const b = h.user(202);
    await b.send(`/start ${code('李红')}`);
    const before = snapshot();
    const out: Outcome[] = [];
    for (const data of forgedData(ids)) out.push(await attempt(h, `helper B presses ${data}`, () => b.pressData(data)));
    for (const text of ROLE_COMMANDS) out.push(await attempt(h, `helper B sends ${text}`, () => b.send(text)));
    out.push(await attempt(h, "helper B redeems A's invite again", () => h.user(203).send(`/start ${code('王小明')}`)));
    expectRefused(out);
    // typed ids and codes go nowhere either
    const typed: Outcome[] = [];
    for (const text of ['H0001', String(ids.household), String(ids.draft), String(ids.card), `/visit ${ids.household}`]) {
      typed.push(await attempt(h, `helper B types ${text}`, () => b.send(text)));
    }
    for (const o of typed) for (const t of o.texts) for (const s of OTHERS) expect(t, o.what).not.toContain(s);
    // B's own household list stays B's
    await b.send('/visit');
    expect(b.lastText()).not.toContain('H0001');
    expect(snapshot()).toBe(before);
    expect(openDrafts(h.db, findPeople(h.db, '李红')[0].id)).toHaveLength(0);
  });

  it('supervisors outside their scope', async () => {
    const { h, ids, code, hh, snapshot } = await setUp();
    const before = snapshot();
    const unitHead = h.user(301); // 孙局长: unit U01 (the helpers 王小明 and 李红)
    await unitHead.send(`/start ${code('孙局长')}`);
    const townHead = h.user(302); // 周镇长: town T01 (villages 东沟村, 西坪村)
    await townHead.send(`/start ${code('周镇长')}`);
    const other = { household: hh('H0005'), helper: findPeople(h.db, '张强')[0].id }; // village 南湾村 (T02), helper of unit U02
    const out: Outcome[] = [];
    for (const [who, u] of [['unit head', unitHead], ['town head', townHead]] as [string, TestUser][]) {
      out.push(await attempt(h, `${who} opens a household outside`, () => u.pressData(`sh:${other.household}`)));
      out.push(await attempt(h, `${who} opens a helper outside`, () => u.pressData(`st:y:-:h:${other.helper}`)));
      out.push(await attempt(h, `${who} opens a town outside`, () => u.pressData('st:y:v:t:2')));
      out.push(await attempt(h, `${who} continues A's draft`, () => u.pressData(`v:s:${ids.draft}:${ids.step}`)));
      out.push(await attempt(h, `${who} answers A's quiz`, () => u.pressData(`qa:${ids.attempt}:0:0`)));
    }
    out.push(await attempt(h, 'unit head sends back a card outside', () => unitHead.pressData('rv:c:999')));
    expectRefused(out);
    expect(snapshot()).toBe(before);
  });
});
