/**
 * Review that reaches the helper: a supervisor picks one answer of a card in their scope (section, then field) and
 * writes a comment; the helper is told, with an action that reopens exactly that answer in a correction draft; the
 * submitted correction is the card's next revision, which closes the review and tells the supervisor.
 *
 * A card revised since the buttons were drawn is `stale`: the answers the buttons point at may have moved.
 */
import { answeredItems, jumpTo, pathLabel, type CardState, type FormDefinition } from '../core/forms/index.js';
import type { Actor } from '../core/people/roles.js';
import type { Text } from '../core/text.js';
import { cardById, createDraft, draftById, lastSubmittedState, type CardRow } from '../db/cards-repo.js';
import { helperHousehold, householdBrief } from '../db/household-repo.js';
import { chatOf, closeReviewByDraft, createReview, markReviewOpened, reviewById } from '../db/review-repo.js';
import { householdInScope } from '../db/scope-repo.js';
import { engineContextFor } from './card-context.js';
import { stateFromAnswers } from './card/correct.js';
import { ok, refuse, type AppDeps, type Result } from './deps.js';
import type { Notifier, Recipient, SendOutcome } from './notifier.js';
import { supervisorOf, type Supervisor } from './scope.js';
import { content, msg, ViewBuilder, type ChatView } from './views.js';

const MAX_COMMENT = 500;
/** A field's button shows its label and answer, cut to this many characters. */
const FIELD_BUTTON_CHARS = 60;

export type ReviewRefusal = 'role' | 'not_yours' | 'stale';

/** The answer a supervisor picked, carried through the comment dialog (plain data: it is saved with the dialog). */
export interface ReviewTarget {
  cardId: number;
  revision: number;
  path: string;
  field: Text;
  value: Text;
}

const formOf = (deps: AppDeps, card: { formId: string }): FormDefinition => deps.content.forms.get(card.formId) ?? deps.content.card;

const cut = (s: string, n: number) => Array.from(s).slice(0, n).join('');

/** The card, if the actor supervises its household; `revision`, when given, must still be the card's. */
function supervisedCard(deps: AppDeps, actor: Actor | undefined, cardId: number, revision?: number): Result<{ sup: Supervisor; card: CardRow }, ReviewRefusal> {
  const sup = supervisorOf(actor);
  if (!sup.ok) return sup;
  const card = cardById(deps.db, cardId);
  if (!card || !householdInScope(deps.db, sup.value.scope, card.householdId)) return refuse('not_yours');
  if (revision !== undefined && revision !== card.revision) return refuse('stale');
  return ok({ sup: sup.value, card });
}

/** "Send back": the sections of the card that hold answers. */
export function reviewSections(deps: AppDeps, actor: Actor | undefined, cardId: number): Result<ChatView, ReviewRefusal> {
  const r = supervisedCard(deps, actor, cardId);
  if (!r.ok) return r;
  const { card } = r.value;
  const form = formOf(deps, card);
  const items = answeredItems(form, card.answers);
  const v = new ViewBuilder().line(msg('review.pick_section'));
  form.sections.forEach((section, i) => {
    if (items.some((it) => it.sectionIndex === i)) v.action(content(section.title), 'review:section', card.id, card.revision, i).row();
  });
  return ok(v.build());
}

/** The answers of one section, each a button with its current value. */
export function reviewFields(deps: AppDeps, actor: Actor | undefined, cardId: number, revision: number, section: number): Result<ChatView, ReviewRefusal> {
  const r = supervisedCard(deps, actor, cardId, revision);
  if (!r.ok) return r;
  const { card } = r.value;
  const v = new ViewBuilder().line(msg('review.pick_field'));
  answeredItems(formOf(deps, card), card.answers).forEach((it, i) => {
    if (it.sectionIndex !== section) return;
    const label = content({ zh: cut(`${it.label.zh}：${it.display.zh}`, FIELD_BUTTON_CHARS), en: cut(`${it.label.en}: ${it.display.en}`, FIELD_BUTTON_CHARS) });
    v.action(label, 'review:field', card.id, card.revision, i).row();
  });
  return ok(v.build());
}

/** The picked answer (by its place among the card's answers), for the comment dialog. */
export function reviewField(deps: AppDeps, actor: Actor | undefined, cardId: number, revision: number, item: number): Result<ReviewTarget, ReviewRefusal> {
  const r = supervisedCard(deps, actor, cardId, revision);
  if (!r.ok) return r;
  const { card } = r.value;
  const it = answeredItems(formOf(deps, card), card.answers)[item];
  if (!it) return refuse('stale');
  return ok({ cardId: card.id, revision: card.revision, path: it.path, field: it.label, value: it.display });
}

/** The question the comment dialog asks. */
export function reviewQuestion(t: ReviewTarget): ChatView {
  return new ViewBuilder().line(msg('review.ask_comment', { field: content(t.field), value: content(t.value) })).build();
}

/**
 * Records the comment and tells the helper, with the action that reopens the field. The card must still be in the
 * supervisor's scope and at the revision the answer was picked from. The supervisor's confirmation says whether
 * the helper could be reached.
 */
