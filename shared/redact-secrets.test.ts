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

  it('hides crypt(3) password hashes (cloud-init user-data on stdin of `cloud-init schema`)', () => {
    const ud = '#cloud-config\nusers:\n  - name: a\n    passwd: $6$saltsalt$cc1KsgmlKYtCcnNH8.sv7Fe8mca8fAso5fHlNrb1VZa5WYQ.L3ChTcx06ID.LoaXZAf9CZNraK43XCp7LxKHl1\n    x: $y$j9T$abcdefgh$ijk\n';
    expect(redactSecrets(ud)).toBe(`#cloud-config\nusers:\n  - name: a\n    passwd: ${REDACTED}\n    x: ${REDACTED}\n`);
    expect(redactSecrets('costs $6 and $5$')).toBe('costs $6 and $5$');
  });
});
