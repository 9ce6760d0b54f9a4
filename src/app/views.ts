/**
 * Channel-neutral chat views: what a use case says and offers, as translation keys with parameters, content texts
 * and actions `{ op, args }`, like the events a flow engine returns. A channel adapter turns a view into its own
 * message: Telegram into text and inline buttons (src/bot/render/view.ts); a WeCom or DingTalk adapter would do the
 * same with its own cards. Nothing here knows how a button is encoded or how long a message may be.
 */
import type { I18nKey, Translate } from '../core/i18n-keys.js';
import { pickText, type Locale, type Text } from '../core/text.js';
import type { ActionOp } from './actions.js';

/**
 * A piece of text: a translation key with parameters (whose parameters may be pieces too), a bilingual content text,
 * text shown as it is (a name, a code, a date), or pieces joined.
 */
export type Piece =
  | { key: I18nKey; params?: Record<string, string | number | Piece> }
  | { text: Text }
  | { raw: string }
  | { join: Piece[]; sep?: string };

/** Something the user can do: an operation with its arguments, shown with a label. */
export interface Action {
  op: ActionOp;
  args: (string | number)[];
  label: Piece;
}

/** One message's worth of content. */
export interface ChatView {
  /** blocks of lines: lines of a block are joined by a line break, blocks by a blank line */
  blocks: Piece[][];
  /** rows of actions */
  actions: Action[][];
  /** the channel's own "share my location" control, with a few actions beside it (Telegram: a reply keyboard) */
  askLocation?: { label: Piece; beside: Action[] };
}

export const msg = (key: I18nKey, params?: Record<string, string | number | Piece>): Piece => (params ? { key, params } : { key });
export const content = (text: Text): Piece => ({ text });
export const raw = (s: string): Piece => ({ raw: s });
export const join = (parts: Piece[], sep = ''): Piece => ({ join: parts, sep });

/** Builds a view block by block and row by row. */
export class ViewBuilder {
  private readonly blocks: Piece[][] = [[]];
  private readonly rows: Action[][] = [[]];
  private location?: ChatView['askLocation'];

  /** Adds a line to the current block. */
  line(p: Piece | undefined): this {
    if (p) this.blocks[this.blocks.length - 1].push(p);
    return this;
  }

  /** Starts a new block (a blank line before what follows). */
  block(): this {
    if (this.blocks[this.blocks.length - 1].length) this.blocks.push([]);
    return this;
  }

  /** Adds an action to the current row. */
  action(label: Piece, op: ActionOp, ...args: (string | number)[]): this {
    this.rows[this.rows.length - 1].push({ op, args, label });
    return this;
  }

  /** Ends the current row of actions. */
  row(): this {
    if (this.rows[this.rows.length - 1].length) this.rows.push([]);
    return this;
  }

  askLocation(label: Piece, beside: Action[]): this {
    this.location = { label, beside };
    return this;
  }

  build(): ChatView {
    const view: ChatView = { blocks: this.blocks.filter((b) => b.length), actions: this.rows.filter((r) => r.length) };
    if (this.location) view.askLocation = this.location;
    return view;
  }
}

/** The actions of a view, flat (for a channel that lists them, and for tests). */
export function actionsOf(view: ChatView): Action[] {
  return view.actions.flat();
}

/**
 * A generous estimate of a piece's length once rendered (the longer language; a translated sentence counted as 60),
 * for packing long content into pages before the channel splits anything.
 */
function estimateChars(p: Piece): number {
  if ('raw' in p) return p.raw.length;
  if ('text' in p) return Math.max(p.text.zh.length, p.text.en.length);
  if ('join' in p) return p.join.reduce((n, x) => n + estimateChars(x), 0) + (p.sep?.length ?? 0) * Math.max(0, p.join.length - 1);
  return 60 + Object.values(p.params ?? {}).reduce<number>((n, v) => n + (typeof v === 'object' ? estimateChars(v) : String(v).length), 0);
}

/** Blocks of lines packed into pages of at most `maxChars` (estimated); a block longer than a page gets its own. */
export function packBlocks(blocks: Piece[][], maxChars: number): Piece[][][] {
  const pages: Piece[][][] = [];
  let page: Piece[][] = [];
  let size = 0;
  for (const b of blocks) {
    const n = b.reduce((sum, l) => sum + estimateChars(l) + 1, 2);
    if (page.length && size + n > maxChars) {
      pages.push(page);
      page = [];
      size = 0;
    }
    page.push(b);
    size += n;
  }
  if (page.length) pages.push(page);
  return pages;
}

/** A piece as plain text in a locale (every channel shows text somewhere; tests read views this way too). */
export function pieceText(p: Piece, t: Translate, locale: Locale): string {
  if ('raw' in p) return p.raw;
  if ('text' in p) return pickText(p.text, locale);
  if ('join' in p) return p.join.map((x) => pieceText(x, t, locale)).join(p.sep ?? '');
  if (!p.params) return t(p.key);
  const params: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(p.params)) params[k] = typeof v === 'object' ? pieceText(v, t, locale) : v;
  return t(p.key, params);
}

/** A view's text: lines of a block joined by a line break, blocks by a blank line. */
export function viewText(view: ChatView, t: Translate, locale: Locale): string[] {
  return view.blocks.map((b) => b.map((p) => pieceText(p, t, locale)).join('\n'));
}
