/**
 * Say "no" before the user clicks (issue 14): on the local host, a copy of the test guest whose
 * disk is the base of another copy's overlay (a <disk type='volume'>, as New VM's cloud overlays
 * are). The VM delete dialog shows that disk as kept, "base of VM …", and it cannot be ticked; on
 * the Storage page the base volume's Delete is off, saying whose base it is. Nothing is deleted.
 * Issue 17: Start in the VM list on a hugepage-backed copy, with 0 free hugepages (none are
 * allocated on the shared host), says why it would not start before anything runs.
 */
import { existsSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { makeLinkedPair, type LinkedPair } from '../../electron/libvirt/testing/guards-pair';
import { cloneXmlOf, defineValidated, removeClone, type CloneId } from '../../electron/libvirt/testing/details-guest';
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

const HUGE_VM: CloneId = { name: 'vd-test-guards-e2e-huge', uuid: '5d7e57a1-0000-4e2e-8d0c-9a4d00002b03', mac: '52:54:00:9a:2d:03' };
const virsh = (...a: string[]) => spawnSync('virsh', ['-c', 'qemu:///system', ...a], { encoding: 'utf8' });

test('Start in the VM list says why a hugepage-backed VM would not start, and Cancel starts nothing', async ({ page }) => {
  expect(Number(/HugePages_Free:\s+(\d+)/.exec(readFileSync('/proc/meminfo', 'utf8'))?.[1])).toBe(0);
  removeClone(HUGE_VM);
  defineValidated(HUGE_VM.name, cloneXmlOf(th, HUGE_VM).replace('</currentMemory>', '</currentMemory>\n  <memoryBacking><hugepages/></memoryBacking>'));
  try {
    await page.goto(app.url);
    await expect(page.getByTestId('host-status-local-system')).toHaveAttribute('data-state', 'connected');
    await page.getByTestId('host-row-local-system').click();
    await page.getByTestId(`vm-row-${HUGE_VM.name}`).click({ button: 'right' });
    await page.getByTestId('vm-menu-start').click();
    await expect(page.getByTestId('start-refused')).toContainText(`“${HUGE_VM.name}”: It needs 64 pages of 2048 KiB (128 MiB); 0 are free.`);
    await expect(page.getByTestId('confirm-ok')).toHaveText('Try to start anyway');
    await page.getByTestId('confirm-cancel').click();
    await expect(page.getByTestId('confirm-dialog')).toBeHidden();
    expect(virsh('domstate', '--domain', HUGE_VM.uuid).stdout.trim()).toBe('shut off');
  } finally {
    removeClone(HUGE_VM);
  }
});
