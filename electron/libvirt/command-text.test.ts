import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { commandText } from '../../shared/api/commands';
import { quoteForPosixShell as shellQuote } from '../../shared/posix-shell';

const HOSTILE = ["it's", 'say "hi"', '$(id)', '`id`', 'a;b|c&d', 'tab\there', '日本語', '--double', '-x', '', '*', '~root', '!!', 'new\nline'];

describe('the "Show command" text', () => {
  it('pastes into a shell as exactly the same argv', () => {
    const text = commandText({ argv: ['printf', '%s\\n', ...HOSTILE] });
    expect(execFileSync('sh', ['-c', text], { encoding: 'utf8' })).toBe(HOSTILE.map((a) => `${a}\n`).join(''));
    expect(shellQuote('pool-define')).toBe('pool-define');
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
  });

  it('feeds XML as a quoted heredoc (no expansion), picking a terminator the XML does not contain', () => {
    const xml = "<pool type='dir'>\n  <name>$(id) `x` \\n</name>\nEOF\n</pool>";
    const text = commandText({ argv: ['cat'], stdin: xml });
    expect(text).toMatch(/^cat <<'EOF_1'\n/);
    expect(execFileSync('sh', ['-c', text], { encoding: 'utf8' })).toBe(`${xml}\n`);
  });

  it('shows streamed files as redirections', () => {
    expect(commandText({ argv: ['virsh', 'vol-upload', '--file', '/dev/stdin'], stdinFile: '/home/me/my disk.iso' })).toBe("virsh vol-upload --file /dev/stdin < '/home/me/my disk.iso'");
    expect(commandText({ argv: ['virsh', '-q', 'vol-download'], stdoutFile: '/tmp/x.part' })).toBe('virsh -q vol-download > /tmp/x.part');
  });
});
