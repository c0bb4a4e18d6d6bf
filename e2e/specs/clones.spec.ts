/**
 * Clone from the UI, in the browser over SSH to the local test host, on `vd-test-clone-src` (a
 * shut-off copy of the test guest with a qcow2 disk in a temp pool; no TCG boot here — the
 * integration test boots the clones). A full clone with the default name and its shown
 * commands; the source marked as a template; Start on the template asks first; "New VM from
 * template" makes a linked clone whose file has the template's disk as its base.
 */
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { CLONE_SRC, makeCloneSource, type CloneGuest } from '../../electron/libvirt/testing/clone-guest';
import { rootRunner } from '../../electron/libvirt/testing/snapshot-guest';
import { testHost } from '../support/test-host';
import { connectOverSsh } from '../support/connect-over-ssh';
import { startWebApp, type WebApp } from '../support/web-app';

const th = testHost();
const virsh = (...a: string[]) => spawnSync('virsh', ['-c', 'qemu:///system', ...a], { encoding: 'utf8' });

let app: WebApp;
let src: CloneGuest;
test.beforeEach(async () => {
  src = await makeCloneSource(th, rootRunner);
  app = await startWebApp();
});
test.afterEach(async ({}, ti) => {
  if (ti.status !== ti.expectedStatus) console.log(app?.output());
  await app?.stop();
  src?.cleanup();
});

test('clone from the UI: a full copy with its commands shown; then template, Start asks first, New VM from template is linked', async ({ page }) => {
  await connectOverSsh(page, app.url, th);
  const row = page.getByTestId(`vm-row-${CLONE_SRC.name}`);
  await row.click({ button: 'right' });
  await page.getByTestId('vm-menu-clone').click();
  const dialog = page.getByTestId('clone-dialog');
  await expect(page.getByTestId('clone-name')).toHaveValue('vd-test-clone-src-clone');
  await expect(page.getByTestId('clone-mode-vdb')).toHaveValue('copy');
  await expect(page.getByTestId('clone-off-vdb-linked')).toContainText('mark the VM as a template first');
  await expect(page.getByTestId('clone-newname-vdb')).toHaveValue('vd-test-clone-src-clone-disk.qcow2');
  await page.getByTestId('clone-newname-vdb').fill('full copy.qcow2');
  await dialog.getByTestId('command-preview').locator('summary').click();
  const poolUuid = virsh('pool-uuid', '--pool', 'vd-test-clone-pool').stdout.trim();
  await expect(page.getByTestId('command-preview-text')).toContainText(`vol-clone --pool ${poolUuid} --vol vd-test-clone-src-disk.qcow2 --newname 'full copy.qcow2'`);
  await expect(page.getByTestId('command-preview-text')).toContainText('define --file /dev/stdin --validate');
  await page.getByTestId('action-run').click();
  await expect(page.getByTestId('vm-row-vd-test-clone-src-clone')).toBeVisible();
  expect(existsSync(join(src.dir, 'full copy.qcow2'))).toBe(true);
  expect(virsh('dumpxml', '--inactive', '--domain', 'vd-test-clone-src-clone').stdout).toContain(`<source file='${join(src.dir, 'full copy.qcow2')}'/>`);

  // Mark the source as a template (a redefine, its command shown in the dialog).
  await row.click({ button: 'right' });
  await page.getByTestId('vm-menu-marktemplate').click();
  await page.getByTestId('template-dialog').getByTestId('action-run').click();
  await expect(page.getByTestId('template-dialog')).toBeHidden();
  await expect(page.getByTestId(`vm-template-${CLONE_SRC.name}`)).toHaveText('template');

  // Start asks first and, cancelled, starts nothing.
  await row.click({ button: 'right' });
  await expect(page.getByTestId('vm-menu-fromtemplate')).toBeVisible();
  await page.getByTestId('vm-menu-start').click();
  await expect(page.getByTestId('confirm-dialog')).toContainText('is a template');
  await page.getByTestId('confirm-cancel').click();
  expect(virsh('domstate', '--domain', CLONE_SRC.uuid).stdout.trim()).toBe('shut off');

  // New VM from template: linked by default.
  await row.click({ button: 'right' });
  await page.getByTestId('vm-menu-fromtemplate').click();
  await expect(page.getByTestId('clone-mode-vdb')).toHaveValue('linked');
  await page.getByTestId('clone-name').fill('vd-test-clone-ui-linked');
  await page.getByTestId('clone-newname-vdb').fill('ui-linked.qcow2');
  await page.getByTestId('action-run').click();
  await expect(page.getByTestId('vm-row-vd-test-clone-ui-linked')).toBeVisible();
  const vol = virsh('vol-dumpxml', '--vol', join(src.dir, 'ui-linked.qcow2')).stdout;
  expect(vol).toContain(`<backingStore>\n    <path>${src.disk}</path>`);

  // Its backing chain is shown when it is cloned in turn.
  await page.getByTestId('vm-row-vd-test-clone-ui-linked').click({ button: 'right' });
  await page.getByTestId('vm-menu-clone').click();
  await expect(page.getByTestId('clone-chain-vdb')).toHaveText(`Backing chain: ${join(src.dir, 'ui-linked.qcow2')} → ${src.disk}`);
  await page.getByTestId('action-cancel').click();
});
