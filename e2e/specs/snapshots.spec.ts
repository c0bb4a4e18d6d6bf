/**
 * The Snapshots tab as a person uses it in the browser, over SSH to the local test host, on
 * `vd-test-snap` (a copy of the test guest with a qcow2 disk in a temp pool, shut off: no TCG
 * boot). Create offers only what libvirt accepts and says why the rest is off; an external
 * snapshot cannot be reverted on libvirt 9.0 and the dialog says so without a button; deleting
 * it shows its overlay merged; an internal revert is confirmed with what is lost. (An external
 * snapshot over an internal parent cannot be deleted by libvirt 9.0: snapshot-plan.test.ts.)
 */
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { makeSnapGuests, rootRunner, SNAP_CLONE, type SnapGuest } from '../../electron/libvirt/testing/snapshot-guest';
import { testHost } from '../support/test-host';
import { connectOverSsh } from '../support/connect-over-ssh';
import { startWebApp, type WebApp } from '../support/web-app';

const th = testHost();
const virsh = (...a: string[]) => spawnSync('virsh', ['-c', 'qemu:///system', ...a], { encoding: 'utf8' });

let app: WebApp;
let guest: SnapGuest;
test.beforeEach(async () => {
  guest = await makeSnapGuests(th, rootRunner);
  app = await startWebApp();
});
test.afterEach(async ({}, ti) => {
  if (ti.status !== ti.expectedStatus) console.log(app?.output());
  await app?.stop();
  guest?.cleanup();
});

test('snapshots from the UI: external created, its revert refused with the reason, deleted by merging; internal tree, revert confirmed, description edited, reload when shown', async ({ page }) => {
  await connectOverSsh(page, app.url, th);
  await page.getByTestId(`vm-row-${SNAP_CLONE.name}`).dblclick();
  await page.getByTestId('details-tab-snapshots').click();
  const tab = page.getByTestId('snapshots-tab');
  await expect(tab).toContainText('This VM has no snapshots.');

  // Shut off: no memory to save, so internal-with-memory is off and says why.
  await page.getByTestId('snapshot-create').click();
  await expect(page.getByTestId('snapshot-mode-internal-memory')).toBeDisabled();
  await expect(page.getByTestId('snapshot-why-internal-memory')).toContainText('the VM is shut off');
  await page.getByTestId('snapshot-mode-external-disk').check();
  await page.getByTestId('snapshot-name').fill('ui-ext');
  await page.getByTestId('snapshot-description').fill('from the UI');
  const overlay = join(guest.dir, 'disk.ui-ext.qcow2');
  await page.getByTestId('command-preview').locator('summary').click();
  await expect(page.getByTestId('command-preview-text')).toContainText(
    `snapshot-create-as --domain ${SNAP_CLONE.uuid} --name ui-ext --description 'from the UI' --disk-only --diskspec vdb,snapshot=external,file=${overlay} --atomic`,
  );
  await page.getByTestId('action-run').click();
  const ext = page.locator('[data-testid="snapshot-item"][data-name="ui-ext"]');
  await expect(ext).toHaveAttribute('data-current', 'true');
  await expect(ext).toContainText('from the UI');
  await expect(ext).toContainText(`overlay of vdb: ${overlay}`);
  await expect(ext.getByTestId('snapshot-kind')).toHaveText('external, disk only');

  // libvirt 9.0 cannot revert to it: the dialog says so and offers no button.
  await ext.getByTestId('snapshot-revert').click();
  await expect(page.getByTestId('snapshot-revert-refused')).toContainText('revert to external snapshot not supported yet (libvirt 9.0.0');
  await expect(page.getByTestId('action-run')).toBeDisabled();
  await page.getByTestId('action-cancel').click();

  // Deleting it: libvirt merges the overlay back; what goes is shown first.
  await ext.getByTestId('snapshot-delete').click();
  await expect(page.getByTestId('snapshot-goes')).toContainText(`${overlay} — merged back into its backing file by libvirt`);
  await page.getByTestId('action-run').click();
  await expect(page.getByTestId('snapshots-notice')).toContainText('Deleted ui-ext. Removed by Virtdeck: none.');
  await expect(page.locator('[data-testid="snapshot-item"]')).toHaveCount(0);
  expect(existsSync(overlay)).toBe(false);

  // Internal disk-only, a child under it, and a revert to the first: the confirmation says what is lost.
  for (const name of ['ui-base', 'ui-child']) {
    await page.getByTestId('snapshot-create').click();
    await expect(page.getByTestId('snapshot-mode-internal-disk')).toBeChecked();
    await page.getByTestId('snapshot-name').fill(name);
    await page.getByTestId('action-run').click();
    await expect(page.locator(`[data-testid="snapshot-item"][data-name="${name}"]`)).toHaveAttribute('data-current', 'true');
  }
  const base = page.locator('[data-testid="snapshot-item"][data-name="ui-base"]');
  await expect(base.locator('[data-testid="snapshot-item"][data-name="ui-child"]')).toBeVisible(); // drawn under its parent
  await base.getByTestId('snapshot-revert').first().click();
  await expect(page.getByTestId('snapshot-revert-lost')).toContainText('Everything the VM did since “ui-base” was taken');
  await page.getByTestId('action-run').click();
  await expect(base).toHaveAttribute('data-current', 'true');
  expect(virsh('snapshot-current', '--domain', SNAP_CLONE.uuid, '--name').stdout.trim()).toBe('ui-base');

  // A description edited in place.
  await base.getByTestId('snapshot-describe').first().click();
  await page.getByTestId('snapshot-describe-text').fill('edited here');
  await page.getByTestId('action-run').click();
  await expect(base.locator('.snapshot-description').first()).toHaveText('edited here');

  // Shown again after another tab: reloaded from the host (a snapshot made outside appears).
  expect(virsh('snapshot-create-as', '--domain', SNAP_CLONE.uuid, '--name', 'outside').status).toBe(0);
  await page.getByTestId('details-tab-overview').click();
  await page.getByTestId('details-tab-snapshots').click();
  await expect(page.locator('[data-testid="snapshot-item"][data-name="outside"]')).toBeVisible();
});
