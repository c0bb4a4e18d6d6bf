/** The template mark in Virtdeck's own <metadata> namespace, on the test guest's definition (libvirt 9.0.0 dumpxml). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isTemplateXml, TEMPLATE_NS, withTemplateMark } from './templates';

const xml = readFileSync(join(__dirname, 'clone/fixtures/guest-with-disks.xml'), 'utf8');

describe('template mark', () => {
  it('is set in <metadata> after <description>, and removing it gives back the same definition', () => {
    const marked = withTemplateMark(xml, true);
    expect(isTemplateXml(marked)).toBe(true);
    expect(marked).toMatch(new RegExp(`</description>\\n  <metadata>\\n    <vd:template xmlns:vd='${TEMPLATE_NS}'/>\\n  </metadata>`));
    expect(withTemplateMark(marked, true)).toBe(marked);
    expect(withTemplateMark(marked, false)).toBe(xml);
  });
  it("keeps another application's metadata", () => {
    const other = xml.replace('</description>', '</description>\n  <metadata>\n    <x:y xmlns:x="urn:x"/>\n  </metadata>');
    const back = withTemplateMark(withTemplateMark(other, true), false);
    expect(isTemplateXml(back)).toBe(false);
    expect(back).toMatch(/<metadata>\n    <x:y xmlns:x=.urn:x.\/>\n  <\/metadata>/);
  });
});
