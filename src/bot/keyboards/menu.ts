import { InlineKeyboard } from 'grammy';
import { hasRole, type Actor, type Role } from '../../core/people/roles.js';
import type { Translate } from '../../i18n.js';
import type { KeysUnder } from '../../core/i18n-keys.js';

/** Menu entries in display order, with the role that sees them (undefined: everyone). */
/** A menu entry: its label is `menu.<item>`, its command `/<item>` described by `commands.<item>`. */
export type MenuItem = KeysUnder<'menu'> & KeysUnder<'commands'>;

export const MENU_ITEMS: { item: MenuItem; role?: Role }[] = [
  { item: 'households', role: 'helper' },
  { item: 'visit', role: 'helper' },
  { item: 'resume', role: 'helper' },
  { item: 'quiz', role: 'helper' },
  { item: 'push', role: 'trainer' },
  { item: 'stats', role: 'supervisor' },
  { item: 'flags', role: 'supervisor' },
  { item: 'export', role: 'supervisor' },
  { item: 'lang' },
  { item: 'help' },
];

/** The role-aware main menu: two buttons a row, callback `m:<item>`. */
export function mainMenu(actor: Actor, t: Translate, available: ReadonlySet<string>): InlineKeyboard {
  const kb = new InlineKeyboard();
  let inRow = 0;
  for (const { item, role } of MENU_ITEMS) {
    if (role && !hasRole(actor, role)) continue;
    if (!available.has(item)) continue;
    kb.text(t(`menu.${item}`), `m:${item}`);
    if (++inRow === 2) {
      kb.row();
      inRow = 0;
    }
  }
  return kb;
}

/** Commands shown in Telegram's menu for a person, per role. */
export function commandsFor(actor: Actor | undefined, t: Translate, available: ReadonlySet<string>) {
  const names: KeysUnder<'commands'>[] = ['help', 'lang', 'cancel'];
  if (!actor) names.unshift('start');
  for (const { item, role } of MENU_ITEMS) {
    if (role && actor && hasRole(actor, role) && available.has(item) && !names.includes(item)) names.push(item);
  }
  return names.map((command) => ({ command, description: t(`commands.${command}`) }));
}
