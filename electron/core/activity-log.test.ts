import { describe, expect, it } from 'vitest';
import { ActivityLog } from './activity-log';

describe('ActivityLog', () => {
  it('records a command with its outcome and hides a graphics password fed on stdin', () => {
    const done: string[] = [];
    const log = new ActivityLog((e) => done.push(e.outcome));
    const finish = log.start('h1', ['virsh', 'define', '--file', '/dev/stdin', '--validate'], "<graphics type='vnc' passwd='hunter2'/>");
    const [entry] = log.list();
    expect(entry!.outcome).toBe('running');
    expect(entry!.stdin).toBe("<graphics type='vnc' passwd='********'/>");
    expect(JSON.stringify(log.list())).not.toContain('hunter2');
    finish(new Error('boom'));
    expect(log.list()[0]).toMatchObject({ outcome: 'error', error: 'boom' });
    expect(done).toEqual(['error']);
  });

  it('lists entries after a sequence number and for one host', () => {
    const log = new ActivityLog();
    log.start('a', ['virsh', 'list'])();
    log.start('b', ['virsh', 'list'])();
    log.start('a', ['virsh', 'start'])();
    expect(log.list(1).map((e) => e.seq)).toEqual([2, 3]);
    expect(log.list(0, 'a').map((e) => e.argv.at(-1))).toEqual(['list', 'start']);
  });
});
