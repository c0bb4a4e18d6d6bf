/**
 * The one XML layer of the backend (domain, pool, volume, network, interface and node-device
 * XML, and XML the user edits). Parsing with @xmldom/xmldom (a pure-JS W3C DOM that
 * keeps every node — comments, processing instructions, CDATA, namespaces, whitespace), a
 * serialiser in libvirt's own style, and the few tree edits the model needs. Nothing here knows
 * about libvirt's elements; domain-xml.ts and devices-*.ts do.
 */
import { DOMParser, onErrorStopParsing, type Document, type Element, type Node } from '@xmldom/xmldom';

export type { Document, Element, Node };

export const ELEMENT_NODE = 1;
export const TEXT_NODE = 3;
export const CDATA_NODE = 4;
export const PI_NODE = 7;
export const COMMENT_NODE = 8;
export const DOCUMENT_NODE = 9;

/** Not well-formed XML, with the 1-based line (and column) where the parser gave up. */
export class XmlSyntaxError extends Error {
  constructor(
    message: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(message);
    this.name = 'XmlSyntaxError';
  }
}

/** Parses XML; any error (not only fatal ones) is refused, because libvirt's libxml2 would refuse it too. */
export function parseXml(xml: string): Document {
  try {
    // onErrorStopParsing is the handler itself (it reads the level xmldom passes): called from a
    // wrapper without arguments it stopped nothing, and an unknown entity (an 'error', not a
    // 'fatalError') was silently kept as text. Warnings are let through.
    const doc = new DOMParser({ onError: onErrorStopParsing }).parseFromString(xml, 'application/xml');
    if (!doc.documentElement) throw new XmlSyntaxError('the document has no root element', 1, 1);
    return doc;
  } catch (e) {
    if (e instanceof XmlSyntaxError) throw e;
    const err = e as Error & { locator?: { lineNumber?: number; columnNumber?: number } };
    // xmldom appends "\n@#[line:…,col:…]" to its messages; the locator carries the same numbers.
    const message = err.message
      .replace(/\s*@#\[line:\d+,col:\d+\]\s*$/, '')
      .replace(/^\[xmldom [^\]]*\]\s*/, '')
      .replace(/^Reporting error "([\s\S]*)" caused onErrorStopParsing$/, '$1')
      .trim();
    throw new XmlSyntaxError(message || 'not well-formed XML', err.locator?.lineNumber, err.locator?.columnNumber);
  }
}

const escapeText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');
// Tabs and newlines in attribute values are written as references: a literal one would be turned
// into a space by the next parser (attribute-value normalisation), silently changing the value.
const escapeAttr = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/'/g, '&apos;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;');

/** Escapes text for element content or a quoted attribute value (either quote), for XML built as text. */
export function xmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/**
 * Serialises in libvirt's style (`virsh dumpxml`): single-quoted attributes in document order and
 * `<empty/>` elements, so a document libvirt wrote comes back byte-identical when unedited, and an
 * edit shows up as a one-line change.
 */
export function serializeXml(node: Document | Node): string {
  const out: string[] = [];
  write(node as Node, out);
  return out.join('');
}

function write(node: Node, out: string[]): void {
  switch (node.nodeType) {
    case DOCUMENT_NODE:
      for (let c = node.firstChild; c; c = c.nextSibling) write(c, out);
      return;
    case ELEMENT_NODE: {
      const el = node as Element;
      out.push('<', el.tagName);
      for (let i = 0; i < el.attributes.length; i++) {
        const a = el.attributes.item(i)!;
        out.push(' ', a.name, "='", escapeAttr(a.value), "'");
      }
      if (!el.firstChild) {
        out.push('/>');
        return;
      }
      out.push('>');
      for (let c: Node | null = el.firstChild; c; c = c.nextSibling) write(c, out);
      out.push('</', el.tagName, '>');
      return;
    }
    case TEXT_NODE:
      out.push(escapeText(node.nodeValue ?? ''));
      return;
    case CDATA_NODE:
      out.push('<![CDATA[', node.nodeValue ?? '', ']]>');
      return;
    case COMMENT_NODE:
      out.push('<!--', node.nodeValue ?? '', '-->');
      return;
    case PI_NODE: {
      const data = node.nodeValue ?? '';
      out.push('<?', node.nodeName, data ? ` ${data}` : '', '?>');
      return;
    }
    default:
      return; // doctype and entity nodes: libvirt XML has none
  }
}

