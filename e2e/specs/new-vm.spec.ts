/**
 * New VM, as a person uses it in the browser over SSH to the local test host: the wizard from
 * the test ISO (a volume of a pool) to the guest's banner on the serial console, customizing the
 * vCPU count in the details editor before the installation begins; and a failing name that keeps
 * everything typed.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { connectOverSsh } from '../support/connect-over-ssh';
import { TEST_HOST_ENV, testHost } from '../support/test-host';
import { startWebApp, type WebApp } from '../support/web-app';

const th = testHost();
const env = JSON.parse(readFileSync(TEST_HOST_ENV, 'utf8')) as { TEST_ISO: string; TEST_ISO_VOLID: string; KERNEL: string; INITRD: string };
const POOL = `vd-test-newvm pool ${process.pid}`;
// Hostile on purpose (libvirt refuses only '/'): quotes, $(…), a dash option, spaces. Every name reaches virsh as one argument.
const VM = `vd-test-newvm '$(touch ~pwned)' "q" -x`;
const ISO = 'test install.iso';
const virsh = (...a: string[]) => spawnSync('virsh', ['-c', 'qemu:///system', ...a], { encoding: 'utf8' });

test.use({ actionTimeout: 20_000 });

let app: WebApp;
let poolDir: string;

function removeVm() {
  virsh('destroy', '--domain', VM);
  virsh('undefine', '--domain', VM, '--nvram', '--tpm');
}

test.beforeEach(async () => {
  removeVm();
  // Under /var/tmp and world-traversable: QEMU (another user) reads the ISO from here.
  poolDir = mkdtempSync('/var/tmp/vd-newvm-pool-');
  chmodSync(poolDir, 0o755);
  copyFileSync(env.TEST_ISO, join(poolDir, ISO));
  virsh('pool-define-as', POOL, 'dir', '--target', poolDir);
  virsh('pool-start', POOL);
  app = await startWebApp();
});

test.afterEach(async () => {
  await app.stop();
  removeVm();
  virsh('pool-destroy', POOL);
  virsh('pool-undefine', POOL);
  rmSync(poolDir, { recursive: true, force: true });
});

const terminalText = (page: Page) => page.getByTestId('serial-terminal').locator('.xterm-rows').innerText();

/** Source (the ISO volume) → OS (detected as unknown) → 256 MiB, 1 vCPU → a 64 MiB qcow2 → user networking. */
async function fillUpToFinish(page: Page) {
  const wizard = page.getByTestId('newvm-wizard');
  await wizard.getByTestId('newvm-source-iso').check();
  await wizard.getByTestId('newvm-iso-pool').selectOption({ label: POOL });
  await wizard.getByTestId('newvm-iso-volume').selectOption(ISO);
  await wizard.getByTestId('newvm-next').click();

  await expect(wizard.getByTestId('newvm-detect')).toContainText(env.TEST_ISO_VOLID);
  await wizard.getByTestId('newvm-next').click();

  await wizard.getByTestId('newvm-memory').fill('256');
  await wizard.getByTestId('newvm-vcpus').fill('1');
  await expect(wizard.getByTestId('newvm-host-limits')).toBeVisible();
  await wizard.getByTestId('newvm-next').click();

  await wizard.getByTestId('newvm-storage-new').check();
  await wizard.getByTestId('newvm-pool').selectOption(virsh('pool-uuid', POOL).stdout.trim());
  await wizard.getByTestId('newvm-size').fill('0.0625');
  await wizard.getByTestId('newvm-next').click();

  await wizard.getByTestId('newvm-net-user').check();
  await wizard.getByTestId('newvm-next').click();
  await expect(wizard.getByTestId('newvm-step-finish')).toBeVisible();
  return wizard;
}

