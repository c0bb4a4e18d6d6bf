/**
 * Test-only helpers that drive a REAL interactive `virsh -q -c URI` (as the app does: one
 * process, commands written to its stdin). Not used by production code.
 */
import { spawn, spawnSync } from 'node:child_process';

/** True when a `virsh` binary can be run here; real-virsh tests are skipped otherwise. */
export const virshAvailable: boolean = (() => {
  try {
    return spawnSync('virsh', ['--version'], { stdio: 'ignore' }).status === 0;
  } catch {
    return false;
  }
})();

export interface VirshRun {
  stdout: string;
  stderr: string;
  code: number | null;
}

/**
 * Writes `lines` (each already a complete virsh command line, without "\n") to one interactive
 * virsh, closes stdin and resolves with everything it printed once it exits.
 * INPUTRC=/dev/null keeps user/system readline key bindings out; LC_ALL=C.UTF-8 keeps messages
 * untranslated.
 */
export function runVirshLines(
  lines: readonly string[],
  opts: { uri?: string; cwd?: string; timeoutMs?: number } = {},
): Promise<VirshRun> {
  const env = { ...process.env, LC_ALL: 'C.UTF-8', INPUTRC: '/dev/null' };
  const child = spawn('virsh', ['-q', '-c', opts.uri ?? 'test:///default'], { cwd: opts.cwd, env });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  child.stdin.end(lines.map((l) => `${l}\n`).join(''));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`virsh did not exit within ${opts.timeoutMs ?? 20000} ms`));
    }, opts.timeoutMs ?? 20000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ stdout, stderr, code });
    });
  });
}

/**
 * A marker pair whose printed form differs from its echoed input: the line `echo @@B''EGIN-7-@@`
 * is echoed by readline as typed but PRINTS `@@BEGIN-7-@@`, so searching stdout for the printed
 * form never hits the echo. The trailing "-@@" keeps id "1" from matching id "10".
 */
export function markers(id: string): { begin: string; end: string; beginLine: string; endLine: string } {
  return {
    begin: `@@BEGIN-${id}-@@`,
    end: `@@END-${id}-@@`,
    beginLine: `echo @@B''EGIN-${id}-@@`,
    endLine: `echo @@E''ND-${id}-@@`,
  };
}

/** The stdout printed by the command(s) between a marker pair (the echoed input line(s) included). */
export function between(stdout: string, id: string): string {
  const m = markers(id);
  const b = stdout.indexOf(m.begin);
  const e = stdout.indexOf(m.end, b);
  if (b < 0 || e < 0) throw new Error(`markers ${id} not found in virsh output`);
  return stdout.slice(b + m.begin.length, e);
}
