import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { dismiss, infoTimeoutMs, maxNotifications, notify, useNotificationsStore } from './notifications';

const items = () => useNotificationsStore.getState().items;
const uuid = '11111111-2222-3333-4444-555555555555';

beforeEach(() => {
  vi.useFakeTimers();
  useNotificationsStore.setState({ items: [] });
});
afterEach(() => vi.useRealTimers());

describe('notifications', () => {
  it('dismisses info after the timeout but keeps errors', () => {
    notify({ kind: 'done', command: 'delete', name: 'vm' });
    const err = notify({ kind: 'failed', command: 'start', failures: [{ name: 'vm', error: { code: 'virsh', message: 'no' } }] });
    expect(items().map((n) => n.severity)).toEqual(['info', 'error']);
    vi.advanceTimersByTime(infoTimeoutMs);
    expect(items().map((n) => n.id)).toEqual([err]);
    dismiss(err);
    expect(items()).toEqual([]);
  });

  it('replaces a repeated notice for the same VM', () => {
    notify({ kind: 'notice', hostId: 'h', uuid, name: 'vm', notice: 'shutdown-ignored' });
    notify({ kind: 'notice', hostId: 'h', uuid, name: 'vm', notice: 'reboot-ignored' });
    expect(items()).toHaveLength(1);
    expect(items()[0]).toMatchObject({ notice: 'reboot-ignored', severity: 'warning' });
  });

  it('keeps at most the newest few', () => {
    for (let i = 0; i < maxNotifications + 5; i++) notify({ kind: 'failed', command: 'start', failures: [] });
    expect(items()).toHaveLength(maxNotifications);
  });
});
