/**
 * Where two XML documents differ, as a list of paths — the test oracle for "an edit changes
 * only its field". Both sides are canonicalised first (C14N), so only real differences count;
 * children are aligned by a longest common subsequence, so an inserted element shows up as one
 * addition rather than as every later sibling changing.
 */
import { canonicalize } from '../c14n';
import { ELEMENT_NODE, TEXT_NODE, elementChildren, parseXml, serializeXml, type Element, type Node } from '../dom';

export interface Change {
  /** /domain/devices/disk[1]/driver/@cache, /domain/memory/text(), /domain/devices/+interface … */
  path: string;
  /** Whitespace-only text that came or went (the indentation of an added or removed element). */
  whitespace: boolean;
}

export function treeDiff(before: string, after: string): Change[] {
  const a = parseXml(canonicalize(before)).documentElement!;
  const b = parseXml(canonicalize(after)).documentElement!;
  const out: Change[] = [];
  if (a.tagName !== b.tagName) return [{ path: '/', whitespace: false }];
  compare(a, b, `/${a.tagName}`, out);
  return out;
}

function nodes(el: Element): Node[] {
  const out: Node[] = [];
  for (let c = el.firstChild; c; c = c.nextSibling) out.push(c);
  return out;
}

const key = (n: Node) => (n.nodeType === ELEMENT_NODE ? `E:${n.nodeName}` : `${n.nodeType}:${n.nodeValue}`);
const isWs = (n: Node) => n.nodeType === TEXT_NODE && /^\s*$/.test(n.nodeValue ?? '');

function indexed(parent: Element, el: Element): string {
  return `${el.tagName}[${elementChildren(parent, el.tagName).indexOf(el)}]`;
}

function compare(a: Element, b: Element, path: string, out: Change[]): void {
  const names = new Set<string>();
  for (const el of [a, b]) for (let i = 0; i < el.attributes.length; i++) names.add(el.attributes.item(i)!.name);
  for (const n of [...names].sort()) if (a.getAttribute(n) !== b.getAttribute(n) || a.hasAttribute(n) !== b.hasAttribute(n)) out.push({ path: `${path}/@${n}`, whitespace: false });

  const na = nodes(a);
  const nb = nodes(b);
  // Leaf elements: one text comparison instead of node alignment.
  if (na.every((n) => n.nodeType !== ELEMENT_NODE) && nb.every((n) => n.nodeType !== ELEMENT_NODE)) {
    if (na.map(key).join('') !== nb.map(key).join('')) out.push({ path: `${path}/text()`, whitespace: false });
    return;
  }
  // Align on whole-subtree equality first; in the gaps between equal runs, same-tag elements
  // pair up in order (an edited element), and the rest are additions and removals.
  const ka = na.map(sig);
  const kb = nb.map(sig);
  const lcs: number[][] = Array.from({ length: ka.length + 1 }, () => new Array<number>(kb.length + 1).fill(0));
  for (let i = ka.length - 1; i >= 0; i--) for (let j = kb.length - 1; j >= 0; j--) lcs[i]![j] = ka[i] === kb[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const report = (n: Node, sign: '+' | '-', parent: Element) =>
    out.push({ path: `${path}/${sign}${n.nodeType === ELEMENT_NODE ? indexed(parent, n as Element) : key(n).slice(0, 40)}`, whitespace: isWs(n) });
  const gap = (ga: Node[], gb: Node[]) => {
    const ea = ga.filter((n) => n.nodeType === ELEMENT_NODE) as Element[];
    const eb = gb.filter((n) => n.nodeType === ELEMENT_NODE) as Element[];
    const paired = ea.length === eb.length && ea.every((e, k) => e.tagName === eb[k]!.tagName);
    if (paired) ea.forEach((e, k) => compare(e, eb[k]!, `${path}/${indexed(a, e)}`, out));
    for (const n of ga) if (!(paired && n.nodeType === ELEMENT_NODE)) report(n, '-', a);
    for (const n of gb) if (!(paired && n.nodeType === ELEMENT_NODE)) report(n, '+', b);
  };
  let i = 0;
  let j = 0;
  let ga: Node[] = [];
  let gb: Node[] = [];
  while (i < ka.length || j < kb.length) {
    if (i < ka.length && j < kb.length && ka[i] === kb[j]) {
      gap(ga, gb);
      ga = [];
      gb = [];
      i++;
      j++;
    } else if (j < kb.length && (i === ka.length || lcs[i]![j + 1]! >= lcs[i + 1]![j]!)) gb.push(nb[j++]!);
    else ga.push(na[i++]!);
  }
  gap(ga, gb);
}

/** A node's whole content, for alignment: equal signatures mean equal subtrees. */
function sig(n: Node): string {
  return n.nodeType === ELEMENT_NODE ? `E:${serializeXml(n)}` : key(n);
}

/** Changes other than indentation that came with an added or removed element. */
export function significant(changes: Change[]): string[] {
  return changes.filter((c) => !c.whitespace).map((c) => c.path);
}
