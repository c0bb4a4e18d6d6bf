/**
 * New VM, as a person uses it in the browser over SSH to the local test host: the wizard from
 * the test ISO (a volume of a pool) to the guest's banner on the serial console, customizing the
 * vCPU count in the details editor before the installation begins; and a failing name that keeps
 * everything typed.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { connectOverSsh } from '../support/connect-over-ssh';
import { TEST_HOST_ENV, testHost } from '../support/test-host';
import { startWebApp, type WebApp } from '../support/web-app';

const th = testHost();
const env = JSON.parse(readFileSync(TEST_HOST_ENV, 'utf8')) as { TEST_ISO: string; TEST_ISO_VOLID: string };
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
  void hostId;
});

test('a name already taken is refused before anything is created, and everything typed is kept', async ({ page }) => {
  await connectOverSsh(page, app.url, th);
  await page.getByTestId('new-vm').click();
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

function readdirNames(dir: string): string[] {
  return spawnSync('ls', ['-1', dir], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
}
