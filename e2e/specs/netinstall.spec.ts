/**
 * New VM from the network, as a person does it in the browser over SSH to the local test host:
 * "Network install" with the URL of a Debian tree served on 127.0.0.1 (built from the netboot
 * package by the integration tests' helper), the OS recognised from it and the plan's commands
 * (the host's curl and sha256sum, then virsh); and "Network boot (PXE)" on a network without
 * <tftp>/<bootp>, which the wizard says on the source step and in the plan. Nothing is created.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { NETBOOT, startTreeServer, type TreeServer } from '../../electron/libvirt/new-vm/testing/install-tree-server';
import { connectOverSsh } from '../support/connect-over-ssh';
import { testHost } from '../support/test-host';
import { startWebApp, type WebApp } from '../support/web-app';

const th = testHost();
const POOL = `vd-test-netinst pool e2e ${process.pid}`;
const PLAIN = `vd-test-netinst-e2e plain ${process.pid}`;
const PXE_NET = `vd-test-netinst-e2e pxe ${process.pid}`;
const VM = `vd-test-netinst-e2e "$(id)"`;
const virsh = (...a: string[]) => spawnSync('virsh', ['-c', 'qemu:///system', ...a], { encoding: 'utf8' });

test.use({ actionTimeout: 20_000 });

let app: WebApp;
let tree: TreeServer;
let poolDir: string;

function removeNetwork() {
  for (const n of [PLAIN, PXE_NET]) {
    virsh('net-destroy', '--network', n);
    virsh('net-undefine', '--network', n);
  }
}

test.beforeEach(async () => {
  removeNetwork();
  // Under /var/tmp and world-traversable, as a pool QEMU would read from.
  poolDir = mkdtempSync('/var/tmp/vd-netinst-pool-');
  chmodSync(poolDir, 0o755);
  virsh('pool-define-as', POOL, 'dir', '--target', poolDir);
  virsh('pool-start', POOL);
  // An isolated network with DHCP but neither <tftp> nor <bootp>: a /24 and a bridge of its own.
  const xml = join(poolDir, 'plain.xml');
  writeFileSync(xml, `<network><name>${PLAIN}</name><bridge name='vdnie2e0'/><ip address='192.168.217.1' prefix='24'><dhcp><range start='192.168.217.100' end='192.168.217.200'/></dhcp></ip></network>`);
  virsh('net-define', '--file', xml);
  virsh('net-start', '--network', PLAIN);
  rmSync(xml);
  tree = await startTreeServer();
  app = await startWebApp();
});

test.afterEach(async () => {
  // app/tree are unset when they failed to start: the pool and network are still removed.
  await app?.stop();
  await tree?.close();
  removeNetwork();
  virsh('pool-destroy', POOL);
  virsh('pool-undefine', POOL);
  rmSync(poolDir, { recursive: true, force: true });
  expect(virsh('dominfo', '--domain', VM).status).not.toBe(0);
});

test('Network install: the tree URL is read, Debian 12 is recognised and verified, and the plan shows the host’s curl and the virsh commands', async ({ page }) => {
  test.setTimeout(180_000);
  await connectOverSsh(page, app.url, th);
  await page.keyboard.press('Alt+n');
  const wizard = page.getByTestId('newvm-wizard');

  await wizard.getByTestId('newvm-source-tree').check();
  await wizard.getByTestId('newvm-tree-url').fill(tree.url('debian'));
  await expect(wizard.getByTestId('newvm-tree-info')).toContainText('Debian 12 (bookworm): kernel and initrd found.', { timeout: 60_000 });
  await expect(wizard.getByTestId('newvm-tree-info')).toContainText('netboot/debian-installer/amd64/linux');
  await expect(wizard.getByTestId('newvm-tree-info')).toContainText('SHA256SUMS');
  // Verified by checksums: no plain-http warning.
  await expect(wizard.getByTestId('newvm-tree-plain')).toHaveCount(0);
  await wizard.getByTestId('newvm-tree-pool').selectOption({ label: POOL });
  await wizard.getByTestId('newvm-tree-fetch-by').selectOption('host');
  await wizard.getByTestId('newvm-tree-cmdline').fill('console=ttyS0 priority=critical');
  await wizard.getByTestId('newvm-next').click();

  // The OS found in the tree is the OS step's choice: Debian 12, or, where the host's osinfo-db is
  // older than it (this host's has no debian12), the newest Debian with a note naming debian12.
  await expect(wizard.getByTestId('newvm-step-os')).toContainText(/Defaults from: Debian 12|debian12 is not in .*newest of its family/);
  await wizard.getByTestId('newvm-next').click();
  await wizard.getByTestId('newvm-memory').fill('1024');
  await wizard.getByTestId('newvm-vcpus').fill('1');
  await wizard.getByTestId('newvm-next').click();
  await wizard.getByTestId('newvm-storage-new').check();
  await wizard.getByTestId('newvm-pool').selectOption(virsh('pool-uuid', POOL).stdout.trim());
  await wizard.getByTestId('newvm-size').fill('0.0625');
  await wizard.getByTestId('newvm-next').click();
  await wizard.getByTestId('newvm-net-user').check();
  await wizard.getByTestId('newvm-next').click();

  await expect(wizard.getByTestId('newvm-step-finish')).toBeVisible();
  await wizard.getByTestId('newvm-name').fill(VM);
  await expect(wizard.getByTestId('newvm-source-note').first()).toContainText('Debian 12', { timeout: 30_000 });
  await expect(wizard.getByTestId('newvm-virt-install')).toContainText(`--location ${tree.url('debian')}`);
  const commands = wizard.getByTestId('command-preview-text');
  // Fetched by the host as the SSH user, checked, uploaded as volumes, then the two configurations.
  await expect(commands).toContainText(`curl`);
  await expect(commands).toContainText(`${tree.url('debian')}`.replace(/\/$/, ''));
  await expect(commands).toContainText('sha256sum');
  await expect(commands).toContainText('vol-upload');
  await expect(commands).toContainText('install-kernel');
  await expect(commands).toContainText('define --validate --file /dev/stdin');
  await expect(commands).toContainText('console=ttyS0 priority=critical');
  await expect(wizard.getByTestId('newvm-create')).toBeEnabled({ timeout: 30_000 });
});

test('Network boot (PXE) on a network without TFTP/BOOTP: the source step and the plan say so; the isolated TFTP network made from the source step takes it away', async ({ page }) => {
  test.setTimeout(120_000);
  await connectOverSsh(page, app.url, th);
  await page.keyboard.press('Alt+n');
  const wizard = page.getByTestId('newvm-wizard');

  await wizard.getByTestId('newvm-source-pxe').check();
  await expect(wizard.getByTestId('newvm-pxe')).toBeVisible();
  await wizard.getByTestId('newvm-next').click();
  await wizard.getByTestId('newvm-next').click();
  await wizard.getByTestId('newvm-memory').fill('256');
  await wizard.getByTestId('newvm-next').click();
  await wizard.getByTestId('newvm-storage-new').check();
  await wizard.getByTestId('newvm-pool').selectOption(virsh('pool-uuid', POOL).stdout.trim());
  await wizard.getByTestId('newvm-size').fill('0.0625');
  await wizard.getByTestId('newvm-next').click();
  await wizard.getByTestId('newvm-net-network').check();
  await wizard.getByTestId('newvm-network').selectOption(PLAIN);
  await wizard.getByTestId('newvm-next').click();

  await wizard.getByTestId('newvm-name').fill(VM);
  await expect(wizard.getByTestId('newvm-source-note')).toContainText('no <tftp root> and no <bootp file>', { timeout: 30_000 });
  await expect(wizard.getByTestId('newvm-virt-install')).toContainText('--pxe');
  // Back on the source step, the same note names the network.
  await wizard.getByTestId('newvm-goto-source').click();
  await expect(wizard.getByTestId('newvm-pxe-note')).toContainText(`Network “${PLAIN}”`);
  await expect(wizard.getByTestId('newvm-pxe-note')).toContainText('no <tftp root> and no <bootp file>');

  // Make the isolated network with TFTP from a folder of the host (readable by everyone: dnsmasq serves as nobody).
  const tftp = join(poolDir, 'tftp root');
  mkdirSync(tftp);
  copyFileSync(join(NETBOOT, 'pxelinux.0'), join(tftp, 'pxelinux.0'));
  chmodSync(tftp, 0o755);
  chmodSync(join(tftp, 'pxelinux.0'), 0o644);
  await wizard.getByTestId('newvm-pxe').locator('summary').first().click();
  await wizard.getByTestId('newvm-pxe-name').fill(PXE_NET);
  await wizard.getByTestId('newvm-pxe-root').fill(tftp);
  await wizard.getByTestId('newvm-pxe-address').fill('192.168.218.1');
  // "Show command": the exact virsh lines, fetched when opened.
  await wizard.getByTestId('newvm-pxe').getByTestId('command-preview').locator('summary').click();
  await expect(wizard.getByTestId('newvm-pxe').getByTestId('command-preview-text')).toContainText('net-define');
  await expect(wizard.getByTestId('newvm-pxe').getByTestId('command-preview-text')).toContainText(`<tftp root='${tftp}'/>`);
  await wizard.getByTestId('newvm-pxe-create').click();
  await expect(wizard.getByTestId('newvm-pxe')).toContainText(`Network “${PXE_NET}” created and chosen for this VM.`, { timeout: 30_000 });
  expect(virsh('net-dumpxml', '--network', PXE_NET).stdout).toContain("<bootp file='pxelinux.0'/>");
  await expect(wizard.getByTestId('newvm-pxe-note')).toHaveCount(0);
  await wizard.getByTestId('newvm-goto-finish').click();
  await expect(wizard.getByTestId('newvm-virt-install')).toContainText(`pxe ${process.pid}`, { timeout: 30_000 });
  await expect(wizard.getByTestId('newvm-source-note')).toHaveCount(0);
  await expect(wizard.getByTestId('newvm-create')).toBeEnabled({ timeout: 30_000 });
});
