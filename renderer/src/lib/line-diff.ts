/**
 * The line diff every safe XML editor (domains, pools, networks) shows before applying: Myers' O(ND) algorithm (edits are usually a
 * few lines in a few hundred, so D is small), grouped into hunks with context like `diff -u`.
 */
export type DiffOp = { kind: 'same' | 'del' | 'add'; text: string; oldLine?: number; newLine?: number };
export interface Hunk {
  oldStart: number;
  newStart: number;
  lines: DiffOp[];
}

const splitLines = (s: string) => (s === '' ? [] : s.replace(/\n$/, '').split('\n'));

/** Above this many trace cells (D × (N+M)) the middle is shown as all replaced: a review of a
 * rewritten file needs no minimal diff, and the browser must not allocate hundreds of MB. */
const MAX_TRACE_CELLS = 8_000_000;

/** Every line of both texts, in order, each marked same/del/add. */
export function diffLines(before: string, after: string): DiffOp[] {
  const a = splitLines(before);
  const b = splitLines(after);
  // Common head and tail first: edits are usually small, which keeps Myers' trace tiny.
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const same = (i: number, j: number): DiffOp => ({ kind: 'same', text: a[i]!, oldLine: i + 1, newLine: j + 1 });
  const out: DiffOp[] = [];
  for (let i = 0; i < head; i++) out.push(same(i, i));
  const mid = myers(a.slice(head, a.length - tail), b.slice(head, b.length - tail));
  for (const op of mid) {
    out.push({
      kind: op.kind,
      text: op.text,
      ...(op.oldLine !== undefined ? { oldLine: op.oldLine + head } : {}),
      ...(op.newLine !== undefined ? { newLine: op.newLine + head } : {}),
    });
  }
  for (let k = tail; k > 0; k--) out.push(same(a.length - k, b.length - k));
  return out;
}

function myers(a: string[], b: string[]): DiffOp[] {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const v = new Int32Array(2 * max + 2);
  const trace: Int32Array[] = [];
  let done = max === 0;
  for (let d = 0; d <= max && !done; d++) {
    if ((d + 1) * v.length > MAX_TRACE_CELLS) return replaceAll(a, b);
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[max + k - 1]! < v[max + k + 1]!) ? v[max + k + 1]! : v[max + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[max + k] = x;
      if (x >= n && y >= m) {
        done = true;
        break;
      }
    }
  }
  // Walk the trace back from the end to recover the edit script.
  const ops: DiffOp[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0; d--) {
    const vd = trace[d]!;
    const k = x - y;
    const prevK = k === -d || (k !== d && vd[max + k - 1]! < vd[max + k + 1]!) ? k + 1 : k - 1;
    const prevX = vd[max + prevK]!;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) ops.push({ kind: 'same', text: a[--x]!, oldLine: x + 1, newLine: (--y) + 1 });
    if (d > 0) {
      if (x === prevX) ops.push({ kind: 'add', text: b[--y]!, newLine: y + 1 });
      else ops.push({ kind: 'del', text: a[--x]!, oldLine: x + 1 });
    }
  }
  return ops.reverse();
}

function replaceAll(a: string[], b: string[]): DiffOp[] {
  return [...a.map((text, i): DiffOp => ({ kind: 'del', text, oldLine: i + 1 })), ...b.map((text, j): DiffOp => ({ kind: 'add', text, newLine: j + 1 }))];
}

export const hasChanges = (ops: readonly DiffOp[]) => ops.some((o) => o.kind !== 'same');

/** Changed lines with `context` unchanged lines around them; nearby changes share a hunk. */
export function hunks(ops: readonly DiffOp[], context = 3): Hunk[] {
  const out: Hunk[] = [];
  const changed = ops.map((o, i) => (o.kind === 'same' ? -1 : i)).filter((i) => i >= 0);
  let i = 0;
  while (i < changed.length) {
    const start = Math.max(0, changed[i]! - context);
    let end = Math.min(ops.length, changed[i]! + context + 1);
    while (i + 1 < changed.length && changed[i + 1]! - context <= end) end = Math.min(ops.length, changed[++i]! + context + 1);
    i++;
    const lines = ops.slice(start, end);
    const first = ops.slice(0, start);
    out.push({
      oldStart: first.filter((o) => o.kind !== 'add').length + 1,
      newStart: first.filter((o) => o.kind !== 'del').length + 1,
      lines,
    });
  }
  return out;
}
