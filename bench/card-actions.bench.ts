/**
 * How many taps and messages a card takes, counted on the real bot in-process: a scripted helper fills a first visit
 * to the demo household H0001 (three people, one of them sick; one policy, one problem, one measure recorded),
 * confirming what the registry's record in the roster says and changing what changed since (the wife works now, made
 * from the summary), then the next visit where nothing has changed. An action is one update the helper sends from the card's first question
 * to its submission; a message is one message the bot sends or edits into that chat meanwhile.
 */
import type { BenchModule, BenchTarget } from './types.js';
import { makeHarness } from '../test/support/harness.js';
import { FIRST_CARD, RETURN_CARD, fillCard, type Script } from '../test/support/card-driver.js';
import { findPeople } from '../src/db/people-repo.js';

const MESSAGE_METHODS = new Set(['sendMessage', 'sendPhoto', 'sendDocument', 'editMessageText', 'editMessageReplyMarkup']);

/** One card through the bot: actions and messages from its first question to the submitted confirmation. */
async function visit(h: ReturnType<typeof makeHarness>, u: ReturnType<ReturnType<typeof makeHarness>['user']>, helperId: number, script: Script) {
  await u.send('/visit');
  await u.press('H0001');
  await u.press('开始填写');
  const calls = h.tg.calls.length;
  const { steps } = await fillCard(h, u, helperId, 'H0001', script);
  await u.press('提交这张卡');
  const messages = h.tg.calls.slice(calls).filter((c) => MESSAGE_METHODS.has(c.method) && Number(c.params.chat_id) === u.user.id).length;
  return { actions: steps.length + 1, messages };
}

export const bench: BenchModule = {
  title: 'Card: taps and messages of a scripted helper (demo household H0001, 3 people)',
  async run(): Promise<BenchTarget[]> {
    const h = makeHarness();
    const helper = h.demo.find((d) => d.name === '王小明')!;
    const u = h.user(101);
    await u.send(`/start ${helper.code}`);
    const id = findPeople(h.db, helper.name)[0].id;
    const first = await visit(h, u, id, FIRST_CARD);
    h.clock.now += 20 * 86_400_000;
    const again = await visit(h, u, id, RETURN_CARD);
    const perAction = (first.messages + again.messages) / (first.actions + again.actions);
    console.log(`  first visit:  ${first.actions} actions, ${first.messages} bot messages (${(first.messages / first.actions).toFixed(2)} per action)`);
    console.log(`  return visit: ${again.actions} actions, ${again.messages} bot messages (${(again.messages / again.actions).toFixed(2)} per action)`);
    console.log('  (before this card design, a first visit to a 3-person household took about 121 actions and 187 messages)');
    return [
      { name: 'card_actions_first_visit', measured: first.actions, limit: 60, unit: '' },
      { name: 'card_actions_return_visit', measured: again.actions, limit: 25, unit: '' },
      { name: 'card_messages_per_action', measured: perAction, limit: 1.2, unit: 'x' },
    ];
  },
};
