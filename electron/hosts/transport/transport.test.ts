import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { joinForPosixShell } from '../../../shared/posix-shell';

describe('the remote command line for an SSH exec request', () => {
  it('reaches the remote shell as exactly the same argv, whatever the names', () => {
    const argv = ['printf', '%s\\n', "it's", '$(id)', '`id`', 'a;b|c&d', 'tab\there', 'new\nline', '日本語', '-x', '', '*', '~root', '!!'];
    // sshd runs the string with the user's shell as `sh -c`: run it the same way here.
    const out = execFileSync('sh', ['-c', joinForPosixShell(argv)], { encoding: 'utf8' });
    expect(out).toBe(argv.slice(2).map((a) => `${a}\n`).join(''));
  });
});
