/**
 * Risk flags a supervisor can act on: the open flags of their scope, one flag with the card behind it, and "handled"
 * with a note (who and when recorded). `/stats` and the web count only open flags, so marking one handled moves the
 * figures. A flag superseded by a later card is no longer open and cannot be handled.
 */
import type { Actor } from '../core/people/roles.js';
import type { MessageRef } from '../core/text.js';
import { localDateTime } from '../core/time.js';
import { flagMessage } from '../core/visits/risk-flags.js';
import { cardById } from '../db/cards-repo.js';
import { flagById, markFlagHandled, openFlagsInScope, type FlagRow, type ScopedFlagRow } from '../db/flags-repo.js';
import { householdBrief } from '../db/household-repo.js';
import { personName } from '../db/people-repo.js';
import { householdInScope } from '../db/scope-repo.js';
import { ok, refuse, type AppDeps, type Result } from './deps.js';
import { supervisorOf, type Supervisor } from './scope.js';
import { msg, ViewBuilder, type ChatView, type Piece } from './views.js';

/** Flags shown per page (a phone screen of buttons). */
export const FLAGS_PAGE_SIZE = 8;
/** The shortest note that says what was done ("已核实" is three characters). */
const MIN_NOTE_CHARS = 2;
const MAX_NOTE_CHARS = 300;

export interface FlagItem extends ScopedFlagRow {
  message: MessageRef;
}

export interface FlagsPage {
  total: number;
  page: number;
  pages: number;
  items: FlagItem[];
}

const messageOf = (m: MessageRef): Piece => msg(m.key, m.params);

/** The state of a flag in words: open, handled (who, when, note), or superseded. */
export function flagState(f: FlagRow, timeZone: string): Piece {
  if (f.resolution === 'handled') {
    return msg('flags.state_handled', { who: f.resolvedByName ?? '—', at: localDateTime(f.resolvedAt ?? 0, timeZone), note: f.note ?? '' });
  }
  if (f.resolution === 'superseded') return msg('flags.state_superseded', { at: localDateTime(f.resolvedAt ?? 0, timeZone) });
  return msg('flags.state_open');
}

/** One page (0-based, clamped) of the open flags in the supervisor's scope: the list, a button per flag, paging. */
export function openFlags(deps: AppDeps, actor: Actor | undefined, page: number): Result<{ page: FlagsPage; view: ChatView }, 'role'> {
  const sup = supervisorOf(actor);
  if (!sup.ok) return sup;
  const scope = sup.value.scope;
  const first = openFlagsInScope(deps.db, scope, FLAGS_PAGE_SIZE, 0);
  const pages = Math.max(1, Math.ceil(first.total / FLAGS_PAGE_SIZE));
  const at = Math.min(Math.max(0, Math.floor(Number.isFinite(page) ? page : 0)), pages - 1);
  const { total, rows } = at === 0 ? first : openFlagsInScope(deps.db, scope, FLAGS_PAGE_SIZE, at * FLAGS_PAGE_SIZE);
  const p: FlagsPage = { total, page: at, pages, items: rows.map((r) => ({ ...r, message: flagMessage(r.code, r.params) })) };
  return ok({ page: p, view: pageView(p) });
}

function pageView(p: FlagsPage): ChatView {
  if (!p.total) return new ViewBuilder().line(msg('flags.none')).build();
  const v = new ViewBuilder().line(msg('flags.title', { total: p.total, page: p.page + 1, pages: p.pages })).block();
  p.items.forEach((f, i) => {
    const n = p.page * FLAGS_PAGE_SIZE + i + 1;
    v.line(
      msg('flags.item', {
        n, level: msg(f.level === 'high' ? 'flags.level_high' : 'flags.level_medium'), code: f.householdCode, head: f.headName,
        village: f.villageName, message: messageOf(f.message), date: f.visitDate, helper: f.helperName,
      }),
    );
    v.action(msg('flags.btn_item', { n, code: f.householdCode, head: f.headName }), 'flags:open', f.id);
    if (i % 2 === 1) v.row();
  });
  v.row();
  if (p.page > 0) v.action(msg('flags.btn_prev'), 'flags:page', p.page - 1);
  if (p.page + 1 < p.pages) v.action(msg('flags.btn_next'), 'flags:page', p.page + 1);
  return v.build();
}

