import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { startWebApp, type WebApp } from '../support/web-app';

// A whole fake host (libvirt's test driver reads it, no daemon): pools of every type libvirt 9.0
// knows, a SCSI pool whose volumes exceed it (libvirt prints 18446744073709551615 bytes
// available), volumes of 2^63-1 bytes and named like a table header, domains in several run
// states, networks of several forward modes. See the comment at the top of the file.
const HOST_FILE = join(__dirname, '..', 'support', 'every-kind-host.xml');
const URI = `test://${HOST_FILE}`;
const POOL_TYPES = ['dir', 'fs', 'netfs', 'logical', 'disk', 'iscsi', 'iscsi-direct', 'scsi', 'mpath', 'rbd', 'sheepdog', 'gluster', 'zfs', 'vstorage'];

let app: WebApp;
test.beforeEach(async () => {
  app = await startWebApp(['--connect', URI]);
});
test.afterEach(async () => {
  await app.stop();
});

async function openHost(page: Page) {
  await page.goto(app.url);
  const row = page.locator('[data-testid^="host-row-"]', { hasText: HOST_FILE });
  await expect(row.locator('[data-testid^="host-status-"]')).toHaveAttribute('data-state', 'connected');
  await row.click();
}

test('every pool and volume of a host with odd objects shows: all pool types, sizes up to 2^64−1, header-like names', async ({ page }) => {
  await openHost(page);
  await page.getByTestId('host-tab-storage').click();
  await expect(page.getByTestId('storage-panel')).toBeVisible();

  for (const t of POOL_TYPES) {
    const row = page.getByTestId(`pool-row-pool-${t}`);
    await expect(row).toBeVisible();
    await expect(row.locator('td').nth(1)).toHaveText(t);
    await expect(page.getByTestId(`pool-state-pool-${t}`)).toHaveAttribute('data-state', 'running');
  }
  await expect(page.getByTestId('pool-row-pool "odd" --dash')).toBeVisible();
  await expect(page.locator('[data-testid^="pool-row-"]')).toHaveCount(POOL_TYPES.length + 1);

  // The SCSI pool: 100 GiB, more than that allocated, and libvirt's wrapped "available" shown as it is, with a note why.
  await expect(page.getByTestId('pool-capacity-pool-scsi')).toContainText('16 EiB');
  await expect(page.getByTestId('pool-capacity-pool-scsi').locator('.capacity-text')).toHaveAttribute('title', /18446744073709551615 B free/);
  await expect(page.getByTestId('pool-problems-pool-scsi')).toContainText('more than the capacity');
  await expect(page.getByTestId('pool-problems-pool-dir')).toHaveCount(0);

  await page.getByTestId('pool-row-pool-scsi').click();
  for (const name of ['Name', 'Name backup.qcow2', 'unit0:0:0:0']) await expect(page.getByTestId(`volume-row-${name}`)).toBeVisible();
  await expect(page.locator('[data-testid^="volume-row-"]')).toHaveCount(3);
  await expect(page.getByTestId('volume-capacity-Name backup.qcow2')).toHaveText('8 EiB');
  await expect(page.getByTestId('volume-capacity-Name backup.qcow2')).toHaveAttribute('title', '9223372036854775807 B');
  await expect(page.getByTestId('volume-capacity-unit0:0:0:0')).toHaveAttribute('title', '18446744073709551 B');

  await page.getByTestId('pool-row-pool "odd" --dash').click();
  await expect(page.getByTestId('volume-row---leading-dash.qcow2')).toBeVisible();

  // A stopped pool shows as inactive with its sizes unknown, next to the running ones.
  await page.getByTestId('pool-row-pool-dir').click();
  await page.getByTestId('pool-action-stop').click();
  await expect(page.getByTestId('pool-state-pool-dir')).toHaveAttribute('data-state', 'inactive');
  await expect(page.locator('[data-testid^="pool-row-"]')).toHaveCount(POOL_TYPES.length + 1);
});

test('domains in every run state the test driver makes, and networks of several forward modes, all show', async ({ page }) => {
  await openHost(page);
  for (const [name, state] of [['vm-running', 'running'], ['vm-shutoff', 'shutoff'], ['vm-crashed', 'crashed'], ['vm-pmsuspended', 'pmsuspended']] as const) {
    await expect(page.getByTestId(`vm-state-${name}`)).toHaveAttribute('data-state', state);
  }
  await page.getByTestId('host-tab-networks').click();
  for (const name of ['net-isolated', 'net open "q"', 'net-passthrough']) await expect(page.getByTestId(`network-row-${name}`)).toBeVisible();
});
