import { describe, expect, it } from 'vitest';
import { setHostPhases, setPhase, usePhaseStore } from './phase-store';

describe('install phase marks', () => {
  it('mark customizing and installing VMs per host, and drop a VM whose phase is done', () => {
    setHostPhases('h1', { a: 'customizing' });
    setPhase('h1', 'b', 'installing');
    setPhase('h2', 'a', 'installing');
    expect(usePhaseStore.getState().byHost).toEqual({ h1: { a: 'customizing', b: 'installing' }, h2: { a: 'installing' } });
    setPhase('h1', 'b', 'done');
    expect(usePhaseStore.getState().byHost.h1).toEqual({ a: 'customizing' });
  });

  it("replace a host's marks wholesale when its list is refetched", () => {
    setHostPhases('h1', {});
    expect(usePhaseStore.getState().byHost.h1).toEqual({});
  });
});
