import { afterEach, describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import type { ExitInfo } from '../hosts/transport/transport';
import { virshArgv } from '../hosts/host-connection';
import { LocalTransport } from '../hosts/transport/local-transport';
import { VirshSession } from './session';

// These run a real `virsh -q -c test:///default` (libvirt's test driver needs no daemon). Jobs
// that read stdin (managedsave) are tested on the real host in session.int.test.ts: on the test
// driver virsh 9's job watcher can miss a job that ends at once and hang (see README).
describe('the long-lived virsh session', () => {
  const transport = new LocalTransport();
  let session: VirshSession;
  const open = () => (session = new VirshSession(() => transport.spawn(virshArgv('test:///default', '-q'))));
  afterEach(() => session?.close());

  it("returns each command's own output, with virsh's echo lines cut", async () => {
    open();
    const out = await session.run(['list', '--all', '--name']);
    expect(out.stdout).toBe('test\n');
    expect((await session.run(['domstate', 'test'])).stdout).toBe('running\n');
  });

  it('keeps output that does not end in a newline apart from the next marker', async () => {
    open();
    expect((await session.run(['echo', 'no newline'])).stdout).toBe('no newline');
    expect((await session.run(['echo', 'second'])).stdout).toBe('second');
  });

  it("fails a command with virsh's message and goes on with the next", async () => {
    open();
    await expect(session.run(['dominfo', '--domain', 'no such vm'])).rejects.toMatchObject({ code: 'not_found', message: expect.stringContaining("'no such vm'") });
    expect((await session.run(['domname', '6695eb01-f6a4-8304-79aa-97f2502e193f'])).stdout.trim()).toBe('test');
  });

  it('matches pipelined commands to their own results', async () => {
    open();
    const words = Array.from({ length: 200 }, (_, i) => `w${i} ${'x'.repeat(i % 7)}`);
    const results = await Promise.all(words.map((w) => session.run(['echo', w])));
    expect(results.map((r) => r.stdout)).toEqual(words);
  });

  it('carries an argument with a newline, tab and quotes as one argument', async () => {
    open();
    const arg = "a\nb\tc 'd' \"e\" $(f) ;g";
    expect((await session.run(['echo', arg])).stdout).toBe(arg);
    expect((await session.run(['echo', 'after'])).stdout).toBe('after');
  });

  it('restarts virsh after a timeout, so later commands still work', async () => {
    open();
    await expect(session.run(['event', '--all', '--timeout', '10'], { timeoutMs: 300 })).rejects.toMatchObject({ code: 'timeout' });
    expect((await session.run(['echo', 'alive'])).stdout).toBe('alive');
  });
});

describe('a virsh killed after a timeout', () => {
  /** A stand-in virsh whose output the test writes by hand. */
  const fakeVirsh = () => {
    const p = { stdin: new PassThrough(), stdout: new PassThrough(), stderr: new PassThrough(), exited: new Promise<ExitInfo>(() => {}), kill: () => {}, written: '' };
    p.stdin.on('data', (b: Buffer) => (p.written += b.toString()));
    return p;
  };

  it("never lends its late output to the next command's answer", async () => {
    const stuck = fakeVirsh();
    const next = fakeVirsh();
    const procs = [stuck, next];
    const session = new VirshSession(() => Promise.resolve(procs.shift()!));
    try {
      await expect(session.run(['list', '--name'], { timeoutMs: 200 })).rejects.toMatchObject({ code: 'timeout' });
      const answer = session.run(['echo', 'fresh']);
      await until(() => next.written.includes('echo --err'));
      const [, nonce, n] = /@@,([0-9a-f]+),(\d+),O/.exec(next.written)!;
      // The killed virsh flushes its output only now, while the new one is working.
      stuck.stdout.write('LATE OUTPUT OF THE KILLED VIRSH\n');
      stuck.stderr.write('error: LATE ERROR\n');
      await new Promise((r) => setTimeout(r, 20));
      next.stdout.write(`virsh # echo fresh\nfresh\nvirsh # echo --split @@,${nonce},${n},O\n@@\n${nonce}\n${n}\nO\n`);
      next.stderr.write(`error: @@\n${nonce}\n${n}\nE\n`);
      const out = await answer;
      expect(out.stdout).toBe('fresh\n');
      expect(out.warnings).toBe('');
    } finally {
      session.close();
    }
  });
});

async function until(ok: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !ok(); i++) await new Promise((r) => setTimeout(r, 5));
}
