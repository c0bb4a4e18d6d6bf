/**
 * The host page's Backups tab in the browser, over SSH to the local test host: a backup of a VM
 * deleted since is still listed there (marked "deleted"), restored as a new VM through the same
 * dialog as the VM's tab, and deleted with its files. Own guest and pool (`vd-test-bsweep-ui`).
 */
import { existsSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { makeBackupGuests, virsh, type BackupGuestIds, type BackupGuests } from '../../electron/libvirt/backups/testing/backup-guests';
import { testHost } from '../support/test-host';
import { connectOverSsh } from '../support/connect-over-ssh';
import { startWebApp, type WebApp } from '../support/web-app';

const IDS: BackupGuestIds = {
  clone: { name: 'vd-test-bsweep-ui', uuid: '5d7e57a1-0000-4e2e-8d0c-7e57c0ffbd01', mac: '52:54:00:7e:bd:01' },
  big: { name: 'vd-test-bsweep-ui-big', uuid: '5d7e57a1-0000-4e2e-8d0c-7e57c0ffbd02', mac: '52:54:00:7e:bd:02' },
  pool: 'vd-test-bsweep-ui-pool',
  restoredPrefix: 'vd-test-bsweep-ui-restored',
};
const th = testHost();
let app: WebApp;
let guests: BackupGuests;
test.beforeEach(async () => {
  guests = makeBackupGuests(th, { big: false, ids: IDS });
  app = await startWebApp();
});
test.afterEach(async ({}, ti) => {
  if (ti.status !== ti.expectedStatus) console.log(app?.output());
  await app?.stop();
  guests?.cleanup();
});

test('a backup of a deleted VM: listed on the host page, restored as a new VM, deleted', async ({ page }) => {
  await connectOverSsh(page, app.url, th);
  await page.getByTestId(`vm-row-${IDS.clone.name}`).dblclick();
  await page.getByTestId('details-tab-backups').click();
  await page.getByTestId('backup-create').click();
  await expect(page.getByTestId('backup-create-dialog')).toContainText('shut-off VM (volume copy)');
  await page.getByTestId('backup-pool').selectOption(IDS.pool);
  await page.getByTestId('action-run').click();
  await expect(page.getByTestId('backups-notice')).toContainText(`(${IDS.pool})`, { timeout: 60_000 });
  const id = (await page.getByTestId('backup-row').getAttribute('data-id'))!;
  const file = `${guests.dir}/${IDS.clone.name}.backup-${id}.vdb.qcow2`;
  expect(existsSync(file)).toBe(true);

  // The VM goes; its backup stays in the pool.
  await page.getByTestId('details-close').click();
  expect(virsh('undefine', '--domain', IDS.clone.uuid).status).toBe(0);
  await page.getByTestId('host-tab-backups').click();
  const row = page.locator(`[data-testid="host-backup-row"][data-vm="${IDS.clone.uuid}"]`);
  await expect(row).toHaveCount(1);
  await expect(row).toHaveAttribute('data-status', 'complete');
  await expect(row).toContainText(IDS.clone.name);
  await expect(row.getByTestId('host-backup-deleted')).toBeVisible();

  const name = `${IDS.restoredPrefix} 1`;
  await row.getByTestId('host-backup-restore-new').click();
  await page.getByTestId('backup-restore-name').fill(name);
  await page.getByTestId('backup-restore-pool').selectOption(IDS.pool);
  await page.getByTestId('command-preview').locator('summary').click();
  await expect(page.getByTestId('command-preview-text')).toContainText(`vol-create-from --pool ${IDS.pool}`);
  await page.getByTestId('action-run').click();
  await expect(page.getByTestId('host-backups-notice')).toHaveText(name);
  expect(virsh('domstate', '--domain', name).stdout.trim()).toBe('shut off');
  expect(virsh('dumpxml', '--domain', name).stdout).toContain(`${guests.dir}/${IDS.restoredPrefix}_1.vdb.qcow2`);

  await row.getByTestId('host-backup-delete').click();
  await expect(page.getByTestId('backup-delete-dialog')).toContainText(`${IDS.clone.name}.backup-${id}.vdb.qcow2`);
  await page.getByTestId('action-run').click();
  await expect(row).toHaveCount(0);
  expect(existsSync(file)).toBe(false);
});