/** A flag the supervisor may act on (its household lies in their scope), in any state. */
function flagInScope(deps: AppDeps, actor: Actor | undefined, flagId: number): Result<{ flag: FlagItem; sup: Supervisor }, 'role' | 'not_yours'> {
  const sup = supervisorOf(actor);
  if (!sup.ok) return sup;
  const flag = flagById(deps.db, flagId);
  if (!flag || !householdInScope(deps.db, sup.value.scope, flag.householdId)) return refuse('not_yours');
  const card = cardById(deps.db, flag.cardId);
  const h = householdBrief(deps.db, flag.householdId);
  if (!card || !h) return refuse('not_yours');
  return ok({
    sup: sup.value,
    flag: {
      ...flag, message: flagMessage(flag.code, flag.params), householdCode: h.code, headName: h.headName, villageName: h.villageName,
      visitDate: card.visitDate, helperName: personName(deps.db, card.helperId) ?? '—',
    },
  });
}

/** One flag: what it says, whose card, its state, and what can be done (handle it, the card, send back, the list). */
export function flagDetail(deps: AppDeps, actor: Actor | undefined, flagId: number): Result<{ flag: FlagItem; view: ChatView }, 'role' | 'not_yours'> {
  const r = flagInScope(deps, actor, flagId);
  if (!r.ok) return r;
  const f = r.value.flag;
  const tz = deps.config.timezone;
  const v = new ViewBuilder().line(
    msg('flags.detail', {
      message: messageOf(f.message), code: f.householdCode, head: f.headName, village: f.villageName, helper: f.helperName,
      date: f.visitDate, revision: f.revision, at: localDateTime(f.createdAt, tz), state: flagState(f, tz),
    }),
  );
  if (f.resolvedAt === null) v.action(msg('flags.btn_handle'), 'flags:handle', f.id).row();
  v.action(msg('flags.btn_card'), 'flags:card', f.cardId).action(msg('review.btn_send_back'), 'review:card', f.cardId).row();
  v.action(msg('flags.btn_list'), 'flags:page', 0);
  return ok({ flag: f, view: v.build() });
}

/** "Mark handled": the question for the note, if the flag is still open. */
export function askFlagNote(deps: AppDeps, actor: Actor | undefined, flagId: number): Result<ChatView, 'role' | 'not_yours' | 'not_open'> {
  const r = flagInScope(deps, actor, flagId);
  if (!r.ok) return r;
  if (r.value.flag.resolvedAt !== null) return refuse('not_open');
  return ok(flagNoteQuestion());
}

export function flagNoteQuestion(): ChatView {
  return new ViewBuilder().line(msg('flags.ask_note')).build();
}

/** Marks a flag handled with the supervisor's note; the note is what the next reader of the archive sees. */
export function handleFlag(
  deps: AppDeps,
  actor: Actor | undefined,
  flagId: number,
  note: string,
): Result<{ remaining: number; view: ChatView }, 'role' | 'not_yours' | 'not_open' | 'note_short'> {
  const found = flagInScope(deps, actor, flagId);
  if (!found.ok) return found;
  const text = note.trim().slice(0, MAX_NOTE_CHARS);
  if (Array.from(text).length < MIN_NOTE_CHARS) return refuse('note_short');
  const { flag, sup } = found.value;
  if (!markFlagHandled(deps.db, flagId, sup.personId, text, deps.now())) return refuse('not_open');
  const remaining = openFlagsInScope(deps.db, sup.scope, 0, 0).total;
  const view = new ViewBuilder()
    .line(msg('flags.handled', { message: messageOf(flag.message), note: text, remaining }))
    .action(msg('flags.btn_list'), 'flags:page', 0)
    .build();
  return ok({ remaining, view });
}
