import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openerCommand, writeRedirectFile } from './open-browser';

describe('opening browser mode without the token on a command line', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('the opener gets only the redirect file: $BROWSER when set (first of a list), else the platform opener', () => {
    expect(openerCommand('/p/v.html', { BROWSER: 'firefox:chromium' }, 'linux')).toEqual(['firefox', ['/p/v.html']]);
    expect(openerCommand('/p/v.html', { BROWSER: ':/opt/my browser' }, 'linux')).toEqual(['/opt/my browser', ['/p/v.html']]);
    expect(openerCommand('/p/v.html', {}, 'linux')).toEqual(['xdg-open', ['/p/v.html']]);
    expect(openerCommand('/p/v.html', { BROWSER: '' }, 'darwin')).toEqual(['open', ['/p/v.html']]);
  });

  it('the redirect file is 0600 in a fresh 0700 folder, carries the URL escaped, and goes away on stop', () => {
    const parent = mkdtempSync(join(tmpdir(), 'vd-open-'));
    dirs.push(parent);
    const url = 'http://127.0.0.1:1234/?token=a"b<c>&d';
    const r = writeRedirectFile(join(parent, 'data'), url);
    expect(statSync(r.file).mode & 0o777).toBe(0o600);
    expect(statSync(dirname(r.file)).mode & 0o777).toBe(0o700);
    const html = readFileSync(r.file, 'utf8');
    expect(html).toContain('content="0;url=http://127.0.0.1:1234/?token=a&#34;b&#60;c&#62;&#38;d"');
    expect(html).not.toContain(url);
    r.remove();
    expect(() => statSync(dirname(r.file))).toThrow();
  });
});
