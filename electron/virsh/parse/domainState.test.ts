// Fixtures: libvirt 9.0.0, `domstate --reason --domain …` in interactive virsh
// (test:///default and qemu:///embed).
import { describe, expect, it } from 'vitest';
import { fixture } from '../testing/fixture';
import { domainStateFromCode, domainStateFromText, parseDomstateReason } from './domainState';

describe('domainStateFromCode', () => {
  it('maps virDomainState 0..7', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7].map(domainStateFromCode)).toEqual([
      'nostate', 'running', 'blocked', 'paused', 'shutdown', 'shutoff', 'crashed', 'pmsuspended',
    ]);
  });
  it('maps unknown codes to nostate', () => {
    expect(domainStateFromCode(8)).toBe('nostate');
    expect(domainStateFromCode(-1)).toBe('nostate');
    expect(domainStateFromCode(1.5)).toBe('nostate');
  });
});

describe('domainStateFromText', () => {
  it("maps virsh's words", () => {
    expect(domainStateFromText('shut off')).toBe('shutoff');
    expect(domainStateFromText('idle')).toBe('blocked');
    expect(domainStateFromText('in shutdown')).toBe('shutdown');
    expect(domainStateFromText('no state')).toBe('nostate');
    expect(domainStateFromText('whatever')).toBe('nostate');
  });
});

describe('parseDomstateReason', () => {
  it.each([
    ['test-domstate-reason-running.txt', 'running', 'running', 'booted'],
    ['test-domstate-reason-paused.txt', 'paused', 'paused', 'user'],
    ['test-domstate-reason-shutoff.txt', 'shutoff', 'shut off', 'shutdown'],
    ['test-domstate-reason-managedsave.txt', 'shutoff', 'shut off', 'saved'],
    ['qemu-domstate-reason-paused.txt', 'paused', 'paused', 'user'],
    ['qemu-domstate-reason-after-sigterm.txt', 'shutoff', 'shut off', 'shutdown'],
  ])('%s', (file, state, stateText, reason) => {
    expect(parseDomstateReason(fixture(file))).toEqual({ state, stateText, reason });
  });
  it('throws without a reason', () => {
    expect(() => parseDomstateReason('running\n')).toThrow();
  });
});
