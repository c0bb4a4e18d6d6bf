/**
 * New VM from a cloud image, as a person does it in the browser over SSH to the local test host:
 * the provisioned cloud image (e2e/host/provision.sh, 4c) in a pool, a host name and this
 * computer's SSH key (offered from ~/.ssh/*.pub), the seed Virtdeck builds shown before create,
 * and the host name from the seed on the guest's serial console.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { connectOverSsh } from '../support/connect-over-ssh';
import { TEST_HOST_ENV, testHost } from '../support/test-host';
import { startWebApp, type WebApp } from '../support/web-app';

const th = testHost();
const env = JSON.parse(readFileSync(TEST_HOST_ENV, 'utf8')) as { STATE_DIR: string };
const POOL = `vd-test-cloudinit pool e2e ${process.pid}`;
const VM = `vd-test-cloudinit-e2e "$(id)"`;
const IMAGE = 'cloud image.qcow2';
const HOSTNAME = 'e2e-cloud';
const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl e2e@browser';
const virsh = (...a: string[]) => spawnSync('virsh', ['-c', 'qemu:///system', ...a], { encoding: 'utf8' });

test.use({ actionTimeout: 20_000 });

let app: WebApp;
let poolDir: string;

function removeVm() {
  virsh('destroy', '--domain', VM);
  virsh('undefine', '--domain', VM, '--nvram');
}

test.beforeEach(async () => {
  removeVm();
  // Under /var/tmp and world-traversable: QEMU (another user) reads the images from here.
  poolDir = mkdtempSync('/var/tmp/vd-cloudinit-pool-');
  chmodSync(poolDir, 0o755);
  copyFileSync(join(env.STATE_DIR, 'guest', 'cloud-image.qcow2'), join(poolDir, IMAGE));
  virsh('pool-define-as', POOL, 'dir', '--target', poolDir);
  virsh('pool-start', POOL);
  // The user's own public key, in the throwaway HOME the server runs with.
  app = await startWebApp([], {
    prepareHome: (home) => {
      mkdirSync(join(home, '.ssh'), { recursive: true });
      writeFileSync(join(home, '.ssh', 'id_ed25519.pub'), `${KEY}\n`);
    },
  });
});

test.afterEach(async () => {
  // app is unset when the server failed to start: the pool and VM are still removed.
  await app?.stop();
  removeVm();
  virsh('pool-destroy', POOL);
  virsh('pool-undefine', POOL);
  rmSync(poolDir, { recursive: true, force: true });
});

const terminalText = (page: Page) => page.getByTestId('serial-terminal').locator('.xterm-rows').innerText();

test('cloud image with an SSH key and a host name: the seed is shown before create, the guest’s serial console shows the host name, the seed is gone after the first boot', async ({ page }) => {
  test.setTimeout(300_000);
  await connectOverSsh(page, app.url, th);
  await page.keyboard.press('Alt+n');
  const wizard = page.getByTestId('newvm-wizard');

  await wizard.getByTestId('newvm-source-cloud').check();
  await wizard.getByTestId('newvm-cloud-image-pool').selectOption({ label: POOL });
  await wizard.getByTestId('newvm-cloud-image-volume').selectOption(IMAGE);
  await wizard.getByTestId('newvm-ci-hostname').fill(HOSTNAME);
  // A bad host name is marked, and Next waits for it to be fixed.
  await wizard.getByTestId('newvm-ci-hostname').fill('no_underscores');
  await expect(wizard.getByTestId('newvm-ci-hostname-error')).toBeVisible();
  await expect(wizard.getByTestId('newvm-next')).toBeDisabled();
  await wizard.getByTestId('newvm-ci-hostname').fill(HOSTNAME);
  // The key offered from ~/.ssh/*.pub of the computer Virtdeck runs on.
  await wizard.getByTestId('newvm-ci-add-key').click();
  await expect(wizard.getByTestId('newvm-ci-keys')).toHaveValue(KEY);
  await wizard.getByTestId('newvm-next').click();

  await expect(wizard.getByTestId('newvm-step-os')).toBeVisible();
  await wizard.getByTestId('newvm-next').click();
  await wizard.getByTestId('newvm-memory').fill('160');
  await wizard.getByTestId('newvm-vcpus').fill('1');
  await wizard.getByTestId('newvm-next').click();
  await wizard.getByTestId('newvm-pool').selectOption(virsh('pool-uuid', POOL).stdout.trim());
  await wizard.getByTestId('newvm-size').fill('0.0625');
  await wizard.getByTestId('newvm-next').click();
  await wizard.getByTestId('newvm-net-user').check();
  await wizard.getByTestId('newvm-next').click();

  await wizard.getByTestId('newvm-name').fill(VM);
  // IDE CD-ROM on pc (the test kernel has no AHCI); TCG keeps it independent of /dev/kvm.
  await wizard.getByTestId('newvm-machine').selectOption('pc');
  if (await wizard.getByTestId('newvm-domain-type').count()) await wizard.getByTestId('newvm-domain-type').selectOption('qemu');
  await wizard.getByTestId('newvm-console').selectOption('serial');
  // What the seed will hold, checked by the host's cloud-init before anything is created.
  await wizard.getByTestId('newvm-seed').locator('summary').click();
  await expect(wizard.getByTestId('newvm-seed-userdata')).toContainText(`hostname: ${HOSTNAME}`);
  await expect(wizard.getByTestId('newvm-seed-userdata')).toContainText(KEY);
  await expect(wizard.getByTestId('newvm-seed')).toContainText('checked by cloud-init schema');
  await expect(wizard.getByTestId('command-preview-text')).toContainText('vol-upload');
  await expect(wizard.getByTestId('newvm-create')).toBeEnabled({ timeout: 30_000 });
  await wizard.getByTestId('newvm-create').click();

  // The serial console opens; the guest took its host name from the seed (its shell prompt shows it).
  await expect(page.getByTestId('serial-console')).toHaveAttribute('data-phase', 'open', { timeout: 30_000 });
  await expect
    .poll(
      async () => {
        const text = await terminalText(page);
        if (!text.includes(`${HOSTNAME}:`)) {
          await page.getByTestId('serial-terminal').click();
          await page.keyboard.press('Enter');
        }
        return text;
      },
      { timeout: 150_000, intervals: [3000] },
    )
    .toContain(`${HOSTNAME}:/root#`);
  // The user reboots it: Virtdeck starts the final configuration, without the seed, whose volume is deleted.
  await page.getByTestId('serial-terminal').click();
  await page.keyboard.type('reboot -f');
  await page.keyboard.press('Enter');
  await expect.poll(() => readdirSync(poolDir).filter((f) => f.endsWith('-cidata.iso')), { timeout: 90_000 }).toEqual([]);
  await expect.poll(() => virsh('domstate', '--domain', VM).stdout.trim(), { timeout: 30_000 }).toBe('running');
  expect(virsh('dumpxml', '--domain', VM).stdout).not.toContain("device='cdrom'");
});

test('a cloud image of this computer is uploaded from the browser and becomes the source; bad user-data blocks Create with the host’s cloud-init message', async ({ page }) => {
  test.setTimeout(180_000);
  await connectOverSsh(page, app.url, th);
  await page.keyboard.press('Alt+n');
  const wizard = page.getByTestId('newvm-wizard');
  await wizard.getByTestId('newvm-source-cloud').check();
  await wizard.getByTestId('newvm-cloud-upload').check();
  await wizard.getByTestId('newvm-upload-file').setInputFiles(join(env.STATE_DIR, 'guest', 'cloud-image.qcow2'));
  await wizard.getByTestId('newvm-upload-pool').selectOption(virsh('pool-uuid', POOL).stdout.trim());
  await wizard.getByTestId('newvm-upload-name').fill('uploaded cloud.qcow2');
  await wizard.getByTestId('newvm-upload-start').click();
  await expect(wizard.getByTestId('newvm-upload-done')).toBeVisible({ timeout: 90_000 });
  await expect(wizard.getByTestId('newvm-cloud-image-volume')).toHaveValue('uploaded cloud.qcow2');
  await wizard.getByTestId('newvm-ci-hostname').fill(HOSTNAME);
  await wizard.getByTestId('newvm-next').click();
  await wizard.getByTestId('newvm-next').click();
  await wizard.getByTestId('newvm-memory').fill('160');
  await wizard.getByTestId('newvm-next').click();
  await wizard.getByTestId('newvm-pool').selectOption(virsh('pool-uuid', POOL).stdout.trim());
  await wizard.getByTestId('newvm-size').fill('0.0625');
  await wizard.getByTestId('newvm-next').click();
  await wizard.getByTestId('newvm-next').click();
  await wizard.getByTestId('newvm-name').fill(VM);
  // The overlay's backing file is the uploaded volume.
  await expect(wizard.getByTestId('command-preview-text')).toContainText(join(poolDir, 'uploaded cloud.qcow2'));
  await expect(wizard.getByTestId('newvm-create')).toBeEnabled({ timeout: 30_000 });
  // Back to the source: user-data the host's cloud-init refuses.
  await wizard.getByTestId('newvm-goto-source').click();
  const editor = wizard.getByTestId('newvm-ci-userdata').locator('.cm-content');
  await editor.click();
  await page.keyboard.press('Control+End');
  await page.keyboard.type('runcmd: 5\n');
  await wizard.getByTestId('newvm-goto-finish').click();
  await expect(wizard.getByTestId('newvm-problems')).toContainText("runcmd: 5 is not of type 'array'", { timeout: 30_000 });
  await expect(wizard.getByTestId('newvm-create')).toBeDisabled();
  expect(readdirSync(poolDir).sort()).toEqual([IMAGE, 'uploaded cloud.qcow2']);
  expect(virsh('dominfo', '--domain', VM).status).not.toBe(0);
});
