/**
 * Property: whatever a helper sends at whatever step of the card (text of any shape, media, forged or stale
 * buttons), the bot answers every update, nothing escapes the handlers, the stored draft holds only answers the
 * form accepts, and the card can still be finished with a valid script afterwards.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { eq } from 'drizzle-orm';
import type { Update, User } from 'grammy/types';
import { buttons, makeHarness, type Harness } from '../support/harness.js';
// the fuzzing starts from a first card typed in full (no registry record): every field is asked
import { TYPED_FIRST_CARD as FIRST_CARD, currentField, fillCard, keyOf, perform, pickAction, withoutRegistry, type DriverIO } from '../support/card-driver.js';
import {
  buildUpdate, cardInputArb, extraBot, checkedRun, describe as describeInput, storedAnswerProblems, visibleButtons, watchRejections, type FuzzInput,
} from '../support/fuzz-inputs.js';
import { discardDraft, draftById, openDrafts, verifyChains } from '../../src/db/cards-repo.js';
import { focusedDraftId } from '../../src/db/focus-repo.js';
import { findPeople, setLocale } from '../../src/db/people-repo.js';
import { helperHousehold, householdsOfHelper } from '../../src/db/household-repo.js';
import { engineContextFor } from '../../src/app/card-context.js';
import { currentPrompt, summarize, type CardState, type Prompt } from '../../src/core/forms/index.js';
import { cardDrafts, cards } from '../../src/db/schema.js';

const SEED = 20171102;
const RUNS = 40;
const CHAT = 101;

async function openCard(h: Harness) {
  const helper = h.demo.find((d) => d.role === 'helper')!;
  const u = h.user(CHAT);
  await u.send(`/start ${helper.code}`);
  const id = findPeople(h.db, helper.name)[0].id;
  await u.send('/visit');
  await u.press('H0001');
  await u.press('开始填写');
  return { u, id, draftId: openDrafts(h.db, id)[0].id };
}

/** Answers `n` questions of the focused card from the script (stops early at the summary). */
async function advanceBy(h: Harness, io: DriverIO, helperId: number, n: number): Promise<number> {
  const form = h.deps.content.forms.get('dynamic_card')!;
  const hh = householdsOfHelper(h.db, helperId).find((x) => x.code === 'H0001')!;
  const seen = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const p = currentField(h.db, helperId, form, engineContextFor(h.deps, hh, helperId));
    if (!p) return i;
    const key = keyOf(p);
    const k = seen.get(key) ?? 0;
    seen.set(key, k + 1);
    await perform(io, pickAction(FIRST_CARD, key, k)!);
  }
  return n;
}

function draftProblems(h: Harness, helperId: number): string[] {
  const form = h.deps.content.forms.get('dynamic_card')!;
  const out: string[] = [];
  for (const d of h.db.select().from(cardDrafts).where(eq(cardDrafts.helperId, helperId)).all()) {
    const hh = helperHousehold(h.db, helperId, d.householdId)!;
    const state = JSON.parse(d.state) as CardState;
    const ectx = engineContextFor(h.deps, hh, helperId);
    out.push(...storedAnswerProblems(form, state, ectx).map((p) => `draft ${d.id}: ${p}`));
    if (d.status === 'submitted' && !summarize(form, state, ectx).canSubmit) out.push(`draft ${d.id} was submitted but cannot be`);
  }
  return out;
}

/**
 * Drives the card to a submitted state from wherever the fuzzing left it: keeps answers already given, takes the
 * rest from FIRST_CARD (repeat items by their index, lists up to the script's count), confirms warnings and fixes
 * what the summary names. Presses carry the current step, like the buttons on screen.
 */
