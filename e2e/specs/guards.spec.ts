/**
 * Say "no" before the user clicks (issue 14): on the local host, a copy of the test guest whose
 * disk is the base of another copy's overlay (a <disk type='volume'>, as New VM's cloud overlays
 * are). The VM delete dialog shows that disk as kept, "base of VM …", and it cannot be ticked; on
 * the Storage page the base volume's Delete is off, saying whose base it is. Nothing is deleted.
 */
import { existsSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { makeLinkedPair, type LinkedPair } from '../../electron/libvirt/testing/guards-pair';
import { testHost } from '../support/test-host';
import { startWebApp, type WebApp } from '../support/web-app';

const th = testHost();
let app: WebApp;
let pair: LinkedPair;
test.beforeEach(async () => {
  pair = makeLinkedPair(th, 'e2e');
  app = await startWebApp(['--connect', 'qemu:///system']);
});
test.afterEach(async ({}, ti) => {
  if (ti.status !== ti.expectedStatus) console.log(app?.output());
  await app?.stop();
  pair?.cleanup();
});

test('the delete dialog shows a base disk as kept ("base of VM …") and the Storage page keeps Delete off for it', async ({ page }) => {
  await page.goto(app.url);
  await expect(page.getByTestId('host-status-local-system')).toHaveAttribute('data-state', 'connected');
  await page.getByTestId('host-row-local-system').click();

  await page.getByTestId(`vm-row-${pair.baseVm.name}`).click({ button: 'right' });
  await page.getByTestId('vm-menu-delete').click();
  const dialog = page.getByTestId('delete-dialog');
  await expect(dialog.getByTestId('delete-disk-vdb-kept')).toHaveText(`kept: base of VM “${pair.linkedVm.name}” (vdb)`);
  await expect(dialog.getByTestId('delete-disk-vdb')).toBeDisabled();
  await expect(dialog.getByTestId('delete-disk-vdb')).not.toBeChecked();
  await dialog.getByTestId('delete-cancel').click();
  await expect(dialog).toBeHidden();

  await page.getByTestId('host-tab-storage').click();
  await page.getByTestId(`pool-row-${pair.pool}`).click();
  await page.getByTestId('volume-row-base.qcow2').click();
  const del = page.getByTestId('volume-action-delete');
  await expect(del).toBeDisabled();
  await expect(del).toHaveAttribute('title', /base \(backing file\) of volume “cloud "\$\(x\)" overlay\.qcow2”/);
  expect(existsSync(pair.base)).toBe(true);
});
