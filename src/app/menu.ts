/** The main menu, help and the language choice: what each role may do, as views. */
import { hasRole, supervisorScope, type Actor, type Role } from '../core/people/roles.js';
import type { KeysUnder } from '../core/i18n-keys.js';
import { LOCALE_NAMES, type Locale } from '../core/text.js';
import { msg, raw, ViewBuilder, type ChatView, type Piece } from './views.js';

/** A menu entry: its label is `menu.<item>`, its command `/<item>` described by `commands.<item>`. */
export type MenuItem = KeysUnder<'menu'> & KeysUnder<'commands'>;

/** Menu entries in display order, with the roles that see them (undefined: everyone). */
const MENU_ITEMS: readonly { item: MenuItem; role?: Role | readonly Role[] }[] = [
  { item: 'households', role: 'helper' },
  { item: 'visit', role: 'helper' },
  { item: 'resume', role: 'helper' },
  { item: 'quiz', role: 'helper' },
  { item: 'push', role: 'trainer' },
  { item: 'stats', role: 'supervisor' },
  { item: 'flags', role: 'supervisor' },
  { item: 'export', role: 'supervisor' },
  { item: 'web', role: ['supervisor', 'trainer'] },
  { item: 'lang' },
  { item: 'help' },
];

/** The items this person may use. */
function menuItems(actor: Actor): MenuItem[] {
  const may = (role: Role | readonly Role[] | undefined) => !role || (typeof role === 'string' ? [role] : role).some((r) => hasRole(actor, r));
  return MENU_ITEMS.filter(({ role }) => may(role)).map((m) => m.item);
}

/** The role-aware main menu, two entries a row. */
export function menuView(actor: Actor): ChatView {
  const v = new ViewBuilder().line(msg('menu.title', { name: actor.name }));
  menuItems(actor).forEach((item, i) => {
    v.action(msg(`menu.${item}`), 'menu', item);
    if (i % 2 === 1) v.row();
  });
  return v.build();
}

/** The commands a channel lists for a person (a stranger: how to start). */
export function commandNames(actor: Actor | undefined): KeysUnder<'commands'>[] {
  const names: KeysUnder<'commands'>[] = actor ? [] : ['start'];
  for (const item of actor ? menuItems(actor) : []) if (!names.includes(item)) names.push(item);
  for (const c of ['help', 'lang', 'cancel'] as const) if (!names.includes(c)) names.push(c);
  return names;
}

/** What this person's roles can do. */
export function helpView(actor: Actor): ChatView {
  const v = new ViewBuilder().line(msg('help.intro'));
  const parts: Piece[] = [];
  if (hasRole(actor, 'helper')) parts.push(msg('help.helper'));
  if (hasRole(actor, 'trainer')) parts.push(msg('help.trainer'));
  if (hasRole(actor, 'supervisor')) parts.push(msg('help.supervisor', { scope: msg(`scope.${supervisorScope(actor)?.kind ?? 'unit'}`) }));
  if (hasRole(actor, 'admin')) parts.push(msg('help.admin'));
  if (actor.roles.length === 0) parts.push(msg('help.none'));
  parts.push(msg('help.common'));
  for (const p of parts) v.block().line(p);
  return v.build();
}

/** The languages to choose from, each named in itself. */
export function languageView(): ChatView {
  const v = new ViewBuilder().line(msg('lang.choose'));
  for (const [locale, name] of Object.entries(LOCALE_NAMES) as [Locale, string][]) v.action(raw(name), 'lang', locale);
  return v.build();
}