test('from the test ISO to the guest banner: customize before install changes the vCPUs, then the installation boots it', async ({ page }) => {
  test.setTimeout(240_000);
  const hostId = await connectOverSsh(page, app.url, th);
  // Alt+N in the browser (Ctrl+N belongs to the browser there).
  await page.keyboard.press('Alt+n');
  const wizard = await fillUpToFinish(page);

  await wizard.getByTestId('newvm-name').fill(VM);
  // The test kernel has no AHCI driver: an IDE CD-ROM (pc) is one it sees. TCG keeps it independent of /dev/kvm.
  await wizard.getByTestId('newvm-machine').selectOption('pc');
  if (await wizard.getByTestId('newvm-domain-type').count()) await wizard.getByTestId('newvm-domain-type').selectOption('qemu');
  await wizard.getByTestId('newvm-console').selectOption('serial');
  await wizard.getByTestId('newvm-customize').check();
  // What will happen, before anything does: the XML, the virsh commands, the virt-install line.
  await expect(wizard.getByTestId('newvm-virt-install')).toContainText('virt-install');
  await expect(wizard.getByTestId('newvm-virt-install')).toContainText('device=cdrom');
  await expect(wizard.getByTestId('command-preview-text')).toContainText('define --validate --file /dev/stdin');
  await expect(wizard.getByTestId('newvm-xml')).toContainText('<domain');
  await wizard.getByTestId('newvm-create').click();

  // Defined, not started, and its details open with "Begin installation".
  await expect(page.getByTestId('newvm-install-bar')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('details-state')).toHaveAttribute('data-state', 'shutoff');
  await page.getByTestId('details-tab-hardware').click();
  await page.getByTestId('hw-vcpu-max').fill('2');
  await page.getByTestId('hw-vcpu-current').fill('2');
  await page.getByTestId('hw-form-cpus').getByTestId('hw-apply').click();
  await expect.poll(() => virsh('vcpucount', '--domain', VM, '--config', '--current').stdout.trim()).toBe('2');
  await page.getByTestId('newvm-begin-install').click();

  // The install configuration runs with the customized vCPUs; the serial console shows the guest's banner.
  await expect(page.getByTestId('serial-console')).toHaveAttribute('data-phase', 'open', { timeout: 30_000 });
  await expect.poll(() => terminalText(page), { timeout: 90_000 }).toContain(th.GUEST_BANNER);
  expect(virsh('vcpucount', '--domain', VM, '--live').stdout.trim()).toBe('2');
  await expect(page.getByTestId(`vm-phase-${VM}`)).toHaveAttribute('data-phase', 'installing');
  // The persistent definition is already the final one (no CD-ROM boot), with the customized vCPUs.
  const inactive = virsh('dumpxml', '--domain', VM, '--inactive').stdout;
  expect(inactive).not.toContain(ISO);
  expect(inactive).toMatch(/<vcpu[^>]*>2<\/vcpu>/);

  // The installer powers off: Virtdeck starts the VM again, now on the final configuration, and the mark goes.
  await page.getByTestId('serial-terminal').click();
  await page.keyboard.type('poweroff -f');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId(`vm-phase-${VM}`)).toHaveCount(0, { timeout: 60_000 });
  await expect(page.getByTestId(`vm-state-${VM}`)).toHaveAttribute('data-state', 'running', { timeout: 30_000 });
  expect(virsh('dumpxml', '--domain', VM).stdout).not.toContain(ISO);
  // The name was never run by a shell.
  for (const home of ['/root', '/home/vdtest', '/var/lib/libvirt']) expect(existsSync(join(home, 'pwned')) || existsSync(`${home}pwned`)).toBe(false);
  void hostId;
});

test('a name already taken is refused before anything is created, and everything typed is kept', async ({ page }) => {
  const hostId = await connectOverSsh(page, app.url, th);
  await page.getByTestId('new-vm').click();
  // Two hosts are connected (the demo host too): the first step picks one, the active one by default.
  await expect(page.getByTestId('newvm-host')).toHaveValue(hostId);
  await expect(page.getByTestId('newvm-host').locator('option')).toHaveCount(2);
  const wizard = await fillUpToFinish(page);
  await wizard.getByTestId('newvm-name').fill(th.GUEST_NAME);
  await expect(wizard.getByTestId('newvm-problems')).toContainText(th.GUEST_NAME);
  await expect(wizard.getByTestId('newvm-create')).toBeDisabled();
  // Back through the steps: the values are still there.
  await wizard.getByTestId('newvm-goto-resources').click();
  await expect(wizard.getByTestId('newvm-memory')).toHaveValue('256');
  await wizard.getByTestId('newvm-goto-finish').click();
  await expect(wizard.getByTestId('newvm-name')).toHaveValue(th.GUEST_NAME);
  await wizard.getByTestId('newvm-cancel').click();
  await expect(wizard).toBeHidden();
  expect(readdirNames(poolDir)).toEqual([ISO]);
});