/** The document a node belongs to (xmldom types it nullable, but only documents lack one). */
export function docOf(n: Node): Document {
  const d = n.ownerDocument;
  if (!d) throw new Error('node is not part of a document');
  return d;
}

// ---- navigation --------------------------------------------------------------------------

export function elementChildren(parent: Node | undefined, tag?: string): Element[] {
  const out: Element[] = [];
  if (!parent) return out;
  for (let c = parent.firstChild; c; c = c.nextSibling) if (c.nodeType === ELEMENT_NODE && (tag === undefined || c.nodeName === tag)) out.push(c as Element);
  return out;
}

export function child(parent: Node | undefined, tag: string): Element | undefined {
  if (!parent) return undefined;
  for (let c = parent.firstChild; c; c = c.nextSibling) if (c.nodeType === ELEMENT_NODE && c.nodeName === tag) return c as Element;
  return undefined;
}

/** `path(root, 'os/type')`: the first match of each step. */
export function path(parent: Node | undefined, p: string): Element | undefined {
  let cur = parent;
  for (const step of p.split('/')) cur = child(cur, step);
  return cur as Element | undefined;
}

/**
 * Text of the element at `p` (as for path()), exactly as written: libvirt indents only elements
 * that have children, so a name or path keeps its own leading/trailing blanks. null when absent.
 */
export function textAt(parent: Node | undefined, p: string): string | null {
  return text(path(parent, p)) ?? null;
}

export function attr(el: Element | undefined, name: string): string | undefined {
  return el?.hasAttribute(name) ? el.getAttribute(name)! : undefined;
}

/** The text content of an element (CDATA included); undefined when there is no element. */
export function text(el: Element | undefined): string | undefined {
  if (!el) return undefined;
  let s = '';
  for (let c = el.firstChild; c; c = c.nextSibling) if (c.nodeType === TEXT_NODE || c.nodeType === CDATA_NODE) s += c.nodeValue ?? '';
  return s;
}

export function intAttr(el: Element | undefined, name: string): number | undefined {
  const v = attr(el, name);
  if (v === undefined || v.trim() === '') return undefined;
  const n = Number(v.trim());
  return Number.isFinite(n) ? n : undefined;
}

export function yesNo(el: Element | undefined, name: string): boolean | undefined {
  const v = attr(el, name);
  return v === undefined ? undefined : v === 'yes' || v === 'on';
}

// ---- edits (each keeps everything it does not touch) ---------------------------------------

/** Sets or (with undefined) removes one attribute; a no-op when the value is already that. */
export function setAttr(el: Element, name: string, value: string | number | boolean | undefined): void {
  if (value === undefined) {
    if (el.hasAttribute(name)) el.removeAttribute(name);
    return;
  }
  const v = typeof value === 'boolean' ? (value ? 'yes' : 'no') : String(value);
  if (el.getAttribute(name) !== v) el.setAttribute(name, v);
}

/** Replaces an element's text (its only content); a no-op when the text is already that. */
export function setText(el: Element, value: string): void {
  if (text(el) === value && elementChildren(el).length === 0) return;
  while (el.firstChild) el.removeChild(el.firstChild);
  if (value !== '') el.appendChild(docOf(el).createTextNode(value));
}

function isBlank(n: Node | null | undefined): boolean {
  return !!n && n.nodeType === TEXT_NODE && /^\s*$/.test(n.nodeValue ?? '');
}

/** The whitespace libvirt puts before `el`'s start tag on its line ("\n    "), or a guess. */
function indentOf(el: Node): string {
  const prev = el.previousSibling;
  if (isBlank(prev)) {
    const ws = prev!.nodeValue!;
    const nl = ws.lastIndexOf('\n');
    return nl >= 0 ? ws.slice(nl) : '\n' + ws;
  }
  return el.parentNode && el.parentNode.nodeType === DOCUMENT_NODE ? '\n' : '\n  ';
}

