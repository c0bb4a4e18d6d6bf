import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { processesWithEnv } from '../support/processes';
import { until } from '../support/until';
import { startWebApp, type WebApp } from '../support/web-app';

let app: WebApp;
test.beforeEach(async () => {
  app = await startWebApp(['--connect', 'qemu:///system']);
});
test.afterEach(async () => {
  await app.stop();
});

test('a host page opens from its row: live CPU graph, readiness list, storage without "select a host"; leaving it ends the sampler', async ({ page }) => {
  await page.goto(app.url);
  await expect(page.getByTestId('host-status-local-system')).toHaveAttribute('data-state', 'connected');
  const instance = readFileSync(join(app.home, '.config', 'virtdeck', 'instance-id'), 'utf8').trim();
  const samplers = () => processesWithEnv(`VIRTDECK_CONNECTION=virtdeck-bound:${instance}:local-system`).filter((p) => p.cmdline.includes('@@end'));

  await page.getByTestId('host-page-open-local-system').click();
  await expect(page.getByTestId('host-page-local-system')).toBeVisible();
  await expect(page.getByTestId('host-hostname')).not.toBeEmpty();
  await expect(page.getByTestId('host-cpu-facts')).toContainText('CPUs');

  // The CPU graph moves: samples keep arriving, one per second.
  const cpu = page.getByTestId('host-cpu');
  await expect.poll(async () => Number(await cpu.getAttribute('data-samples')), { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
  const before = Number(await cpu.getAttribute('data-samples'));
  await expect.poll(async () => Number(await cpu.getAttribute('data-samples')), { timeout: 10_000 }).toBeGreaterThan(before);
  expect(Number(await cpu.getAttribute('data-last'))).toBeGreaterThanOrEqual(0);
  expect(samplers().length).toBeGreaterThan(0);

  await page.getByTestId('host-tab-readiness').click();
  const list = page.getByTestId('readiness-list');
  await expect(list).toBeVisible();
  // This machine's CPU has no vmx/svm: a FAIL, with what to do about it.
  await expect(page.getByTestId('readiness-cpu-virt')).toHaveAttribute('data-verdict', 'fail');
  await expect(page.getByTestId('readiness-cpu-virt')).toContainText('VT-x');
  await expect(page.getByTestId('readiness-kvm')).toBeVisible();
  await expect(page.getByTestId('readiness-validate')).toContainText('hardware virtualization');

  // "New VM" on the host page opens the wizard for this host.
  await page.getByTestId('host-page-newvm-local-system').click();
  await expect(page.getByTestId('newvm-wizard')).toBeVisible();
  await page.getByTestId('newvm-cancel').click();
  await expect(page.getByTestId('newvm-wizard')).toHaveCount(0);

  await page.getByTestId('host-tab-storage').click();
  await expect(page.getByTestId('storage-panel')).toBeVisible();
  await expect(page.getByText(/select a connected host/i)).toHaveCount(0);

  // Leaving the Overview unmounts the charts: the sampler on the host ends.
  await until(() => samplers().length === 0, 5000, 'the sampler ended after the page left the Overview');

  // By keyboard: the host's header row, then Enter on the list, opens its page again.
  await page.getByTestId('host-tab-vms').click();
  await page.getByTestId('host-row-local-system').click();
  await page.getByTestId('vm-tree').press('Enter');
  await expect(page.getByTestId('host-page-local-system')).toBeVisible();
});

test('the Devices tab of a host with an SR-IOV NIC: whole IOMMU groups, the PF and its VFs, and the VMs using a VF and a USB device', async ({ page }) => {
  const file = join(__dirname, '..', 'support', 'passthrough-host.xml');
  const devApp = await startWebApp(['--connect', `test://${file}`]);
  try {
    await page.goto(devApp.url);
    const row = page.locator('[data-testid^="host-row-"]', { hasText: file });
    await expect(row.locator('[data-testid^="host-status-"]')).toHaveAttribute('data-state', 'connected');
    await row.locator('[data-testid^="host-page-open-"]').click();
    await page.getByTestId('host-tab-devices').click();
    await expect(page.getByTestId('iommu-group-12')).toContainText('share an IOMMU group');
    await expect(page.getByTestId('iommu-group-7')).not.toContainText('share an IOMMU group');
    await expect(page.getByTestId('device-vfs-pci_0000_03_00_0')).toContainText('0000:03:10.0, 0000:03:10.2');
    await expect(page.getByTestId('device-used-pci_0000_03_10_0')).toHaveText('vd-pt-vf');
    await expect(page.getByTestId('device-used-pci_0000_03_10_2')).toHaveText('no VM');
    await expect(page.getByTestId('device-used-usb_1_4')).toHaveText('vd-pt-usb');

    // Detach shows its virsh command and what else the group holds; the test driver cannot
    // detach, and its own words say so in the dialog.
    await page.getByTestId('device-detach-pci_0000_03_00_0').click();
    await expect(page.getByTestId('nodedev-warn-group')).toContainText('0000:03:00.1');
    await page.getByTestId('command-preview').locator('summary').click();
    await expect(page.getByTestId('command-preview-text')).toContainText('nodedev-detach --device pci_0000_03_00_0');
    await page.getByTestId('action-run').click();
    await expect(page.getByTestId('action-error')).toContainText('not supported by the connection driver');
    await page.getByTestId('action-cancel').click();

    // Assign to VM: the free VF goes to vd-pt-usb through Add hardware's request (its define
    // shown first), and the tab then says who uses it.
    await page.getByTestId('device-assign-pci_0000_03_10_2').click();
    await page.getByTestId('assign-vm').selectOption({ label: 'vd-pt-usb' });
    await page.getByTestId('command-preview').locator('summary').click();
    await expect(page.getByTestId('command-preview-text')).toContainText('define');
    await page.getByTestId('action-run').click();
    await expect(page.getByTestId('assign-dialog')).toBeHidden();
    await expect(page.getByTestId('device-used-pci_0000_03_10_2')).toHaveText('vd-pt-usb');
    // The test driver has no /proc of its own: the Overview says so rather than graphing this machine.
    await page.getByTestId('host-tab-overview').click();
    await expect(page.getByTestId('host-charts-error')).toContainText('test driver');
  } finally {
    await devApp.stop();
  }
});
