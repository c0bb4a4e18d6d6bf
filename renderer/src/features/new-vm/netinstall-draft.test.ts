import { describe, expect, it } from 'vitest';
import { NewVmSpec } from '../../../../shared/model/newvm';
import { initialDraft, missingByStep, toSpec, type Draft } from './draft';

const POOL = '11111111-2222-3333-4444-555555555555';
const base = (over: Partial<Draft> = {}): Draft => ({ ...initialDraft('h1', '5d7e57a1-0000-4e2e-8d0c-aaaaaaaaaaaa', '52:54:00:aa:bb:cc'), poolUuid: POOL, network: 'pxe', name: 'vm', ...over });

describe('network install and PXE in the wizard form', () => {
  it('a network install needs an http(s)/ftp URL without credentials and a pool; the spec passes the backend’s schema', () => {
    expect(missingByStep(base({ sourceKind: 'tree', treeUrl: 'file:///etc/passwd' })).source).toEqual(['newvm.missing.treeUrl']);
    expect(missingByStep(base({ sourceKind: 'tree', treeUrl: 'http://user:pw@mirror/debian/' })).source).toEqual(['newvm.missing.treeUrl']);
    expect(missingByStep(base({ sourceKind: 'tree', treeUrl: 'http://mirror/debian/' })).source).toEqual(['newvm.missing.treePool']);
    const d = base({ sourceKind: 'tree', treeUrl: ' https://deb.debian.org/debian/dists/bookworm/main/installer-amd64/ ', treePoolUuid: POOL, cmdline: 'console=ttyS0', treeFetchBy: 'virtdeck' });
    const spec = toSpec(d)!;
    expect(spec.source).toEqual({ kind: 'tree', url: 'https://deb.debian.org/debian/dists/bookworm/main/installer-amd64/', poolUuid: POOL, cmdline: 'console=ttyS0', fetchBy: 'virtdeck' });
    expect(NewVmSpec.safeParse(spec).success).toBe(true);
  });

  it('PXE needs nothing on the source step; its network is the Network step’s', () => {
    const spec = toSpec(base({ sourceKind: 'pxe' }))!;
    expect(spec.source).toEqual({ kind: 'pxe' });
    expect(spec.network).toMatchObject({ kind: 'network', network: 'pxe' });
    expect(NewVmSpec.safeParse(spec).success).toBe(true);
  });
});
