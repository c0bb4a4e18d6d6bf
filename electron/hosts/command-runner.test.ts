import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { ActivityLog } from '../core/activity-log';
import { CommandRunner } from './command-runner';
import { boundToConnection, connectionTag, leftoverCleanupArgv } from './transport/connection-bound';
import { LocalTransport } from './transport/local-transport';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** PIDs of processes whose command line starts with `marker` (a unique sleep duration). */
const running = (marker: string) => {
  try {
    return execFileSync('pgrep', ['-f', `^${marker}`], { encoding: 'utf8' }).trim().split('\n').filter(Boolean);
  } catch {
    return [];
  }
};
async function gone(marker: string, ms = 3000): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(50)) if (running(marker).length === 0) return true;
  return false;
}

describe('the command runner on this computer', () => {
  const transport = new LocalTransport();
  const activity = new ActivityLog();
  let runner: CommandRunner | undefined;
  const make = (uri = 'test:///default') =>
    (runner = new CommandRunner({ transport, hostId: 'h', virshUri: uri, testDriver: uri.startsWith('test:'), activity, tag: connectionTag('unit', 'h'), onChannelWait: () => {} }));
  afterEach(() => runner?.close());

  it('names a timed-out command as the user would type it, and ends all it started', async () => {
    const r = make();
    const err = await r.run(['sh', '-c', 'sleep 31.4159 & wait'], { timeoutMs: 300 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'timeout', message: expect.stringMatching(/^sh -c did not finish within 0.3 s/) });
    expect((err as Error).message).not.toContain('env');
    // The sleep is a grandchild: only a kill of the whole process group reaches it.
    expect(await gone('sleep 31.4159')).toBe(true);
  });

  it('feeds stdin through a pipe locally, and a non-zero exit is an error unless allowed', async () => {
    const r = make();
    expect((await r.run(['wc', '-c'], { stdin: 'héllo' })).stdout.trim()).toBe('6');
    await expect(r.run(['sh', '-c', 'echo nope >&2; exit 3'])).rejects.toMatchObject({ message: expect.stringContaining('nope') });
    expect(await r.run(['sh', '-c', 'exit 3'], { allowFailure: true })).toMatchObject({ code: 3 });
    await expect(r.run(['no-such-program-here'])).rejects.toMatchObject({ code: 'not_found' });
  });

  it('gives a failed virsh command of the session as an answer when asked, else as an error', async () => {
    const r = make();
    await expect(r.run(['virsh', 'dominfo', '--domain', 'no such vm'])).rejects.toMatchObject({ code: 'not_found' });
    expect(await r.run(['virsh', 'dominfo', '--domain', 'no such vm'], { allowFailure: true })).toMatchObject({ code: 1, stderr: expect.stringContaining("'no such vm'") });
    expect((await r.run(['virsh', 'domstate', 'test'], { allowFailure: true })).code).toBe(0);
  });

  it('records each command once, as typed, in the activity log', async () => {
    const r = make();
    const before = activity.list().length;
    await r.run(['virsh', 'list', '--all', '--name']);
    const [entry] = activity.list().slice(before);
    expect(entry).toMatchObject({ argv: ['virsh', '-c', 'test:///default', 'list', '--all', '--name'], outcome: 'ok' });
    expect(activity.list().length).toBe(before + 1);
  });

  it('runs every virsh command of the test driver on its one session, stdin included', async () => {
    const r = make();
    const xml = "<domain type='test'><name>runner 'vm'</name><memory>8192</memory><os><type>hvm</type></os></domain>";
    await r.run(['virsh', 'define', '/dev/stdin'], { stdin: xml });
    // A second virsh process would see a fresh fake host without it.
    expect((await r.run(['virsh', 'list', '--all', '--name'])).stdout).toContain("runner 'vm'");
    await expect(r.run(['virsh', 'vol-upload', 'x'], { stream: {} })).rejects.toMatchObject({ code: 'unsupported' });
  });
});

describe('a connection-bound program', () => {
  it('ends when the pipe to it closes, keeps its own exit status, and can be ended by its tag', async () => {
    const transport = new LocalTransport();
    const tag = connectionTag('unit', 'bound');
    const a = await transport.spawn(boundToConnection(['sleep', '27.1828'], tag));
    await sleep(200);
    expect(running('sleep 27.1828')).toHaveLength(1);
    a.stdin.end(); // as when the app dies: the kernel closes our end
    expect(await gone('sleep 27.1828')).toBe(true);

    const b = await transport.spawn(boundToConnection(['sh', '-c', 'echo out; echo err >&2; exit 7'], tag));
    const out: Buffer[] = [];
    b.stdout.on('data', (d: Buffer) => out.push(d));
    expect((await b.exited).code).toBe(7);
    expect(Buffer.concat(out).toString()).toBe('out\n');

    // A leftover of an earlier run (its app still holds the pipe here) is ended by the tag alone.
    const c = await transport.spawn(boundToConnection(['sleep', '27.1829'], tag));
    const other = await transport.spawn(boundToConnection(['sleep', '27.1830'], connectionTag('unit', 'other')));
    await sleep(200);
    const [cmd, ...args] = leftoverCleanupArgv(tag);
    execFileSync(cmd!, args);
    expect(await gone('sleep 27.1829')).toBe(true);
    expect(running('sleep 27.1830')).toHaveLength(1); // another connection's program stays
    void c;
    other.kill();
    expect(await gone('sleep 27.1830')).toBe(true);
    transport.close();
  });
});
