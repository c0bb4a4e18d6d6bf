import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { startWebApp, type WebApp } from '../support/web-app';

// Needs the per-host tab bar (host-tab-storage) and the header's activity toggle, which the
// app shell mounts around StoragePanel and ActivityPanel.
const POOL = 'vd-test-e2e pool';
const virsh = (...a: string[]) => spawnSync('virsh', ['-c', 'qemu:///system', ...a], { encoding: 'utf8' });

let app: WebApp;
let poolDir: string;
test.beforeEach(async () => {
  poolDir = mkdtempSync(join(tmpdir(), 'vd-e2e-pool-'));
  app = await startWebApp(['--connect', 'qemu:///system']);
});
test.afterEach(async () => {
  await app.stop();
  virsh('pool-destroy', POOL);
  virsh('pool-undefine', POOL);
  rmSync(poolDir, { recursive: true, force: true });
});

async function openStorage(page: Page) {
  await page.goto(app.url);
  await expect(page.getByTestId('host-status-local-system')).toHaveAttribute('data-state', 'connected');
  await page.getByTestId('host-row-local-system').click();
  await page.getByTestId('host-tab-storage').click();
  await expect(page.getByTestId('storage-panel')).toBeVisible();
}

test('creates a pool and volumes from the UI, lists them with their sizes, and the activity log shows the virsh commands', async ({ page }) => {
  await openStorage(page);

  await page.getByTestId('pool-new').click();
  await page.getByTestId('pool-form-type').selectOption('dir');
  await page.getByTestId('pool-form-name').fill(POOL);
  await page.getByTestId('pool-form-targetPath').fill(poolDir);
  // The command is shown before anything runs: the generated XML goes to pool-define on stdin.
  await page.getByTestId('command-preview').locator('summary').click();
  await expect(page.getByTestId('command-preview-text')).toContainText("virsh -c qemu:///system pool-define --file /dev/stdin --validate <<'EOF'");
  await expect(page.getByTestId('command-preview-text')).toContainText(`<name>${POOL}</name>`);
  await page.getByTestId('action-run').click();

  await expect(page.getByTestId(`pool-state-${POOL}`)).toHaveAttribute('data-state', 'running');
  await page.getByTestId(`pool-row-${POOL}`).click();

  const createVolume = async (name: string, format: 'qcow2' | 'raw', mib: string) => {
    await page.getByTestId('volume-new').click();
    await page.getByTestId('volume-form-name').fill(name);
    await page.getByTestId('volume-form-format').selectOption(format);
    await page.getByTestId('volume-form-capacity').fill(mib);
    await page.getByTestId('volume-form-capacity-unit').selectOption('MiB');
    await page.getByTestId('command-preview').locator('summary').click();
    await expect(page.getByTestId('command-preview-text')).toContainText(`vol-create-as --pool`);
    await page.getByTestId('action-run').click();
    await expect(page.getByTestId('volume-dialog')).toBeHidden();
  };
  await createVolume('disk 1.qcow2', 'qcow2', '64');
  await createVolume('data.img', 'raw', '32');

  await expect(page.getByTestId('volume-capacity-disk 1.qcow2')).toHaveText('64 MiB');
  await expect(page.getByTestId('volume-format-disk 1.qcow2')).toHaveText('qcow2');
  await expect(page.getByTestId('volume-capacity-data.img')).toHaveText('32 MiB');
  await expect(page.getByTestId('volume-format-data.img')).toHaveText('raw');
  // The pool's usage bar knows its sizes.
  await expect(page.getByTestId(`pool-capacity-${POOL}`)).toContainText('free');

  await page.getByTestId('activity-toggle').click();
  const commands = page.getByTestId('activity-panel').getByTestId('activity-command');
  await expect(commands.filter({ hasText: 'pool-define --file /dev/stdin --validate' })).toHaveCount(1);
  await expect(commands.filter({ hasText: "vol-create-as --pool" }).filter({ hasText: "--name 'disk 1.qcow2' --capacity 67108864 --format qcow2" })).toHaveCount(1);
  await expect(commands.filter({ hasText: '--name data.img --capacity 33554432 --format raw' })).toHaveCount(1);
});

