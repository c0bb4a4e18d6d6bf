import { describe, expect, it } from 'vitest';
import type { MachineInfo, OsEntry } from '../../../../shared/model/newvm';
import { effectiveMachine, matchesOs, stepOfField } from './wizard-rules';

const machine = (name: string, isDefault = false, firmware: MachineInfo['firmware'] = ['bios']): MachineInfo => ({ name, canonical: null, isDefault, firmware, secureBootOff: false, secureBootOn: false });
const caps = { machines: [machine('pc', true), machine('q35', false, ['bios', 'efi'])] };

describe('automatic machine type', () => {
  it('is q35 when the OS supports it and the host has it, so UEFI is offered for it', () => {
    expect(effectiveMachine(caps, { machine: '' }, { defaults: { q35: true } })?.name).toBe('q35');
    expect(effectiveMachine(caps, { machine: '' }, null)?.firmware).toContain('efi');
  });
  it("is the host's default for an OS without q35 support, or a host without q35", () => {
    expect(effectiveMachine(caps, { machine: '' }, { defaults: { q35: false } })?.name).toBe('pc');
    expect(effectiveMachine({ machines: [machine('pc', true)] }, { machine: '' }, { defaults: { q35: true } })?.name).toBe('pc');
  });
  it("is the user's choice when made", () => {
    expect(effectiveMachine(caps, { machine: 'pc' }, { defaults: { q35: true } })?.name).toBe('pc');
  });
});

describe('plan problems', () => {
  it('lead to the step where the field is edited', () => {
    expect(stepOfField('storage')).toBe('storage');
    expect(stepOfField('network')).toBe('network');
    expect(stepOfField('source')).toBe('source');
    expect(stepOfField('name')).toBe('finish');
    expect(stepOfField('firmware')).toBe('finish');
  });
});

describe('OS search', () => {
  const win11: OsEntry = { id: 'win11', name: 'Microsoft Windows 11', version: '11', family: 'winnt', vendor: 'Microsoft Corporation', releaseDate: null, eol: false };
  it('matches every word anywhere in name, id, family, version or vendor', () => {
    expect(matchesOs(win11, 'windows 11')).toBe(true);
    expect(matchesOs(win11, 'WINNT microsoft')).toBe(true);
    expect(matchesOs(win11, 'windows 10')).toBe(false);
    expect(matchesOs(win11, '')).toBe(true);
  });
});
