import { describe, expect, it } from 'vitest';
import type { HostView } from '../../../../shared/model/host';
import { pageHost } from './page-host';

const host = (id: string, state: 'connected' | 'disconnected'): HostView => ({ config: { id, name: id, uri: 'qemu:///system', autoconnect: false }, status: { state } }) as HostView;

describe('which host a host page shows (never "select a host first" while one is connected)', () => {
  const hosts = [host('a', 'disconnected'), host('b', 'connected'), host('c', 'connected')];
  it('shows the active host while it is connected', () => expect(pageHost(hosts, 'c')).toBe('c'));
  it('falls back to the first connected host', () => {
    expect(pageHost(hosts, 'a')).toBe('b');
    expect(pageHost(hosts, null)).toBe('b');
  });
  it('has no host only when none is connected', () => expect(pageHost([host('a', 'disconnected')], 'a')).toBeNull());
});
