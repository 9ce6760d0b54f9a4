/**
 * Every action a view can offer, named by what it does, with the arguments it carries. Channels encode them their own
 * way (Telegram: compact callback data, src/bot/actions.ts); a handler gets the same op and arguments back.
 */
export const ACTIONS = {
  /** a main-menu entry */
  menu: ['item'],
  lang: ['locale'],
  /** a step of a card: an operation code of the card engine's buttons, the draft, the draft's step, an argument */
  card: ['code', 'draft', 'step', 'arg?'],
  'visit:household': ['household'],
  'visit:start': ['household'],
  'visit:continue': ['draft'],
  'visit:correct': ['card'],
  /** a three-question check on the policies of this household, before the visit */
  'visit:policies': ['household'],
  'flags:page': ['page'],
  'flags:open': ['flag'],
  'flags:handle': ['flag'],
  'flags:card': ['card'],
  'review:card': ['card'],
  'review:section': ['card', 'revision', 'section'],
  'review:field': ['card', 'revision', 'item'],
  'review:open': ['review'],
  'stats:view': ['period', 'group', 'kind', 'id'],
  'stats:chart': ['period', 'group', 'kind', 'id'],
  'stats:household': ['household'],
  /** what the helpers of the reader's scope know of the requirements */
  'stats:know': [],
  'export:kind': ['kind'],
  receipt: ['card'],
  'quiz:topics': [],
  'quiz:levels': [],
  'quiz:topic': ['topic'],
  'quiz:level': ['level'],
  'quiz:weak': [],
  /** "我的应知应会": requirements known and not, per level */
  'quiz:known': [],
  /** practise the requirements not known yet */
  'quiz:gaps': [],
  'quiz:push': ['push'],
  'quiz:answer': ['attempt', 'position', 'option'],
  'quiz:submit': ['attempt', 'position'],
  /** publish or discard the questions of a trainer's file, previewed under this token */
  'quiz:import': ['token', 'what'],
  'push:new': [],
  /** a choice in the push wizard: the wizard's run, what is chosen, the value */
  'push:wizard': ['run', 'what', 'value'],
  'push:results': ['push'],
  /** load a province's or city's notice (paste or file) */
  'rules:new': [],
  /** a choice while loading a notice's clauses: the run, what is chosen, the value */
  'rules:step': ['run', 'what', 'value'],
} as const satisfies Record<string, readonly string[]>;

export type ActionOp = keyof typeof ACTIONS;
