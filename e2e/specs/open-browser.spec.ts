// `npm run web` opens the browser through a private redirect file (the token stays off every
// command line): Chromium, given that file as the opener would give it, lands in the app.
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { until } from '../support/until';
import { startWebApp, type WebApp } from '../support/web-app';

let app: WebApp;
let dir = '';
test.afterEach(async () => {
  await app?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('the redirect file the opener gets opens the app, signed in', async ({ page }) => {
  dir = mkdtempSync(join(tmpdir(), 'vd-opener-'));
  const log = join(dir, 'opened');
  const opener = join(dir, 'fake-browser');
  writeFileSync(opener, `#!${process.execPath}\nrequire('node:fs').writeFileSync(${JSON.stringify(log)}, process.argv[2]);\n`);
  chmodSync(opener, 0o755);
  app = await startWebApp([], { open: true, env: { CI: undefined, BROWSER: opener } });
  await until(() => existsSync(log), 10_000, 'the opener');
  const file = readFileSync(log, 'utf8');
  expect(file).not.toContain(app.token);
  await page.goto(`file://${file}`);
  await expect(page).toHaveURL(new RegExp(`^http://127\\.0\\.0\\.1:${app.port}/`));
  await expect(page.getByTestId('host-status-demo')).toHaveAttribute('data-state', 'connected');
});