async function finishAndSubmit(h: Harness, u: ReturnType<Harness['user']>, helperId: number, draftId: number): Promise<void> {
  const form = h.deps.content.forms.get('dynamic_card')!;
  const io: DriverIO = { send: u.send, press: u.press, location: (a, b) => u.location(a, b), photo: () => u.photo() };
  const fixing = new Set<string>();
  for (let i = 0; i < 500; i++) {
    const d = draftById(h.db, draftId)!;
    if (d.status !== 'open') return;
    const hh = helperHousehold(h.db, helperId, d.householdId)!;
    const ectx = engineContextFor(h.deps, hh, helperId);
    const state = d.state;
    const p = currentPrompt(form, state, ectx);
    const press = (op: string, arg?: number) => u.pressData(['v', op, d.id, d.step, ...(arg === undefined ? [] : [arg])].join(':'));
    if (p.done) {
      const sum = summarize(form, state, ectx);
      if (sum.canSubmit) await press('sub');
      else if (sum.warnings.some((w) => !w.confirmed) && !sum.errors.length && !sum.missing.length) await press('w');
      else {
        await press('ed');
        const after = draftById(h.db, draftId)!;
        const jumped = currentPrompt(form, after.state, ectx);
        if (!jumped.done) fixing.add(jumped.path);
      }
      continue;
    }
    if (p.kind === 'confirm') {
      await press('k');
      continue;
    }
    if (p.kind === 'across') {
      await press('d');
      continue;
    }
    if (p.list) {
      if (p.list.previousItems?.length && !p.list.items.length) {
        await press('k');
        continue;
      }
      // the script's items: typed lines (members) or first choices (policies, problems, measures), then "finish"
      const adds = ((FIRST_CARD[p.fieldId] as string[] | undefined) ?? []).slice(0, -1);
      const have = p.list.items.length - (p.fieldId === 'members' ? 1 : 0);
      const next = have < adds.length && p.list.canAdd ? adds[have] : undefined;
      if (next?.startsWith('text:')) await u.send(next.slice(5));
      else if (next && p.list.firstChoices) await press('c', Math.max(0, p.list.firstChoices.findIndex((c) => c.label.zh.includes(next.slice(6)))));
      else if (p.list.canFinish) await press('f');
      else if (p.list.firstChoices) await press('c', 0);
      else await press('a');
      if (draftById(h.db, draftId)!.step === d.step && p.list.canFinish) await press('f');
      continue;
    }
    if (p.offerKeep) {
      // an answer the summary sent us back to is changed, not kept
      await press(fixing.has(p.path) ? 'x' : 'k');
      continue;
    }
    const key = keyOf(p);
    const script = FIRST_CARD[key];
    if (script === undefined) {
      if (p.canSkip) await press('s');
      else throw new Error(`no scripted answer for ${p.path}`);
      continue;
    }
    const list = Array.isArray(script) ? script : [script];
    if (p.type === 'select_multiple') {
      // tick exactly the script's choices (untick what the fuzzing ticked), then confirm
      const wanted = new Set(list.slice(0, -1).map((a) => p.choices!.findIndex((c) => c.label.zh.includes(a.slice('press:'.length)))));
      const selected = new Set(p.selected ?? []);
      const wrong = p.choices!.findIndex((c, k) => wanted.has(k) !== selected.has(c.value));
      if (wrong >= 0) await press('t', wrong);
      else {
        await press('d');
        if (draftById(h.db, draftId)!.step === d.step) await fallback(p, press, u.send);
      }
      continue;
    }
    const action = p.repeat ? list[Math.min(p.repeat.index, list.length - 1)] : list[0];
    if (action.startsWith('press:')) {
      const label = action.slice('press:'.length);
      const special: Record<string, string> = { 跳过: 's', 是: 'y', 否: 'n', 不变: 'k', '0（没有）': 'z' };
      const choices = p.choices ?? [];
      const suggested = (p.suggestions ?? []).findIndex((x) => x.label.zh.includes(label));
      let k = choices.findIndex((c) => c.label.zh === label);
      if (k < 0) k = choices.findIndex((c) => c.label.zh.includes(label));
      const previous = choices.findIndex((c) => c.value === p.previous);
      if (k >= 0) await press('c', k);
      else if (suggested >= 0) await press('sg', suggested);
      else if (label === '不变' && previous >= 0) await press('c', previous);
      else if (label === '不变' && p.previous !== undefined && typeof p.previous !== 'object') await u.send(String(p.previous));
      else if (special[label]) await press(special[label]);
      else throw new Error(`no button ${label} at ${p.path}`);
      continue;
    }
    await perform(io, action);
    // the script's answer may not fit what the fuzzing chose earlier (months of work for someone who now works)
    if (draftById(h.db, draftId)!.step === d.step) await fallback(p, press, u.send);
  }
  throw new Error(`the card could not be finished: ${u.lastText()}`);
}

