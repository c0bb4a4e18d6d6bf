/**
 * Opens browser mode in the user's browser without putting the token on any command line:
 * argv is world-readable in /proc, so `xdg-open http://…?token=…` would hand the token to every
 * local user. As Jupyter does, the URL goes into an HTML file only its owner can read (0600, in
 * a fresh 0700 folder), and the opener gets that file's path. The page redirects to the URL.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Writes the redirect page under `parentDir`; `remove` deletes it (the server is stopping). */
export function writeRedirectFile(parentDir: string, url: string): { file: string; remove(): void } {
  mkdirSync(parentDir, { recursive: true, mode: 0o700 });
  const dir = mkdtempSync(join(parentDir, 'open-')); // mkdtemp makes it 0700
  const file = join(dir, 'virtdeck.html');
  const href = escapeHtml(url);
  const page = `<!DOCTYPE html>
<html><head><meta charset="utf-8"><meta name="referrer" content="no-referrer">
<meta http-equiv="refresh" content="0;url=${href}"><title>Virtdeck</title></head>
<body><p>Opening Virtdeck… If nothing happens, <a href="${href}">click here</a>.</p></body></html>
`;
  writeFileSync(file, page, { mode: 0o600, flag: 'wx' });
  return { file, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * The command that opens `file`: $BROWSER when set (a program name or path, given the file as
 * its one argument; the first of a ':'-separated list, as Python's webbrowser reads it), else
 * the platform's opener.
 */
export function openerCommand(file: string, env: NodeJS.ProcessEnv = process.env, platform = process.platform): [string, string[]] {
  const browser = env.BROWSER?.split(':').find((b) => b.trim() !== '');
  if (browser) return [browser.trim(), [file]];
  if (platform === 'darwin') return ['open', [file]];
  if (platform === 'win32') return ['cmd', ['/c', 'start', '', file]];
  return ['xdg-open', [file]];
}

export function openInBrowser(file: string, onError: () => void): void {
  const [cmd, args] = openerCommand(file);
  const child = spawn(cmd, args, { detached: true, stdio: 'ignore' });
  child.on('error', onError);
  child.unref();
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
