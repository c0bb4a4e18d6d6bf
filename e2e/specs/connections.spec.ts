import { execFileSync } from 'node:child_process';
import { expect, test } from '@playwright/test';
import { resetGuest, sshUri, testHost } from '../support/test-host';
import { startWebApp, type WebApp } from '../support/web-app';

const th = testHost();
const fingerprint = execFileSync('ssh-keygen', ['-lf', th.SSH_HOST_KEY_PUB], { encoding: 'utf8' }).split(' ')[1]!;

let app: WebApp;
test.beforeEach(async () => {
  resetGuest(th);
  app = await startWebApp();
});
test.afterEach(async () => {
  await app.stop();
});

test('first start shows the demo host with its VM, in English and in Chinese', async ({ page }) => {
  await page.goto(app.url);
  await expect(page.getByTestId('host-status-demo')).toHaveAttribute('data-state', 'connected');
  await page.getByTestId('host-row-demo').click();
  await expect(page.getByTestId('vm-state-test')).toHaveAttribute('data-state', 'running');
  await page.getByTestId('lang-select').selectOption('zh-CN');
  await expect(page.getByTestId('vm-state-test')).toHaveText('运行中');
});

test('adds an SSH connection, trusts its host key, and sees the test guest and its state', async ({ page }) => {
  await page.goto(app.url);
  await page.getByTestId('add-connection').click();
  await page.getByTestId('conn-name').fill('Loopback over SSH');
  await page.getByTestId('conn-uri').fill(sshUri(th));
  await page.getByTestId('conn-auth').selectOption('key');
  await page.getByTestId('conn-keyfile').fill(th.SSH_KEY);
  await page.getByTestId('conn-save').click();

  const row = page.locator('[data-testid^="host-row-"]', { hasText: 'Loopback over SSH' });
  await expect(row).toBeVisible();
  const id = (await row.getAttribute('data-testid'))!.replace('host-row-', '');
  await page.getByTestId(`host-connect-${id}`).click();

  const prompt = page.getByTestId('prompt-hostkey');
  await expect(prompt).toBeVisible();
  await expect(page.getByTestId('prompt-fingerprint')).toHaveText(fingerprint);
  await page.getByTestId('prompt-accept').click();

  await expect(page.getByTestId(`host-status-${id}`)).toHaveAttribute('data-state', 'connected');
  await row.click();
  await expect(page.getByTestId(`vm-state-${th.GUEST_NAME}`)).toHaveAttribute('data-state', 'shutoff');
});

test('the server refuses requests without the token', async ({ request }) => {
  const res = await request.get(`${app.origin}/`);
  expect(res.status()).toBe(403);
  const ok = await request.get(app.url);
  expect(ok.status()).toBe(200);
});

test('edits, disconnects, reconnects and removes a connection from the UI', async ({ page }) => {
  await page.goto(app.url);
  await expect(page.getByTestId('host-status-demo')).toHaveAttribute('data-state', 'connected');
  await page.getByTestId('host-disconnect-demo').click();
  await expect(page.getByTestId('host-status-demo')).toHaveAttribute('data-state', 'disconnected');
  await page.getByTestId('host-edit-demo').click();
  await expect(page.getByTestId('conn-uri')).toHaveValue('test:///default');
  await page.getByTestId('conn-name').fill('Renamed demo');
  await page.getByTestId('conn-save').click();
  await expect(page.getByTestId('host-row-demo')).toContainText('Renamed demo');
  await page.getByTestId('host-connect-demo').click();
  await expect(page.getByTestId('host-status-demo')).toHaveAttribute('data-state', 'connected');
  // Saved to disk: a reload (a new page, same backend) still shows the new name.
  await page.reload();
  await expect(page.getByTestId('host-row-demo')).toContainText('Renamed demo');
  await page.getByTestId('host-remove-demo').click();
  await expect(page.getByTestId('confirm-dialog')).toContainText('Renamed demo');
  await page.getByTestId('confirm-ok').click();
  await expect(page.getByTestId('host-row-demo')).toHaveCount(0);
});

test('an invalid URI is refused with a clear message and nothing is saved', async ({ page }) => {
  await page.goto(app.url);
  await page.getByTestId('add-connection').click();
  await page.getByTestId('conn-name').fill('bad');
  await page.getByTestId('conn-uri').fill('qemu+tls://somewhere/system');
  await page.getByTestId('conn-save').click();
  await expect(page.getByTestId('connection-dialog')).toContainText(/tls/i);
  await page.getByTestId('conn-cancel').click();
  await expect(page.locator('[data-testid^="host-row-"]', { hasText: 'bad' })).toHaveCount(0);
});
