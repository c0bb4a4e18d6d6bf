import { describe, expect, it } from 'vitest';
import type { ActivityEntry } from '../../../../shared/model/activity';
import { isQuery, matchesFilter, mergeEntries } from './activity-log';

const e = (seq: number, outcome: ActivityEntry['outcome'] = 'ok', argv = ['virsh', 'pool-list']): ActivityEntry => ({ seq, at: seq, hostId: 'h', argv, outcome });

describe('the activity log list', () => {
  it('shows newest first and replaces a running entry by its finished copy', () => {
    const list = mergeEntries([e(2, 'running'), e(1)], [e(2, 'ok'), e(3)]);
    expect(list.map((x) => [x.seq, x.outcome])).toEqual([
      [3, 'ok'],
      [2, 'ok'],
      [1, 'ok'],
    ]);
  });

  it('filters on command, host name and error text', () => {
    const x = { ...e(1, 'error', ['virsh', 'vol-delete', '--vol', 'disk 1.qcow2']), error: 'volume is in use' };
    expect(matchesFilter(x, 'lab', 'VOL-DELETE')).toBe(true);
    expect(matchesFilter(x, 'lab', 'lab')).toBe(true);
    expect(matchesFilter(x, 'lab', 'in use')).toBe(true);
    expect(matchesFilter(x, 'lab', 'pool-start')).toBe(false);
  });
});

describe('the "changes only" view', () => {
  it('hides read-only queries and keeps every action', () => {
    expect(isQuery(['virsh', '-c', 'qemu:///system', 'domstats', '--raw'])).toBe(true);
    expect(isQuery(['virsh', '-c', 'qemu:///system', 'pool-list', '--all', '--uuid'])).toBe(true);
    expect(isQuery(['virsh', '-c', 'qemu:///system', '-q', 'vol-download', '--file', '/dev/stdout'])).toBe(false);
    expect(isQuery(['virsh', '-c', 'qemu:///system', 'pool-define', '--file', '/dev/stdin'])).toBe(false);
    expect(isQuery(['qemu-img', 'info', '--output=json', '/x'])).toBe(true);
  });
});
