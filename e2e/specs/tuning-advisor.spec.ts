/**
 * The Tuning tab's CPU map and advisor as a person uses them in the browser, over SSH as the
 * test user, on `vd-test-tunecpu-adv2`: a shut-off copy of the test guest with debian12
 * osinfo metadata, an IDE disk and an e1000 NIC (electron/hostinfo/tuning/testing/tune-guests.ts).
 * vCPU 0 is pinned from its row (persistent only: the VM is off, and the dialog says why live is
 * off) and unpinned from its chip on the map, then one advisor fix is applied after its preview, goes from the list, and is undone.
 */
import { expect, test } from '@playwright/test';
import { ADV_E2E_CLONE, defineAdvisorGuest, tuneGuestDir, vcpupinTable, virsh, type TuneGuests } from '../../electron/hostinfo/tuning/testing/tune-guests';
import { connectOverSsh } from '../support/connect-over-ssh';
import { testHost } from '../support/test-host';
import { startWebApp, type WebApp } from '../support/web-app';

const th = testHost();
let app: WebApp;
let guests: TuneGuests;
test.beforeEach(async () => {
  guests = tuneGuestDir([ADV_E2E_CLONE]);
  defineAdvisorGuest(th, ADV_E2E_CLONE, guests.dir);
  app = await startWebApp();
});
test.afterEach(async ({}, ti) => {
  if (ti.status !== ti.expectedStatus) console.log(app?.output());
  await app?.stop();
  guests?.cleanup();
});

test('Tuning tab: pin vCPU 0, unpin it from the CPU map, apply the advisor’s disk fix after its preview, the finding goes, undo brings the old XML back', async ({ page }) => {
  test.setTimeout(120_000);
  const vm = ADV_E2E_CLONE.name;
  const original = virsh('dumpxml', '--inactive', '--domain', ADV_E2E_CLONE.uuid).stdout;
  const hostId = await connectOverSsh(page, app.url, th);
  await page.getByTestId(`host-page-open-${hostId}`).click();
  await page.getByTestId('host-tab-tuning').click();
  await expect(page.getByTestId('tuning-tab')).toBeVisible();
  await expect(page.getByTestId('cpu-map-summary')).toHaveText('2 CPUs in 1 socket(s), 1 NUMA cell(s)');

  // Pin vCPU 0 to CPU 1: persistent; live is off and says why.
  await page.getByTestId(`pin-open-${vm}`).click();
  await expect(page.getByTestId('scope-live')).toBeDisabled();
  await expect(page.getByTestId('scope-live-why')).toContainText('is not running');
  await page.getByTestId('pin-cpu-1').check();
  await page.getByTestId('command-preview').locator('summary').click();
  await expect(page.getByTestId('command-preview-text')).toContainText(`vcpupin --domain ${ADV_E2E_CLONE.uuid} --vcpu 0 --cpulist 1 --config`);
  await page.getByTestId('action-run').click();
  await expect(page.getByTestId(`pin-vm-vcpus-${vm}`)).toHaveText('v0→1');
  await expect(page.getByTestId('cpu-1').locator(`[data-testid="cpu-pin"][data-vm="${vm}"]`)).toHaveText(`${vm}:v0`);
  expect(vcpupinTable(ADV_E2E_CLONE.uuid, '--config')['0']).toBe('1');

  // Unpin from the map: its chip opens the form on that vCPU, with its CPU checked.
  await page.getByTestId('cpu-1').locator(`[data-testid="cpu-pin"][data-vm="${vm}"]`).click();
  await expect(page.getByTestId('pin-target')).toHaveValue('vcpu:0');
  await expect(page.getByTestId('pin-cpu-1')).toBeChecked();
  await page.getByTestId('pin-unpin').check();
  await page.getByTestId('command-preview').locator('summary').click();
  await expect(page.getByTestId('command-preview-text')).toContainText(`vcpupin --domain ${ADV_E2E_CLONE.uuid} --vcpu 0 --cpulist 0-1 --config`);
  await page.getByTestId('action-run').click();
  await expect(page.locator(`[data-testid="cpu-pin"][data-vm="${vm}"]`)).toHaveCount(0);
  expect(vcpupinTable(ADV_E2E_CLONE.uuid, '--config')['0']).toBe('0-1');
  const pinned = virsh('dumpxml', '--inactive', '--domain', ADV_E2E_CLONE.uuid).stdout;

  // The advisor: the IDE disk's finding with evidence and warnings; its fix previewed, applied, gone.
  const disk = page.locator(`[data-testid="finding"][data-rule="disk-bus"][data-vm="${vm}"]`);
  await expect(disk.getByTestId('finding-evidence')).toContainText('disk hda on bus ide');
  await expect(page.locator(`[data-testid="finding"][data-rule="nic-model"][data-vm="${vm}"]`)).toContainText('model e1000');
  await expect(disk.getByTestId('finding-fix')).toContainText('/dev/sdX');
  await disk.getByTestId('finding-apply').click();
  await expect(page.getByTestId('fix-diff')).toContainText("<target dev='vda' bus='virtio'/>");
  await page.getByTestId('fix-dialog').getByTestId('command-preview').locator('summary').click();
  await expect(page.getByTestId('command-preview-text')).toContainText('define --file /dev/stdin --validate');
  await expect(page.getByTestId('command-preview-text')).toContainText("<target dev='vda' bus='virtio'/>");
  await page.getByTestId('action-run').click();
  await expect(page.getByTestId('advisor-notice')).toContainText(`The replaced definition of ${vm} is in its history.`);
  await expect(disk).toHaveCount(0);
  expect(virsh('dumpxml', '--inactive', '--domain', ADV_E2E_CLONE.uuid).stdout).toMatch(/<target dev='vda' bus='virtio'\/>/);

  // Undo: the definition from before the fix is back, and so is the finding.
  await page.getByTestId('advisor-undo').click();
  await expect(page.getByTestId('advisor-notice')).toContainText(`the previous definition of ${vm} is back`);
  await expect(disk).toHaveCount(1);
  expect(virsh('dumpxml', '--inactive', '--domain', ADV_E2E_CLONE.uuid).stdout).toBe(pinned);
  expect(pinned).not.toBe(original); // the pin (now to every CPU) stayed: undo took back the fix only
});
