import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { identityProblems, parseValidatorOutput } from './xml-validate';

// Captured on Debian 12 (libvirt 9.0.0): `virt-xml-validate - domain < X` and
// `virsh -c qemu:///system define --file /dev/stdin --validate < X` for the test guest's XML
// with an unknown <bogus/> in <devices> (extra-element) or <on_crash>explode (bad-value).
const dir = join(__dirname, '..', 'xml', 'fixtures', 'validator');
const read = (f: string) => readFileSync(join(dir, f), 'utf8');
const UUID = '5d7e57a1-0000-4e2e-8d0c-7e57c0ffee01';

describe('the XML editor names the line of a schema error', () => {
  it('from virt-xml-validate, with the line it reports', () => {
    const problems = parseValidatorOutput(read('extra-element.virt-xml-validate.txt'), read('extra-element.xml'));
    expect(problems).toEqual([
      { message: 'Extra element devices in interleave', line: 27 },
      { message: '<devices>: Element domain failed to validate content', line: 27 },
    ]);
  });

  it('from virsh define --validate, which has no line: the element it names is looked up', () => {
    const problems = parseValidatorOutput(read('extra-element.virsh-define.txt'), read('extra-element.xml'));
    expect(problems[0]!.message).toBe('XML document failed to validate against schema: Unable to validate doc against /usr/share/libvirt/schemas/domain.rng');
    expect(problems[1]).toEqual({ message: 'Extra element devices in interleave', line: 27 });
  });

  it('a bad value: the element libvirt complains about, not line 1', () => {
    const problems = parseValidatorOutput(read('bad-value.virt-xml-validate.txt'), read('bad-value.xml'));
    const onCrashLine = read('bad-value.xml').split('\n').findIndex((l) => l.includes('<on_crash>')) + 1;
    expect(problems[0]).toEqual({ message: 'Extra element on_crash in interleave', line: onCrashLine });
  });
});

describe('the XML editor refuses XML that would not edit this VM', () => {
  const base = read('base.xml');
  it('accepts the VM’s own XML', () => {
    expect(identityProblems(base, UUID, 'vd-test-guest')).toEqual([]);
  });

  it('refuses a changed UUID (that would define a second VM), at its line', () => {
    const xml = base.replace(UUID, '00000000-0000-4000-8000-000000000000');
    expect(identityProblems(xml, UUID, 'vd-test-guest')).toEqual([{ message: expect.stringMatching(/<uuid> must stay/), line: 3 }]);
  });

  it('refuses a missing UUID and a new name', () => {
    const xml = base.replace(/ *<uuid>.*<\/uuid>\n/, '').replace('<name>vd-test-guest</name>', '<name>other</name>');
    expect(identityProblems(xml, UUID, 'vd-test-guest').map((p) => p.message)).toEqual([expect.stringMatching(/<uuid> must stay/), expect.stringMatching(/domrename/)]);
  });

  it('reports where XML stops being well-formed', () => {
    const xml = base.replace('</devices>', '</device>');
    const [p] = identityProblems(xml, UUID, 'vd-test-guest');
    expect(p!.line).toBeGreaterThan(20);
    expect(p!.message).toMatch(/device/);
  });
});
