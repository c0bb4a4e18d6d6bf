/**
 * A small, strict reader for the XML libvirt prints (`pool-dumpxml`, `vol-dumpxml`,
 * `net-dumpxml`, `iface-dumpxml`): elements, attributes, text, comments, CDATA, the five
 * predefined entities and character references. No DTDs, no namespaces beyond keeping the
 * prefixed name. It is also used to check that edited XML is well-formed before it is sent.
 */

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  /** Concatenated text directly inside this element (not of its children). */
  text: string;
}

export class XmlSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`${message} (line ${line}, column ${column})`);
  }
}

const NAME = /[A-Za-z_:][\w.:\-\u00B7-\uFFFF]*/y;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Parses one document; throws XmlSyntaxError with a position for anything malformed. */
export function parseXml(src: string): XmlElement {
  let i = 0;
  const fail = (msg: string, at = i): never => {
    const before = src.slice(0, at).split('\n');
    throw new XmlSyntaxError(msg, before.length, before[before.length - 1]!.length + 1);
  };
  const decode = (raw: string, at: number): string =>
    raw.replace(/&(#x[0-9A-Fa-f]+|#\d+|\w+);|&/g, (whole, ref: string | undefined) => {
      if (ref === undefined) fail('a bare "&" must be written &amp;', at);
      if (ref!.startsWith('#')) {
        const code = ref!.startsWith('#x') ? parseInt(ref!.slice(2), 16) : parseInt(ref!.slice(1), 10);
        if (!(code > 0 && code <= 0x10ffff)) fail(`invalid character reference ${whole}`, at);
        return String.fromCodePoint(code);
      }
      const e = ENTITIES[ref!];
      if (e === undefined) fail(`unknown entity ${whole}`, at);
      return e!;
    });
  const skipMisc = () => {
    for (;;) {
      while (/\s/.test(src[i] ?? '')) i++;
      if (src.startsWith('<?', i)) {
        const end = src.indexOf('?>', i);
        if (end < 0) fail('unterminated processing instruction');
        i = end + 2;
      } else if (src.startsWith('<!--', i)) {
        const end = src.indexOf('-->', i);
        if (end < 0) fail('unterminated comment');
        i = end + 3;
      } else if (src.startsWith('<!DOCTYPE', i)) {
        fail('DOCTYPE is not accepted');
      } else return;
    }
  };
  const readName = (): string => {
    NAME.lastIndex = i;
    const m = NAME.exec(src);
    if (!m) fail('expected a name');
    i += m![0].length;
    return m![0];
  };
  const element = (): XmlElement => {
    if (src[i] !== '<') fail('expected "<"');
    i++;
    const el: XmlElement = { name: readName(), attrs: {}, children: [], text: '' };
    for (;;) {
      const ws = /\s/.test(src[i] ?? '');
      while (/\s/.test(src[i] ?? '')) i++;
      if (src.startsWith('/>', i)) {
        i += 2;
        return el;
      }
      if (src[i] === '>') {
        i++;
        break;
      }
      if (!ws) fail('expected a space, ">" or "/>"');
      const at = i;
      const attr = readName();
      while (/\s/.test(src[i] ?? '')) i++;
      if (src[i] !== '=') fail(`expected "=" after ${attr}`);
      i++;
      while (/\s/.test(src[i] ?? '')) i++;
      const q = src[i];
      if (q !== '"' && q !== "'") fail('expected a quoted attribute value');
      const end = src.indexOf(q!, i + 1);
      if (end < 0) fail('unterminated attribute value');
      const raw = src.slice(i + 1, end);
      if (raw.includes('<')) fail('"<" inside an attribute value', i + 1);
      if (Object.hasOwn(el.attrs, attr)) fail(`attribute ${attr} repeated`, at);
      el.attrs[attr] = decode(raw, i + 1);
      i = end + 1;
    }
    for (;;) {
      if (i >= src.length) fail(`element <${el.name}> is not closed`);
      if (src.startsWith('</', i)) {
        i += 2;
        const closing = readName();
        if (closing !== el.name) fail(`</${closing}> closes <${el.name}>`);
        while (/\s/.test(src[i] ?? '')) i++;
        if (src[i] !== '>') fail('expected ">"');
        i++;
        return el;
      }
      if (src.startsWith('<!--', i)) {
        const end = src.indexOf('-->', i);
        if (end < 0) fail('unterminated comment');
        i = end + 3;
      } else if (src.startsWith('<![CDATA[', i)) {
        const end = src.indexOf(']]>', i);
        if (end < 0) fail('unterminated CDATA section');
        el.text += src.slice(i + 9, end);
        i = end + 3;
      } else if (src.startsWith('<?', i)) {
        const end = src.indexOf('?>', i);
        if (end < 0) fail('unterminated processing instruction');
        i = end + 2;
      } else if (src[i] === '<') {
        el.children.push(element());
      } else {
        const next = src.indexOf('<', i);
        const end = next < 0 ? src.length : next;
        el.text += decode(src.slice(i, end), i);
        i = end;
      }
    }
  };
  skipMisc();
  if (i >= src.length) fail('the document is empty');
  const root = element();
  skipMisc();
  if (i < src.length) fail('content after the root element');
  return root;
}

/** The first child element with this name. */
export function child(el: XmlElement | undefined, name: string): XmlElement | undefined {
  return el?.children.find((c) => c.name === name);
}

export function children(el: XmlElement | undefined, name: string): XmlElement[] {
  return el?.children.filter((c) => c.name === name) ?? [];
}

/** Follows a path of child names: `at(pool, 'target', 'path')`. */
export function at(el: XmlElement | undefined, ...path: string[]): XmlElement | undefined {
  let cur = el;
  for (const p of path) cur = child(cur, p);
  return cur;
}

/**
 * Text of the leaf element at `path`, exactly as written (libvirt indents only elements that
 * have children, so a name or path keeps its own leading/trailing blanks), or null.
 */
export function textAt(el: XmlElement | undefined, ...path: string[]): string | null {
  const e = at(el, ...path);
  return e ? e.text : null;
}

/** Escapes text for element content or a quoted attribute value. */
export function xmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}