test('customize before install, then (after a restart of Virtdeck) Cancel installation: the VM is undefined and the volume the wizard made is deleted', async ({ page }) => {
  const hostId = await connectOverSsh(page, app.url, th);
  // From the host's own row this time.
  await page.getByTestId(`host-newvm-${hostId}`).click();
  const wizard = await fillUpToFinish(page);
  await wizard.getByTestId('newvm-name').fill(VM);
  await wizard.getByTestId('newvm-customize').check();
  await expect(wizard.getByTestId('newvm-create')).toBeEnabled();
  await wizard.getByTestId('newvm-create').click();
  await expect(page.getByTestId('newvm-install-bar')).toBeVisible({ timeout: 30_000 });
  expect(readdirNames(poolDir)).toHaveLength(2);
  // Virtdeck is closed and started again: the row still says the VM is not installed yet (read
  // from its <metadata>), and its details still offer Begin installation / Cancel.
  await app.stop();
  app = await startWebApp();
  await connectOverSsh(page, app.url, th);
  await expect(page.getByTestId(`vm-phase-${VM}`)).toHaveAttribute('data-phase', 'customizing');
  await page.getByTestId(`vm-row-${VM}`).dblclick();
  await expect(page.getByTestId('newvm-install-bar')).toBeVisible();

  await page.getByTestId('newvm-install-cancel').click();
  await page.getByTestId('confirm-ok').click();
  await expect(page.getByTestId('newvm-cancelled')).toBeVisible();
  expect(virsh('dominfo', '--domain', VM).status).not.toBe(0);
  expect(readdirNames(poolDir)).toEqual([ISO]);
});

test('create fails when the name was taken after checking: the error is shown, nothing is created, everything typed stays', async ({ page }) => {
  await connectOverSsh(page, app.url, th);
  await page.getByTestId('new-vm').click();
  const wizard = await fillUpToFinish(page);
  await wizard.getByTestId('newvm-name').fill(VM);
  await expect(wizard.getByTestId('newvm-create')).toBeEnabled();
  // Someone else defines a VM of that name between the check and the click.
  const other = join(poolDir, '..', `vd-newvm-other-${process.pid}.xml`);
  writeFileSync(other, `<domain type='qemu'><name>${VM.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/'/g, '&apos;')}</name><memory unit='MiB'>64</memory><os><type>hvm</type></os></domain>`);
  expect(virsh('define', '--file', other).status).toBe(0);
  rmSync(other);
  await wizard.getByTestId('newvm-create').click();
  await expect(wizard.getByTestId('newvm-create-error')).toBeVisible({ timeout: 30_000 });
  await expect(wizard.getByTestId('newvm-name')).toHaveValue(VM);
  expect(readdirNames(poolDir)).toEqual([ISO]);
  await wizard.getByTestId('newvm-goto-resources').click();
  await expect(wizard.getByTestId('newvm-memory')).toHaveValue('256');
});

test('an ISO of this computer is uploaded from the browser into a pool and detected; cancelling during an upload leaves nothing', async ({ page, context }) => {
  await connectOverSsh(page, app.url, th);
  await page.getByTestId('new-vm').click();
  const wizard = page.getByTestId('newvm-wizard');
  await wizard.getByTestId('newvm-source-upload').check();
  await wizard.getByTestId('newvm-upload-file').setInputFiles(env.TEST_ISO);
  await wizard.getByTestId('newvm-upload-pool').selectOption(virsh('pool-uuid', POOL).stdout.trim());
  await wizard.getByTestId('newvm-upload-name').fill('uploaded.iso');
  await wizard.getByTestId('newvm-upload-start').click();
  await expect(wizard.getByTestId('newvm-upload-done')).toBeVisible({ timeout: 60_000 });
  await wizard.getByTestId('newvm-next').click();
  await expect(wizard.getByTestId('newvm-detect')).toContainText(env.TEST_ISO_VOLID);
  await wizard.getByTestId('newvm-cancel').click();

  // A slow upload (throttled to 1 MB/s), cancelled with the wizard: the half-written volume is deleted.
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 1024 * 1024 });
  await page.getByTestId('new-vm').click();
  await wizard.getByTestId('newvm-source-upload').check();
  await wizard.getByTestId('newvm-upload-file').setInputFiles(env.TEST_ISO);
  await wizard.getByTestId('newvm-upload-pool').selectOption(virsh('pool-uuid', POOL).stdout.trim());
  await wizard.getByTestId('newvm-upload-name').fill('cancelled.iso');
  await wizard.getByTestId('newvm-upload-start').click();
  await expect(wizard.locator('[data-testid^="transfer-"][data-state="running"]')).toBeVisible();
  await wizard.getByTestId('newvm-cancel').click();
  await expect.poll(() => readdirNames(poolDir).sort(), { timeout: 30_000 }).toEqual([ISO, 'uploaded.iso'].sort());
});

