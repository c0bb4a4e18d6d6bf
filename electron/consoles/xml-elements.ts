/**
 * Just enough XML for libvirt's domain documents: find elements by name with their attributes
 * and exact source span, so an edit replaces one element's text and leaves every other byte of
 * the document (unknown elements, metadata, formatting) exactly as libvirt wrote it.
 * libvirt emits well-formed XML with escaped text, so a tag scanner is sufficient here.
 */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  /** Offsets of the whole element (start tag through end tag) in the source. */
  start: number;
  end: number;
  children: XmlElement[];
}

const TOKEN =
  /<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<!\[CDATA\[[\s\S]*?\]\]>|<!DOCTYPE[^>]*>|<(\/?)([A-Za-z_][\w:.-]*)((?:\s+[^\s=/>]+\s*=\s*(?:'[^']*'|"[^"]*"))*)\s*(\/?)>/g;
const ATTR = /([^\s=/>]+)\s*=\s*(?:'([^']*)'|"([^"]*)")/g;

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
export function unescapeXml(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);/g, (whole, e: string) => {
    if (e.startsWith('#x')) return String.fromCodePoint(parseInt(e.slice(2), 16));
    if (e.startsWith('#')) return String.fromCodePoint(parseInt(e.slice(1), 10));
    return ENTITIES[e] ?? whole;
  });
}

export function escapeAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/'/g, '&apos;').replace(/"/g, '&quot;');
}

/** Parses the element tree; throws on mismatched tags (not the XML we expect from virsh). */
export function parseXml(xml: string): XmlElement {
  const root: XmlElement = { name: '#document', attrs: {}, start: 0, end: xml.length, children: [] };
  const stack: XmlElement[] = [root];
  for (const m of xml.matchAll(TOKEN)) {
    const [whole, closing, name, attrText, selfClosing] = m;
    if (name === undefined) continue; // comment, PI, CDATA, doctype
    const at = m.index;
    const top = stack[stack.length - 1]!;
    if (closing) {
      if (top.name !== name) throw new Error(`malformed XML: </${name}> closes <${top.name}> at offset ${at}`);
      top.end = at + whole.length;
      stack.pop();
      continue;
    }
    const attrs: Record<string, string> = {};
    for (const a of (attrText ?? '').matchAll(ATTR)) attrs[a[1]!] = unescapeXml(a[2] ?? a[3] ?? '');
    const el: XmlElement = { name, attrs, start: at, end: at + whole.length, children: [] };
    top.children.push(el);
    if (!selfClosing) stack.push(el);
  }
  if (stack.length !== 1) throw new Error(`malformed XML: <${stack[stack.length - 1]!.name}> is never closed`);
  return root;
}

export function child(el: XmlElement | undefined, name: string): XmlElement | undefined {
  return el?.children.find((c) => c.name === name);
}

export function children(el: XmlElement | undefined, name: string): XmlElement[] {
  return el?.children.filter((c) => c.name === name) ?? [];
}

/** Replaces (or with '' removes) spans of the source; spans must not overlap. */
export function spliceAll(xml: string, edits: ReadonlyArray<{ start: number; end: number; text: string }>): string {
  let out = xml;
  for (const e of [...edits].sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}
