/**
 * Telegram takes at most 4096 characters a message. Long views are built as blocks (a section, a list) and packed
 * into messages below that, a block cut at line ends only when it alone is too long.
 */
const MAX_MESSAGE_CHARS = 3800;

/** Packs blocks into as few messages as fit, blank lines between blocks. */
export function splitMessage(blocks: string[], max = MAX_MESSAGE_CHARS): string[] {
  const messages: string[] = [];
  let cur = '';
  for (const b of blocks.flatMap((x) => splitLongBlock(x, max))) {
    if (cur && cur.length + b.length + 2 > max) {
      messages.push(cur);
      cur = '';
    }
    cur = cur ? `${cur}\n\n${b}` : b;
  }
  if (cur) messages.push(cur);
  return messages;
}

/** A block longer than one message is cut at line ends, a very long line anywhere. */
function splitLongBlock(block: string, max: number): string[] {
  if (block.length <= max) return [block];
  const out: string[] = [];
  let cur = '';
  for (const line of block.split('\n')) {
    for (let i = 0; i < line.length || i === 0; i += max) {
      const piece = line.slice(i, i + max);
      if (cur && cur.length + piece.length + 1 > max) {
        out.push(cur);
        cur = '';
      }
      cur = cur ? `${cur}\n${piece}` : piece;
    }
  }
  if (cur) out.push(cur);
  return out;
}
