import { createHash } from 'node:crypto';

/** The first revision of every card points at this. */
export const GENESIS_HASH = '0'.repeat(64);

export interface RevisionContent {
  cardId: number;
  revision: number;
  answers: string;
  changes: string;
  reason: string | null;
  authorId: number;
  createdAt: number;
  prevHash: string;
}

/**
 * sha256 over every stored column of a revision plus the previous revision's hash, so editing, deleting
 * or reordering a row behind the bot's back breaks the chain from that row on.
 */
export function revisionHash(r: RevisionContent): string {
  const canonical = JSON.stringify([r.cardId, r.revision, r.answers, r.changes, r.reason, r.authorId, r.createdAt, r.prevHash]);
  return createHash('sha256').update(canonical).digest('hex');
}
