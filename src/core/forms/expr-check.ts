/** Static checks of expression trees: known operators, argument shapes, field references in scope. */
import { OPERATORS } from './expr.js';

/** What names an expression may refer to. */
export interface RefScope {
  top: Set<string>;
  /** repeat id → its sub-field ids */
  subs: Map<string, Set<string>>;
  /** the repeat whose item the expression is evaluated in, if any */
  repeat?: string;
  /** whether `{ self: true }` makes sense here (constraints) */
  allowSelf: boolean;
}

/** Returns problems with an expression (empty when fine). */
export function checkExpr(e: unknown, scope: RefScope): string[] {
  const out: string[] = [];
  walk(e, scope, out);
  return out;
}

function walk(e: unknown, scope: RefScope, out: string[]): void {
  if (e === null || ['string', 'number', 'boolean'].includes(typeof e)) return;
  if (Array.isArray(e)) {
    e.forEach((x) => walk(x, scope, out));
    return;
  }
  if (typeof e !== 'object') {
    out.push(`not an expression: ${String(e)}`);
    return;
  }
  const keys = Object.keys(e as object);
  if (keys.length !== 1) {
    out.push(`an expression must have exactly one operator, got {${keys.join(', ')}}`);
    return;
  }
  const op = keys[0];
  const arg = (e as Record<string, unknown>)[op];
  const shape = OPERATORS[op];
  if (!shape) {
    out.push(`unknown operator "${op}"`);
    return;
  }
  const listOf = (n?: number) => {
    if (!Array.isArray(arg) || (n !== undefined && arg.length !== n) || arg.length === 0) {
      out.push(`"${op}" needs a list${n ? ` of ${n}` : ''}`);
      return;
    }
    arg.forEach((a) => walk(a, scope, out));
  };
  switch (shape) {
    case 'ref': {
      if (typeof arg !== 'string') out.push(`"${op}" needs a field id`);
      else if (op === 'previous_item' ? !scope.repeat || !scope.subs.get(scope.repeat)?.has(arg) : op === 'previous' ? !scope.top.has(arg) : !resolves(arg, scope)) {
        out.push(`unknown field "${arg}"${scope.repeat ? ` (in repeat ${scope.repeat})` : ''}`);
      }
      return;
    }
    case 'setting':
      if (typeof arg !== 'string' || !/^[a-z_][a-z0-9_.]*$/.test(arg)) out.push(`"${op}" needs a name`);
      return;
    case 'any':
      if (op === 'self' && !scope.allowSelf) out.push('"self" is only allowed in a constraint');
      return;
    case 'one': return walk(arg, scope, out);
    case 'list': return listOf();
    case 'pair': return listOf(2);
    case 'triple': return listOf(3);
    case 'repeat': {
      const a = arg as Record<string, unknown> | null;
      if (!a || typeof a !== 'object' || typeof a.repeat !== 'string' || !scope.subs.has(a.repeat)) {
        out.push(`"${op}" needs { repeat: <a repeat field id> }`);
        return;
      }
      const inner: RefScope = { ...scope, repeat: a.repeat };
      if (a.where !== undefined) walk(a.where, inner, out);
      if ((op === 'sum_over' || op === 'first') && a.value === undefined) out.push(`"${op}" needs a value expression`);
      if (a.value !== undefined) walk(a.value, inner, out);
      const extra = Object.keys(a).filter((k) => !['repeat', 'where', 'value'].includes(k));
      if (extra.length) out.push(`"${op}" has unknown keys: ${extra.join(', ')}`);
      return;
    }
  }
}

function resolves(id: string, scope: RefScope): boolean {
  if (scope.repeat && scope.subs.get(scope.repeat)?.has(id)) return true;
  return scope.top.has(id);
}

/** Field ids an expression reads with `{ field }` (for calculate cycle detection). */
export function fieldRefs(e: unknown, acc: Set<string> = new Set()): Set<string> {
  if (Array.isArray(e)) e.forEach((x) => fieldRefs(x, acc));
  else if (e && typeof e === 'object') {
    for (const [k, v] of Object.entries(e)) {
      if (k === 'field' && typeof v === 'string') acc.add(v);
      else fieldRefs(v, acc);
    }
  }
  return acc;
}
