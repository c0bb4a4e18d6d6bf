/**
 * The Backups tab in the browser, over SSH to the local test host, on `vd-test-backup` (a copy
 * of the test guest with a qcow2 v3 disk in a temp pool; started, no wait for its banner: the
 * backup only needs a live domain). Back up (backup-begin into pool volumes, commands shown
 * first), the list, restore as a new VM, delete; save/restore to a file sit next to it.
 */
import { existsSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { BACKUP_CLONE, BACKUP_POOL, makeBackupGuests, RESTORED_PREFIX, virsh, type BackupGuests } from '../../electron/libvirt/backups/testing/backup-guests';
import { testHost } from '../support/test-host';
import { connectOverSsh } from '../support/connect-over-ssh';
import { startWebApp, type WebApp } from '../support/web-app';

const th = testHost();
let app: WebApp;
let guests: BackupGuests;
test.beforeEach(async () => {
  guests = makeBackupGuests(th, { big: false });
  expect(virsh('start', '--domain', BACKUP_CLONE.uuid).status).toBe(0);
  app = await startWebApp();
});
test.afterEach(async ({}, ti) => {
  if (ti.status !== ti.expectedStatus) console.log(app?.output());
  await app?.stop();
  guests?.cleanup();
});

test('backups from the UI: back up the running VM into a pool, restore it as a new VM, delete it; save/restore to a file beside it', async ({ page }) => {
  await connectOverSsh(page, app.url, th);
  await page.getByTestId(`vm-row-${BACKUP_CLONE.name}`).dblclick();
  await page.getByTestId('details-tab-backups').click();
  const tab = page.getByTestId('backups-tab');
  await expect(tab).toContainText('No backup of this VM');
  await expect(page.getByTestId('backup-savefile')).toBeEnabled();
  await expect(page.getByTestId('backup-restorefile')).toBeVisible();

  await page.getByTestId('backup-create').click();
  await expect(page.getByTestId('backup-create-dialog')).toContainText('Method: running VM (backup-begin)');
  await expect(page.getByTestId('backup-incremental-off')).toContainText('the first backup is full');
  await page.getByTestId('backup-pool').selectOption(BACKUP_POOL);
  await page.getByTestId('command-preview').locator('summary').click();
  await expect(page.getByTestId('command-preview-text')).toContainText(`backup-begin --domain ${BACKUP_CLONE.uuid} --backupxml /dev/stdin --reuse-external`);
  await page.getByTestId('action-run').click();
  await expect(page.getByTestId('backups-notice')).toContainText(`(${BACKUP_POOL})`, { timeout: 60_000 });
  const row = page.getByTestId('backup-row');
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('running VM (backup-begin)');
  const id = (await row.getAttribute('data-id'))!;
  const file = `${guests.dir}/${BACKUP_CLONE.name}.backup-${id}.vdb.qcow2`;
  expect(existsSync(file)).toBe(true);

  // A second backup may now be incremental (the first made a checkpoint).
  await page.getByTestId('backup-create').click();
  await expect(page.getByTestId('backup-incremental')).toBeChecked();
  await page.getByTestId('action-cancel').click();

  const name = `${RESTORED_PREFIX}-ui`;
  await row.getByTestId('backup-restore-new').click();
  await page.getByTestId('backup-restore-name').fill(name);
  await page.getByTestId('backup-restore-pool').selectOption(BACKUP_POOL);
  await page.getByTestId('action-run').click();
  await expect(page.getByTestId('backups-notice')).toHaveText(name);
  expect(virsh('domstate', '--domain', name).stdout.trim()).toBe('shut off');
  expect(virsh('dumpxml', '--domain', name).stdout).toContain(`${guests.dir}/${name}.vdb.qcow2`);

  await row.getByTestId('backup-delete').click();
  await expect(page.getByTestId('backup-delete-dialog')).toContainText(`${BACKUP_CLONE.name}.backup-${id}.vdb.qcow2`);
  await page.getByTestId('action-run').click();
  await expect(page.getByTestId('backup-row')).toHaveCount(0);
  expect(existsSync(file)).toBe(false);
  expect(virsh('checkpoint-list', '--domain', BACKUP_CLONE.uuid, '--name').stdout.trim()).toBe('');
});
