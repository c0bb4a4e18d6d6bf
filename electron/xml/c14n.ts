/**
 * Canonical XML 1.0 (https://www.w3.org/TR/xml-c14n, inclusive, whole documents) over an
 * xmldom Document: what "C14N-identical" means in the model's tests. Two documents are the same
 * to any XML consumer exactly when their canonical forms are equal — quote style, attribute
 * order, `<a/>` vs `<a></a>`, namespace re-declarations and the XML declaration do not count;
 * every character of content, whitespace included, does. Cross-checked against
 * `xmllint --c14n` (libxml2) on the whole corpus in c14n.test.ts.
 */
import { CDATA_NODE, COMMENT_NODE, ELEMENT_NODE, PI_NODE, TEXT_NODE, parseXml, type Document, type Element, type Node } from './dom';

export interface C14nOptions {
  /** Canonical XML "with comments" (xmllint --c14n's flavour); the default. */
  comments?: boolean;
}

const escText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#xD;');
const escAttr = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;').replace(/\t/g, '&#x9;').replace(/\n/g, '&#xA;').replace(/\r/g, '&#xD;');

export function canonicalize(input: string | Document, opts: C14nOptions = {}): string {
  const doc = typeof input === 'string' ? parseXml(input) : input;
  const comments = opts.comments ?? true;
  const out: string[] = [];
  let seenRoot = false;
  for (let n = doc.firstChild; n; n = n.nextSibling) {
    // Outside the root only the root, comments and PIs count (the XML declaration is not a PI):
    // a newline follows each node before the root and precedes each node after it.
    if (n.nodeType === ELEMENT_NODE) {
      element(n as Element, new Map(), out, comments);
      seenRoot = true;
    } else if ((n.nodeType === COMMENT_NODE && comments) || (n.nodeType === PI_NODE && n.nodeName !== 'xml')) {
      if (seenRoot) out.push('\n');
      leaf(n, out);
      if (!seenRoot) out.push('\n');
    }
  }
  return out.join('');
}

function leaf(n: Node, out: string[]): void {
  if (n.nodeType === COMMENT_NODE) out.push('<!--', n.nodeValue ?? '', '-->');
  else {
    const data = n.nodeValue ?? '';
    out.push('<?', n.nodeName, data ? ` ${data}` : '', '?>');
  }
}

/** `inScope`: prefix ('' for the default namespace) → URI as already rendered by the ancestors. */
function element(el: Element, inScope: ReadonlyMap<string, string>, out: string[], comments: boolean): void {
  const ns: [string, string][] = [];
  const attrs: { uri: string; local: string; name: string; value: string }[] = [];
  const scope = new Map(inScope);
  for (let i = 0; i < el.attributes.length; i++) {
    const a = el.attributes.item(i)!;
    if (a.name === 'xmlns' || a.name.startsWith('xmlns:')) {
      const prefix = a.name === 'xmlns' ? '' : a.name.slice(6);
      // A declaration is output only where it changes what is in scope (superfluous ones vanish);
      // xmlns="" only matters when a non-empty default namespace was in scope.
      const before = inScope.get(prefix) ?? '';
      if (before !== a.value) ns.push([prefix, a.value]);
      scope.set(prefix, a.value);
    } else {
      attrs.push({ uri: a.namespaceURI ?? '', local: a.localName ?? a.name, name: a.name, value: a.value });
    }
  }
  ns.sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
  attrs.sort((x, y) => (x.uri !== y.uri ? (x.uri < y.uri ? -1 : 1) : x.local < y.local ? -1 : x.local > y.local ? 1 : 0));
  out.push('<', el.tagName);
  for (const [prefix, uri] of ns) out.push(prefix ? ` xmlns:${prefix}="` : ' xmlns="', escAttr(uri), '"');
  for (const a of attrs) out.push(' ', a.name, '="', escAttr(a.value), '"');
  out.push('>');
  for (let c = el.firstChild; c; c = c.nextSibling) {
    switch (c.nodeType) {
      case ELEMENT_NODE:
        element(c as Element, scope, out, comments);
        break;
      case TEXT_NODE:
      case CDATA_NODE:
        out.push(escText(c.nodeValue ?? ''));
        break;
      case COMMENT_NODE:
        if (comments) leaf(c, out);
        break;
      case PI_NODE:
        leaf(c, out);
        break;
    }
  }
  out.push('</', el.tagName, '>');
}