test('a lifecycle action shows its exact virsh line before it runs (demo host)', async ({ page }) => {
  const uuid = '6695eb01-f6a4-8304-79aa-97f2502e193f'; // the test driver's built-in VM "test"
  await page.goto(app.url);
  await expect(page.getByTestId('host-status-demo')).toHaveAttribute('data-state', 'connected');
  await page.getByTestId('vm-row-test').click();
  await expect(page.getByTestId('vm-state-test')).toHaveAttribute('data-state', 'running');

  // One-click actions: "Show command…" lists the line, then runs it from the dialog.
  await page.getByTestId('vm-action-showcommand').click();
  const dialog = page.getByTestId('vm-command-dialog');
  await dialog.getByTestId('vm-command-action').selectOption('suspend');
  await expect(dialog.getByTestId('command-preview-text')).toHaveText(`virsh -c test:///default suspend --domain ${uuid}`);
  await dialog.getByTestId('action-run').click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('vm-state-test')).toHaveAttribute('data-state', 'paused');

  // Destructive ones show it in their confirmation, before anything runs.
  await page.getByTestId('vm-row-test').click({ button: 'right' });
  await page.getByTestId('vm-menu-destroy').click();
  const confirm = page.getByTestId('confirm-dialog');
  await confirm.getByTestId('command-preview').locator('summary').click();
  await expect(confirm.getByTestId('command-preview-text')).toHaveText(`virsh -c test:///default destroy --domain ${uuid}`);
  await confirm.getByTestId('confirm-cancel').click();
  await expect(page.getByTestId('vm-state-test')).toHaveAttribute('data-state', 'paused');

  // Delete: the plan follows the ticked disks (none here) and the VM's state.
  await page.getByTestId('vm-action-delete').click();
  const del = page.getByTestId('delete-dialog');
  await del.getByTestId('command-preview').locator('summary').click();
  await expect(del.getByTestId('command-preview-text')).toHaveText(
    `virsh -c test:///default destroy --domain ${uuid}\n\nvirsh -c test:///default undefine --domain ${uuid} --managed-save --snapshots-metadata`,
  );
  await del.getByTestId('delete-cancel').click();

  // Save to a file: the path (on the host) is one argument, quoted for the shell.
  await page.getByTestId('vm-action-resume').click();
  await expect(page.getByTestId('vm-state-test')).toHaveAttribute('data-state', 'running');
  await page.getByTestId('vm-action-savefile').click();
  const pathDialog = page.getByTestId('path-dialog');
  await pathDialog.getByTestId('path-input').fill("/var/tmp/vd sc/it's.save");
  await pathDialog.getByTestId('command-preview').locator('summary').click();
  await expect(pathDialog.getByTestId('command-preview-text')).toHaveText(`virsh -c test:///default save --domain ${uuid} --file '/var/tmp/vd sc/it'\\''s.save'`);
  await pathDialog.getByTestId('path-cancel').click();
  await page.getByTestId('vm-action-suspend').click();
  await expect(page.getByTestId('vm-state-test')).toHaveAttribute('data-state', 'paused');

  // With "Show commands before running" on, a one-click action opens its lines first.
  await page.evaluate(() => localStorage.setItem('virtdeck.previewBeforeRun', '1'));
  await page.getByTestId('vm-action-resume').click();
  await expect(dialog.getByTestId('vm-command-action')).toHaveValue('resume');
  await expect(dialog.getByTestId('command-preview-text')).toHaveText(`virsh -c test:///default resume --domain ${uuid}`);
  await dialog.getByTestId('action-run').click();
  await expect(page.getByTestId('vm-state-test')).toHaveAttribute('data-state', 'running');
});

test('browser mode: the file chosen in the browser is uploaded over the WebSocket and the volume comes back as a browser download, byte-identical', async ({ page }) => {
  const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
  const NAME = "it's a disk.img";
  virsh('pool-define-as', POOL, 'dir', '--target', poolDir);
  virsh('pool-start', POOL);
  const data = randomBytes(3 * 1024 * 1024 + 123);
  await openStorage(page);
  await page.getByTestId(`pool-row-${POOL}`).click();

  await page.getByTestId('volume-upload').click();
  await page.getByTestId('upload-file').setInputFiles({ name: NAME, mimeType: 'application/octet-stream', buffer: data });
  await expect(page.getByTestId('upload-name')).toHaveValue(NAME);
  await page.getByTestId('command-preview').locator('summary').click();
  await expect(page.getByTestId('command-preview-text')).toContainText(`--vol 'it'\\''s a disk.img' --file /dev/stdin < 'it'\\''s a disk.img'`);
  await page.getByTestId('action-run').click();
  await expect(page.getByTestId('transfers').locator('[data-state="done"]')).toHaveCount(1, { timeout: 60_000 });
  await expect(page.getByTestId(`volume-row-${NAME}`)).toBeVisible();
  expect(sha(readFileSync(join(poolDir, NAME)))).toBe(sha(data));

  await page.getByTestId(`volume-row-${NAME}`).click();
  await page.getByTestId('volume-action-download').click();
  const downloading = page.waitForEvent('download');
  await page.getByTestId('download-dialog').getByTestId('action-run').click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe(NAME);
  expect(sha(readFileSync(await download.path()))).toBe(sha(data));
  await expect(page.getByTestId('transfers').locator('[data-state="done"]')).toHaveCount(2);
});