/** The update that gives the script's answer to the focused card's current question (undefined at the summary). */
function scriptedUpdate(h: Harness, user: User, helperId: number): Omit<Update, 'update_id'> | undefined {
  const form = h.deps.content.forms.get('dynamic_card')!;
  const focused = focusedDraftId(h.db, helperId);
  const d = focused ? draftById(h.db, focused) : undefined;
  const hh = d && helperHousehold(h.db, helperId, d.householdId);
  if (!d || !hh || d.status !== 'open') return undefined;
  const p = currentPrompt(form, d.state, engineContextFor(h.deps, hh, helperId));
  if (p.done) return undefined;
  const script = FIRST_CARD[keyOf(p)];
  const list = script === undefined ? [] : Array.isArray(script) ? script : [script];
  const action = list[p.repeat ? Math.min(p.repeat.index, list.length - 1) : 0];
  if (!action) return undefined;
  if (action.startsWith('text:')) return h.tg.textUpdate(user, action.slice(5));
  if (action.startsWith('loc:')) {
    const [lat, lon] = action.slice(4).split(',').map(Number);
    return h.tg.locationUpdate(user, lat, lon);
  }
  if (action === 'photo') return h.tg.photoUpdate(user);
  const label = action.slice('press:'.length);
  const msg = [...h.tg.messagesTo(user.id)].reverse().find((m) => buttons(m).length);
  const b = buttons(msg).find((x) => x.text.includes(label));
  return b && msg ? h.tg.callbackUpdate(user, msg, b.callback_data!) : undefined;
}

/** Some valid answer for a question the script's answer did not fit. */
async function fallback(p: Prompt, press: (op: string, arg?: number) => Promise<void>, send: (text: string) => Promise<void>): Promise<void> {
  if (p.canSkip) return press('s');
  if (p.min !== undefined && ['integer', 'decimal', 'money'].includes(p.type)) return send(String(p.min));
  if (p.type === 'select_one' && p.choices?.length) return press('c', 0);
  if (p.type === 'yes_no') return press('n');
  if (p.type === 'text') return send('无');
  throw new Error(`no fallback answer for ${p.path}`);
}

