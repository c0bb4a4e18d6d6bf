import { describe, expect, it } from 'vitest';
import { parseXml, textAt, xmlEscape, XmlSyntaxError } from './xml';

describe('the XML reader', () => {
  it('reads elements, attributes, entities and keeps leaf text exact', () => {
    const doc = parseXml(`<?xml version="1.0"?>\n<!-- c --><pool type='dir'><name> a &amp; b &#x41;&#66; </name><x a="&quot;q&apos;"/><![CDATA[<raw>]]></pool>`);
    expect(doc.name).toBe('pool');
    expect(doc.attrs).toEqual({ type: 'dir' });
    expect(textAt(doc, 'name')).toBe(' a & b AB ');
    expect(doc.children[1]!.attrs['a']).toBe(`"q'`);
    expect(doc.text).toBe('<raw>');
  });

  it('reports where malformed XML breaks, so the editor can say it', () => {
    expect(() => parseXml('<pool><name>x</pool>')).toThrow(XmlSyntaxError);
    expect(() => parseXml('<pool><name>x</name>')).toThrow(/not closed/);
    expect(() => parseXml('<a>&bogus;</a>')).toThrow(/unknown entity/);
    expect(() => parseXml('<a x="1" x="2"/>')).toThrow(/repeated/);
    expect(() => parseXml('<a/><b/>')).toThrow(/after the root/);
    expect(() => parseXml('<!DOCTYPE x><a/>')).toThrow(/DOCTYPE/);
    try {
      parseXml('<a>\n  <b>\n</a>');
    } catch (e) {
      expect((e as XmlSyntaxError).line).toBe(3);
    }
  });

  it('escapes what the generators write', () => {
    expect(xmlEscape(`a<b>&"c'`)).toBe('a&lt;b&gt;&amp;&quot;c&apos;');
    expect(textAt(parseXml(`<n>${xmlEscape(`it's "x" <&>`)}</n>`))).toBe(`it's "x" <&>`);
  });
});
