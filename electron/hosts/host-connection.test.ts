import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { HostStatus } from '../../shared/model/host';
import { ActivityLog } from '../core/activity-log';
import { HostConnection } from './host-connection';

/** virsh processes that are children of this test process (the connection's session). */
function ourVirsh(): string[] {
  const out = execFileSync('ps', ['-o', 'pid=,stat=,args=', '--ppid', String(process.pid)], { encoding: 'utf8' });
  return out.split('\n').filter((l) => / virsh /.test(` ${l.trim().split(/\s+/).slice(2).join(' ')} `) && !/^\s*\d+\s+Z/.test(l));
}

function host(statuses: HostStatus[]): HostConnection {
  return new HostConnection(
    { id: 'gen', name: 'demo', uri: 'test:///default', autoconnect: false },
    { homeDir: '/nonexistent', instanceId: 'unit-test', activity: new ActivityLog(), ask: {} as never, onStatus: (s) => statuses.push(s), onDomainsChanged: () => {} },
  );
}

describe('a connection attempt', () => {
  it('that a disconnect overtook never becomes connected, and closes what it opened', async () => {
    const statuses: HostStatus[] = [];
    const h = host(statuses);
    const connecting = h.connect();
    h.disconnect(); // the person pressed Disconnect while it was still connecting
    await expect(connecting).rejects.toMatchObject({ code: 'cancelled' });
    await new Promise((r) => setTimeout(r, 300));
    expect(h.status.state).toBe('disconnected');
    expect(statuses.map((s) => s.state)).toEqual(['connecting', 'disconnected']);
    expect(ourVirsh()).toEqual([]);
    await expect(h.run(['virsh', 'list'])).rejects.toMatchObject({ code: 'disconnected' });
  });

  it('after an overtaken one, a new connect works', async () => {
    const h = host([]);
    const first = h.connect();
    h.disconnect();
    await first.catch(() => undefined);
    await h.connect();
    expect(h.status.state).toBe('connected');
    expect((await h.run(['virsh', 'list', '--all', '--name'])).stdout).toContain('test');
    h.disconnect();
  });
});