describe('fuzzing the card', () => {
  it('answers every input at every step, stores only what the form accepts, and still finishes', async () => {
    const rejections = watchRejections();
    let runs = 0;
    let updates = 0;
    let accepted = 0;
    try {
      await fc.assert(
        fc.asyncProperty(fc.nat(115), fc.array(cardInputArb, { minLength: 8, maxLength: 20 }), async (prefix, inputs) => {
          runs++;
          const h = makeHarness();
          withoutRegistry(h.db);
          const { u, id, draftId } = await openCard(h);
          const bot = extraBot(h);
          const io: DriverIO = { send: u.send, press: u.press, location: (a, b) => u.location(a, b), photo: () => u.photo() };
          await advanceBy(h, io, id, prefix);
          const problems: string[] = [];
          const resolve = (input: FuzzInput): string | undefined => {
            if (input.kind === 'data') return input.data;
            if (input.kind === 'visible') {
              const all = visibleButtons(h, CHAT);
              return all.length ? all[input.n % all.length] : 'v:h:1:0';
            }
            if (input.kind === 'card') {
              const focused = focusedDraftId(h.db, id) ?? draftId;
              const d = draftById(h.db, focused)!;
              const data = [`v`, input.op, Math.max(1, d.id + input.draftDelta), Math.max(0, d.step + input.stepDelta)];
              if (input.arg !== undefined) data.push(input.arg);
              return data.join(':');
            }
            return undefined;
          };
          for (const input of inputs) {
            const update = input.kind === 'script' ? scriptedUpdate(h, u.user, id) : buildUpdate(h, u.user, input, resolve);
            if (!update) continue;
            updates++;
            const stepBefore = draftById(h.db, focusedDraftId(h.db, id) ?? draftId)!.step;
            problems.push(...(await checkedRun(h, () => bot.deliver(update), 'callback_query' in update, describeInput(input))));
            problems.push(...draftProblems(h, id));
            if (draftById(h.db, focusedDraftId(h.db, id) ?? draftId)!.step > stepBefore) accepted++;
            if (problems.length) break;
          }
          expect(problems).toEqual([]);

          // finish the card with the script: only the fuzzed draft stays open, in Chinese
          setLocale(h.db, id, 'zh-CN');
          const target = draftById(h.db, draftId)!;
          if (target.status === 'open') {
            for (const d of openDrafts(h.db, id)) if (d.id !== draftId) discardDraft(h.db, d.id, h.clock.now);
            await u.pressData(`vg:${draftId}`);
            await finishAndSubmit(h, u, id, draftId);
          }
          const stored = h.db.select().from(cards).where(eq(cards.draftId, draftId)).all();
          if (target.status === 'discarded') {
            // the fuzzing pressed "discard" and confirmed it: nothing stored, and it no longer comes back
            expect(stored).toHaveLength(0);
            expect(openDrafts(h.db, id).map((d) => d.id)).not.toContain(draftId);
          } else {
            expect(draftById(h.db, draftId)!.status).toBe('submitted');
            expect(stored).toHaveLength(1);
          }
          expect(verifyChains(h.db)).toMatchObject({ ok: true });
          expect(draftProblems(h, id)).toEqual([]);
          expect(h.logLines.filter((l) => /handler failed|unhandled bot error/.test(l))).toEqual([]);
        }),
        { seed: SEED, numRuns: RUNS, endOnFailure: true },
      );
    } finally {
      rejections.stop();
    }
    expect(rejections.list).toEqual([]);
    // the fuzzing moved cards too, not only bounced off them
    expect(accepted).toBeGreaterThan(RUNS / 2);
    console.info(`fuzz-card: ${runs} cases, ${updates} fuzzed updates, ${accepted} of them accepted by the card`);
  }, 120_000);

  it('the longest answers the form accepts still fit in messages Telegram takes', async () => {
    const h = makeHarness();
    withoutRegistry(h.db);
    const { u, id } = await openCard(h);
    const from = h.tg.calls.length;
    const script = {
      ...FIRST_CARD,
      policies: [...Array(30).fill('press:健康扶贫'), 'press:这一组填完了'],
      'policies.detail': `text:${'政'.repeat(200)}`,
    };
    // an essay typed at a multiple choice is refused without being echoed back whole
    const { rejected } = await fillCard(h, u, id, 'H0001', script, { cause_other: [`text:${'x'.repeat(4090)}`] });
    expect(rejected).toHaveLength(1);
    // every page of answers, turned in place
    await u.press('查看全部回答');
    for (let i = 0; i < 40 && buttons(u.last()).some((b) => b.text === '▶'); i++) await u.press('▶');
    await u.press('回到汇总');
    const texts = h.tg.calls.slice(from).map((c) => c.params.text).filter((t): t is string => typeof t === 'string');
    expect(texts.filter((t) => t.length > 4096).map((t) => `${t.length}: ${t.slice(0, 40)}`)).toEqual([]);
    expect(texts.filter((t) => t.includes('【F.')).length).toBeGreaterThanOrEqual(1);
    await u.press('提交这张卡');
    expect(h.db.select().from(cards).all()).toHaveLength(1);
    expect(JSON.parse(h.db.select().from(cards).get()!.answers).policies).toHaveLength(30);
  });
});