/**
 * Inserts `el` as a child of `parent`, indented like its siblings. `order` lists tag names in
 * libvirt's own output order: the new element goes before the first sibling that comes later,
 * else at the end. The element and the one whitespace node before it are the only new nodes,
 * so removing both restores the document exactly.
 */
export function insertChild(parent: Element, el: Element, order: readonly string[] = []): Element {
  const doc = docOf(parent);
  const siblings = elementChildren(parent);
  const rank = order.indexOf(el.tagName);
  const before = rank < 0 ? undefined : siblings.find((s) => {
    const r = order.indexOf(s.tagName);
    return r > rank;
  });
  if (siblings.length === 0 && !parent.firstChild) {
    // <features/> → <features>\n    <acpi/>\n  </features>
    const outer = indentOf(parent);
    parent.appendChild(doc.createTextNode(outer + '  '));
    parent.appendChild(el);
    parent.appendChild(doc.createTextNode(outer));
    return el;
  }
  const indent = siblings.length > 0 ? indentOf(siblings[0]!) : indentOf(parent) + '  ';
  if (before) {
    // Put [indent, el] right before the whitespace that precedes `before`.
    const anchor = isBlank(before.previousSibling) ? before.previousSibling! : before;
    parent.insertBefore(doc.createTextNode(indent), anchor);
    parent.insertBefore(el, anchor);
    return el;
  }
  const last = parent.lastChild;
  const anchor = isBlank(last) ? last : null;
  parent.insertBefore(doc.createTextNode(indent), anchor);
  parent.insertBefore(el, anchor);
  return el;
}

/** Removes an element with the whitespace that indented it; an emptied parent becomes `<x/>` again. */
export function removeElement(el: Element): void {
  const parent = el.parentNode;
  if (!parent) return;
  if (isBlank(el.previousSibling)) parent.removeChild(el.previousSibling!);
  parent.removeChild(el);
  if (parent.childNodes.length === 1 && isBlank(parent.firstChild)) parent.removeChild(parent.firstChild!);
}

/** The first `tag` child of `parent`, created (in libvirt's order) when missing. */
export function ensureChild(parent: Element, tag: string, order: readonly string[] = []): Element {
  return child(parent, tag) ?? insertChild(parent, docOf(parent).createElement(tag), order);
}

/** Removes every `tag` child of `parent`. */
export function removeChildren(parent: Element | undefined, tag: string): void {
  if (!parent) return;
  for (const c of elementChildren(parent, tag)) removeElement(c);
}

/** Sets the text of a `tag` child, creating it when missing; undefined removes the child. */
export function setChildText(parent: Element, tag: string, value: string | undefined, order: readonly string[] = []): void {
  if (value === undefined) return removeChildren(parent, tag);
  setText(ensureChild(parent, tag, order), value);
}

/** Parses an XML fragment (one element) for insertion into `doc`. */
export function importFragment(doc: Document, xml: string): Element {
  const frag = parseXml(xml).documentElement!;
  return doc.importNode(frag, true) as Element;
}

/** A new element: `h(doc, 'source', {file: '/x.img'}, [h(doc, 'address', …)])`; undefined attributes are left out. */
export function h(doc: Document, tag: string, attrs: Record<string, string | number | boolean | undefined> = {}, children: (Element | string)[] = []): Element {
  const el = doc.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) setAttr(el, k, v);
  for (const c of children) el.appendChild(typeof c === 'string' ? doc.createTextNode(c) : c);
  return el;
}

/**
 * Indents a newly built subtree (no whitespace nodes yet) the way libvirt would, after it was
 * inserted with insertChild: one element per line, two spaces per level.
 */
export function prettify(el: Element): Element {
  const own = indentOf(el);
  const walk = (e: Element, indent: string) => {
    const kids = elementChildren(e);
    if (kids.length === 0) return;
    for (const k of kids) {
      e.insertBefore(docOf(e).createTextNode(indent + '  '), k);
      walk(k, indent + '  ');
    }
    e.appendChild(docOf(e).createTextNode(indent));
  };
  walk(el, own);
  return el;
}
