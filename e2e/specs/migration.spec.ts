/**
 * Live migration from the UI (issue 15): host A (the shared test host over SSH) and the private
 * host B (127.0.0.2:2223) both connected in the browser. "Migrate…" on a running copy of the
 * test guest shows the pre-flight and the root note, runs with a progress bar, and the VM moves
 * from A's group to B's by events; dragging it onto A's row brings it back through the same
 * dialog. A shut-off VM with a disk takes the offline path: the dialog offers to create the
 * disk's pool on B, shows the copy's progress bar, and the VM changes host.
 * Run under `flock /tmp/vd-private-host.lock` (the private host is one instance).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { privateHostPath, privateVirsh, startPrivateHost, stopPrivateHost, type PrivateHost } from '../support/private-host';
import { testHost } from '../support/test-host';
import { connectOverSsh } from '../support/connect-over-ssh';
import { startWebApp, type WebApp } from '../support/web-app';
import { defineOnA, logOn, removeEverywhere, virshA } from '../../electron/libvirt/migration/testing/two-hosts-virsh';

const th = testHost();
const G = { name: 'vd-test-migl-ui', uuid: '5d7e57a1-0000-4e2e-8d0c-7e57c0ff1511', mac: '52:54:00:7e:15:11' };
/** Shut off, with a written raw disk in a pool only A has (B's /var/lib/libvirt is its own). */
const OFF = { name: 'vd-test-migt-ui', uuid: '5d7e57a1-0000-4e2e-8d0c-7e57c0ff1611', mac: '52:54:00:7e:16:11' };
const OFF_POOL = 'vd-test-migt-ui-pool';
const OFF_DIR = '/var/lib/libvirt/vd-test-migt-ui-pool';
const dropOffPool = (run: (...a: string[]) => unknown) => {
  run('vol-delete', '--pool', OFF_POOL, '--vol', 'ui.raw');
  run('pool-destroy', '--pool', OFF_POOL);
  run('pool-undefine', '--pool', OFF_POOL);
};

let app: WebApp;
let b: PrivateHost;
let dir: string;
test.beforeAll(async () => {
  test.setTimeout(240_000);
  b = await startPrivateHost();
  dir = mkdtempSync(join(tmpdir(), 'vd-migl-ui-'));
  defineOnA(th, G, dir);
  const t0 = Date.now();
  while (!logOn('A', G.name).includes(th.GUEST_BANNER)) {
    if (Date.now() - t0 > 120_000) throw new Error('the guest did not boot');
    await new Promise((r) => setTimeout(r, 500));
  }
});
test.afterAll(async () => {
  if (b) removeEverywhere(G, b);
  if (b) removeEverywhere(OFF, b);
  dropOffPool(virshA);
  if (b) dropOffPool((...a: string[]) => privateVirsh(b, ...a));
  rmSync(OFF_DIR, { recursive: true, force: true });
  if (b) rmSync(privateHostPath(b, OFF_DIR), { recursive: true, force: true });
  if (b) await stopPrivateHost(b);
  if (dir) rmSync(dir, { recursive: true, force: true });
});
test.beforeEach(async () => {
  app = await startWebApp();
});
test.afterEach(async ({}, ti) => {
  if (ti.status !== ti.expectedStatus) console.log(app?.output());
  await app?.stop();
});

test('migrate from the UI: pre-flight, root note, progress bar, the VM changes host in the list; dragged back onto A', async ({ page }) => {
  test.setTimeout(240_000);
  const a = await connectOverSsh(page, app.url, th, 'Host A');
  const bId = await connectOverSsh(page, app.url, { ...th, SSH_USER: b.SSH_USER, SSH_HOST: b.SSH_HOST, SSH_PORT: b.SSH_PORT, SSH_KEY: b.SSH_KEY }, 'Host B');
  const onA = page.locator(`#vmrow-${a}-${G.uuid}`);
  const onB = page.locator(`#vmrow-${bId}-${G.uuid}`);
  await expect(onA).toBeVisible();

  await onA.click({ button: 'right' });
  await page.getByTestId('vm-menu-migrate').click();
  const dialog = page.getByTestId('migrate-dialog');
  await expect(dialog).toContainText(`Migrate “${G.name}”`);
  await page.getByTestId('migrate-dest').selectOption(bId);
  await expect(page.getByTestId('migrate-root-note')).toContainText('root on the source host can use the relay socket');
  await expect(page.getByTestId('migrate-why')).toContainText('Control relayed through Virtdeck, data direct');
  await expect(page.getByTestId('migrate-check-name')).toContainText(`The name “${G.name}” is free on Host B.`);
  await page.getByTestId('migrate-bandwidth').fill('20'); // ~6 s for 128 MiB: the bar moves
  await page.getByTestId('migrate-commands').locator('summary').click();
  await expect(page.getByTestId('migrate-commands')).toContainText(`migrate --live --p2p --persistent --undefinesource --bandwidth 20 --domain ${G.uuid} --desturi`);
  await expect(page.getByTestId('migrate-start')).toBeEnabled({ timeout: 30_000 });
  await page.getByTestId('migrate-start').click();

  const bar = page.getByTestId(`migrate-progress-${G.name}`);
  await expect(page.getByTestId(`migrate-phase-${G.name}`)).toHaveText('Copying memory', { timeout: 30_000 });
  await expect.poll(async () => Number(await bar.getAttribute('value')), { timeout: 30_000 }).toBeGreaterThan(0);
  await expect(page.getByTestId(`migrate-done-${G.name}`)).toContainText('Done in', { timeout: 120_000 });
  await page.getByTestId('migrate-close').click();
  // By events, no refresh: the VM leaves A's group and appears in B's.
  await expect(onB).toBeVisible();
  await expect(onA).toHaveCount(0);
  expect(privateVirsh(b, 'domstate', '--domain', G.uuid).stdout.trim()).toBe('running');

  // Dragging it onto A's row opens the same dialog with A as the destination.
  await onB.dragTo(page.getByTestId(`host-row-${a}`));
  await expect(page.getByTestId('migrate-dest')).toHaveValue(a);
  await expect(page.getByTestId('migrate-start')).toBeEnabled({ timeout: 30_000 });
  await page.getByTestId('migrate-start').click();
  await expect(page.getByTestId(`migrate-done-${G.name}`)).toContainText('Done in', { timeout: 120_000 });
  await page.getByTestId('migrate-close').click();
  await expect(onA).toBeVisible();
  await expect(onB).toHaveCount(0);
  expect(virshA('domstate', '--domain', G.uuid).stdout.trim()).toBe('running');
});

