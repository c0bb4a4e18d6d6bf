import { describe, expect, it } from 'vitest';
import { REDACTED, redactSecrets } from './redact-secrets';

describe('redactSecrets', () => {
  it('hides VNC and SPICE passwords in either quote style and keeps everything else', () => {
    const xml = `<graphics type='vnc' port='-1' autoport='yes' passwd='s3cr"et'>\n<graphics type="spice" passwd="a'b" passwdValidTo='2030-01-01T00:00:00'/>`;
    const out = redactSecrets(xml);
    expect(out).toBe(`<graphics type='vnc' port='-1' autoport='yes' passwd='${REDACTED}'>\n<graphics type="spice" passwd="${REDACTED}" passwdValidTo='2030-01-01T00:00:00'/>`);
    expect(out).not.toContain('s3cr');
    expect(out).not.toContain("a'b");
  });

  it('leaves text without passwords untouched', () => {
    const xml = "<domain type='qemu'><name>passwd='x' as a name is text, not an attribute</name></domain>";
    expect(redactSecrets(xml)).toBe(xml);
    expect(redactSecrets('<disk/>')).toBe('<disk/>');
  });
});
