import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ChannelLimiter } from './channel-limiter';
import { shellJoin } from './posix-quote';

describe('the SSH channel cap', () => {
  it('never has more than max channels open and hands slots to waiters in order', async () => {
    const limiter = new ChannelLimiter(2);
    const a = await limiter.acquire();
    const b = await limiter.acquire();
    const order: string[] = [];
    const c = limiter.acquire().then((release) => (order.push('c'), release));
    const d = limiter.acquire().then((release) => (order.push('d'), release));
    await Promise.resolve();
    expect(limiter.active).toBe(2);
    expect(order).toEqual([]);
    a();
    a(); // releasing twice frees one slot only
    const rc = await c;
    expect(order).toEqual(['c']);
    b();
    (await d)();
    rc();
    expect(limiter.active).toBe(0);
  });
});

describe('the remote command line for an SSH exec request', () => {
  it('reaches the remote shell as exactly the same argv, whatever the names', () => {
    const argv = ['printf', '%s\\n', "it's", '$(id)', '`id`', 'a;b|c&d', 'tab\there', 'new\nline', '日本語', '-x', '', '*', '~root', '!!'];
    // sshd runs the string with the user's shell as `sh -c`: run it the same way here.
    const out = execFileSync('sh', ['-c', shellJoin(argv)], { encoding: 'utf8' });
    expect(out).toBe(argv.slice(2).map((a) => `${a}\n`).join(''));
  });
});
