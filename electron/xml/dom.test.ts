import { describe, expect, it } from 'vitest';
import { attr, child, elementChildren, parseXml, serializeXml, textAt, xmlEscape, XmlSyntaxError } from './dom';

describe('the XML layer', () => {
  it('reads elements, attributes, entities and keeps leaf text exact', () => {
    const doc = parseXml(`<?xml version="1.0"?>\n<!-- c --><pool type='dir'><name> a &amp; b &#x41;&#66; </name><x a="&quot;q&apos;"/><![CDATA[<raw>]]></pool>`);
    const pool = doc.documentElement!;
    expect(pool.tagName).toBe('pool');
    expect(attr(pool, 'type')).toBe('dir');
    expect(textAt(pool, 'name')).toBe(' a & b AB ');
    expect(attr(elementChildren(pool)[1], 'a')).toBe(`"q'`);
    expect(textAt(pool, 'missing/path')).toBeNull();
  });

  it('keeps elements and attributes it does not know, byte for byte', () => {
    const xml = `<pool type='zfs'>\n  <name>p</name>\n  <future-thing mode='x'>\n    <deep a='1'/>\n  </future-thing>\n  <!-- kept -->\n</pool>`;
    const doc = parseXml(xml);
    expect(attr(child(child(doc.documentElement!, 'future-thing'), 'deep'), 'a')).toBe('1');
    expect(serializeXml(doc)).toBe(xml);
  });

  it('refuses malformed XML, saying where when it can', () => {
    expect(() => parseXml('<pool><name>x</pool>')).toThrow(XmlSyntaxError);
    expect(() => parseXml('<pool><name>x</name>')).toThrow(XmlSyntaxError);
    expect(() => parseXml('<a>&bogus;</a>')).toThrow(/entity not found:&bogus;/);
    expect(() => parseXml('<a x="1" x="2"/>')).toThrow(XmlSyntaxError);
    expect(() => parseXml('<a/><b/>')).toThrow(XmlSyntaxError);
    expect(() => parseXml('')).toThrow(XmlSyntaxError);
    try {
      parseXml('<a>\n  <b>\n</a>');
      expect.unreachable();
    } catch (e) {
      expect((e as XmlSyntaxError).line).toBe(2); // xmldom points at the unclosed <b>
    }
  });

  it('escapes what the generators write', () => {
    expect(xmlEscape(`a<b>&"c'`)).toBe('a&lt;b&gt;&amp;&quot;c&apos;');
    expect(textAt(parseXml(`<n><v>${xmlEscape(`it's "x" <&>`)}</v></n>`).documentElement!, 'v')).toBe(`it's "x" <&>`);
  });
});