export async function sendReview(
  deps: AppDeps,
  notifier: Notifier,
  actor: Actor | undefined,
  target: Pick<ReviewTarget, 'cardId' | 'revision' | 'path'>,
  commentText: string,
): Promise<Result<ChatView, ReviewRefusal | 'empty'>> {
  const r = supervisedCard(deps, actor, target.cardId, target.revision);
  if (!r.ok) return r;
  const { sup, card } = r.value;
  const comment = commentText.trim().slice(0, MAX_COMMENT);
  if (!comment) return refuse('empty');
  const { db, now } = deps;
  const review = createReview(
    db,
    { cardId: card.id, householdId: card.householdId, supervisorId: sup.personId, helperId: card.helperId, fieldPath: target.path, comment },
    now(),
  );
  const h = householdBrief(db, card.householdId)!;
  const field = content(pathLabel(formOf(deps, card), target.path));
  const unreachable = new ViewBuilder().line(msg('review.helper_unreachable', { code: h.code, head: h.headName })).build();
  const helper = chatOf(db, card.helperId);
  if (!helper) return ok(unreachable);
  const notice = new ViewBuilder()
    .line(msg('review.to_helper', { supervisor: sup.name, code: h.code, head: h.headName, date: card.visitDate, field, comment }))
    .action(msg('review.btn_fix'), 'review:open', review.id)
    .build();
  const sent = await notifier.send({ personId: card.helperId, address: helper.telegramId, locale: helper.locale }, notice);
  if (sent.status === 'refused') return ok(unreachable);
  return ok(new ViewBuilder().line(msg('review.sent', { helper: helper.name, code: h.code, head: h.headName, field })).build());
}

export type OpenedReview =
  /** the correction was submitted already */
  | { kind: 'done'; view: ChatView }
  /** the review's correction draft is open: go on with it */
  | { kind: 'resume'; draftId: number }
  /** a correction draft was opened at the reviewed answer: say why, then show it */
  | { kind: 'opened'; draftId: number; view: ChatView };

/** The helper's action on a review: a correction draft of the card with the cursor on the reviewed answer. */
export function openReviewedField(deps: AppDeps, actor: Actor | undefined, reviewId: number): Result<OpenedReview, 'not_yours'> {
  const { db, now } = deps;
  const review = reviewById(db, reviewId);
  if (!review || !actor || review.helperId !== actor.personId) return refuse('not_yours');
  const card = cardById(db, review.cardId);
  const household = card ? helperHousehold(db, actor.personId, card.householdId) : undefined;
  if (!card || !household) return refuse('not_yours');
  if (review.status === 'revised') return ok({ kind: 'done', view: new ViewBuilder().line(msg('review.already_done', { revision: review.revision ?? card.revision })).build() });
  const open = review.draftId ? draftById(db, review.draftId) : undefined;
  if (open?.status === 'open') return ok({ kind: 'resume', draftId: open.id });
  const form = formOf(deps, card);
  const base: CardState = lastSubmittedState(db, card) ?? stateFromAnswers(card, now());
  const jumped = jumpTo(form, base, review.fieldPath, engineContextFor(deps, household, actor.personId, card));
  const state = jumped.ok ? jumped.state : base;
  const draft = createDraft(
    db,
    { householdId: card.householdId, helperId: actor.personId, formId: card.formId, formVersion: card.formVersion, state, reviseCardId: card.id, reviseReason: review.comment },
    now(),
  );
  markReviewOpened(db, review.id, draft.id);
  const view = new ViewBuilder().line(msg('review.reopened', { field: content(pathLabel(form, review.fieldPath)), comment: review.comment })).build();
  return ok({ kind: 'opened', draftId: draft.id, view });
}

/**
 * After a correction draft is submitted: the review it answers (if any) is closed and the supervisor who asked is
 * told what the answer is now. Returns whom it told and how that went; undefined when there was nobody to tell.
 */
export async function closeReviewOnCorrection(
  deps: AppDeps,
  notifier: Notifier,
  actor: Actor | undefined,
  s: { draftId: number; revision: number },
): Promise<{ to: Recipient; outcome: SendOutcome } | undefined> {
  const { db, now } = deps;
  const review = closeReviewByDraft(db, s.draftId, s.revision, now());
  if (!review) return undefined;
  const sup = chatOf(db, review.supervisorId);
  const card = cardById(db, review.cardId);
  const h = householdBrief(db, review.householdId);
  if (!sup || !card || !h) return undefined;
  const form = formOf(deps, card);
  const item = answeredItems(form, card.answers).find((it) => it.path === review.fieldPath);
  const view = new ViewBuilder()
    .line(
      msg('review.revised_notice', {
        helper: actor?.name ?? '—', code: h.code, head: h.headName, revision: s.revision,
        field: content(pathLabel(form, review.fieldPath)), value: item ? content(item.display) : '—',
      }),
    )
    .action(msg('review.btn_view'), 'stats:household', review.householdId)
    .build();
  const to: Recipient = { personId: review.supervisorId, address: sup.telegramId, locale: sup.locale };
  return { to, outcome: await notifier.send(to, view) };
}