test('offline move from the UI: a shut-off VM, its pool created on B from the dialog, the copy’s progress bar, the VM changes host', async ({ page }) => {
  test.setTimeout(240_000);
  removeEverywhere(OFF, b);
  dropOffPool(virshA);
  expect(virshA('pool-create-as', '--name', OFF_POOL, '--type', 'dir', '--target', OFF_DIR, '--build').status).toBe(0);
  expect(spawnSync('dd', ['if=/dev/urandom', `of=${OFF_DIR}/ui.raw`, 'bs=1M', 'count=128', 'status=none']).status).toBe(0);
  virshA('pool-refresh', '--pool', OFF_POOL);
  defineOnA(th, OFF, dir, (x) => x.replace('<controller ', `<disk type='file' device='disk'><driver name='qemu' type='raw'/><source file='${OFF_DIR}/ui.raw'/><target dev='vda' bus='virtio'/></disk>\n    <controller `), false);

  const a = await connectOverSsh(page, app.url, th, 'Host A');
  const bId = await connectOverSsh(page, app.url, { ...th, SSH_USER: b.SSH_USER, SSH_HOST: b.SSH_HOST, SSH_PORT: b.SSH_PORT, SSH_KEY: b.SSH_KEY }, 'Host B');
  const onA = page.locator(`#vmrow-${a}-${OFF.uuid}`);
  const onB = page.locator(`#vmrow-${bId}-${OFF.uuid}`);
  await expect(onA).toBeVisible();
  await onA.click({ button: 'right' });
  await page.getByTestId('vm-menu-migrate').click();
  await page.getByTestId('migrate-dest').selectOption(bId);
  await page.getByTestId('migrate-path').selectOption('offline');
  await expect(page.getByTestId('migrate-root-note')).toHaveCount(0);
  // The pool is missing on B: the dialog offers to create it, then the pre-flight passes.
  await page.getByTestId(`migrate-create-pool-${OFF_POOL}`).click({ timeout: 30_000 });
  await expect(page.getByTestId('migrate-start')).toBeEnabled({ timeout: 30_000 });
  expect(privateVirsh(b, 'pool-info', '--pool', OFF_POOL).stdout).toMatch(/State:\s+running/);
  await page.getByTestId('migrate-commands').locator('summary').click();
  await expect(page.getByTestId('migrate-commands')).toContainText('vol-download');
  await expect(page.getByTestId('migrate-commands')).toContainText('define --file /dev/stdin --validate');
  await page.getByTestId('migrate-start').click();

  const bar = page.getByTestId(`migrate-progress-${OFF.name}`);
  await expect(page.getByTestId(`migrate-phase-${OFF.name}`)).toHaveText('Copying', { timeout: 60_000 });
  await expect.poll(async () => Number(await bar.getAttribute('value')), { timeout: 60_000 }).toBeGreaterThan(0);
  await expect(page.getByTestId(`migrate-done-${OFF.name}`)).toContainText('Done in', { timeout: 180_000 });
  await page.getByTestId('migrate-close').click();
  await expect(onB).toBeVisible();
  await expect(onA).toHaveCount(0);
  expect(privateVirsh(b, 'domstate', '--domain', OFF.uuid).stdout.trim()).toBe('shut off');
  expect(virshA('dominfo', '--domain', OFF.uuid).status).not.toBe(0);
});