test('importing a disk image asks for its format: qemu-img\'s guess is only shown; the wizard reads in Chinese too', async ({ page }) => {
  await connectOverSsh(page, app.url, th);
  await page.getByTestId('lang-select').selectOption('zh-CN');
  await page.getByTestId('new-vm').click();
  const wizard = page.getByTestId('newvm-wizard');
  await expect(wizard).toContainText('新建虚拟机');
  await wizard.getByTestId('newvm-source-import').check();
  await wizard.getByTestId('newvm-import-pool').selectOption(virsh('pool-uuid', POOL).stdout.trim());
  await wizard.getByTestId('newvm-import-volume').selectOption(ISO);
  await expect(wizard.getByTestId('newvm-import-format-guess')).toContainText('raw');
  await expect(wizard.getByTestId('newvm-import-format')).toHaveValue('');
  await expect(wizard.getByTestId('newvm-next')).toBeDisabled();
  await wizard.getByTestId('newvm-import-format').selectOption('raw');
  await wizard.getByTestId('newvm-next').click();
  await expect(wizard.getByTestId('newvm-step-os')).toBeVisible();
});

test('direct kernel boot from host paths, no disk, started at once: the serial console shows the guest banner', async ({ page }) => {
  test.setTimeout(180_000);
  await connectOverSsh(page, app.url, th);
  await page.getByTestId('new-vm').click();
  const wizard = page.getByTestId('newvm-wizard');
  await wizard.getByTestId('newvm-source-kernel').check();
  await wizard.getByTestId('newvm-kernel-mode-path').check();
  await wizard.getByTestId('newvm-kernel-path').fill(env.KERNEL);
  await wizard.getByTestId('newvm-initrd-mode-path').check();
  await wizard.getByTestId('newvm-initrd-path').fill(env.INITRD);
  await wizard.getByTestId('newvm-cmdline').fill('console=ttyS0 quiet loglevel=3');
  await wizard.getByTestId('newvm-next').click();
  await wizard.getByTestId('newvm-next').click();
  await wizard.getByTestId('newvm-memory').fill('256');
  await wizard.getByTestId('newvm-vcpus').fill('1');
  await wizard.getByTestId('newvm-next').click();
  await wizard.getByTestId('newvm-storage-none').check();
  await wizard.getByTestId('newvm-next').click();
  await wizard.getByTestId('newvm-net-none').check();
  await wizard.getByTestId('newvm-next').click();
  await wizard.getByTestId('newvm-name').fill(VM);
  await wizard.getByTestId('newvm-machine').selectOption('pc');
  if (await wizard.getByTestId('newvm-domain-type').count()) await wizard.getByTestId('newvm-domain-type').selectOption('qemu');
  await wizard.getByTestId('newvm-console').selectOption('serial');
  await expect(wizard.getByTestId('newvm-virt-install')).toContainText('kernel=');
  await expect(wizard.getByTestId('newvm-xml')).toContainText('<kernel>');
  await wizard.getByTestId('newvm-create').click();
  await expect(wizard).toBeHidden({ timeout: 30_000 });
  await expect(page.getByTestId('serial-console')).toHaveAttribute('data-phase', 'open', { timeout: 30_000 });
  await expect.poll(() => terminalText(page), { timeout: 90_000 }).toContain(th.GUEST_BANNER);
  // Kernel boot is for the installation only: the persistent definition no longer names the kernel.
  expect(virsh('dumpxml', '--domain', VM, '--inactive').stdout).not.toContain('<kernel>');
});

function readdirNames(dir: string): string[] {
  return spawnSync('ls', ['-1', dir], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
}
