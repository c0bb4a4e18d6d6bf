/**
 * The host page's Tuning tab on the real test host (local qemu:///system). As root: KSM is turned
 * on, its scan set and turned off from the UI, with the sysfs values read back after each step.
 * As the non-root test user (the server runs as vdtest, group libvirt): the root command is shown
 * and nothing changes. The host is shared: KSM's values are restored in `finally`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { cloneXmlOf, defineValidated, removeClone, type CloneId } from '../../electron/libvirt/testing/details-guest';
import { testHost } from '../support/test-host';
import { startWebApp, type WebApp } from '../support/web-app';

const KSM = '/sys/kernel/mm/ksm';
const read = (f: string) => readFileSync(`${KSM}/${f}`, 'utf8').trim();
const SAVED = ['pages_to_scan', 'sleep_millisecs', 'run'] as const;

let app: WebApp | undefined;
test.afterEach(async () => {
  await app?.stop();
  app = undefined;
});

test('open the Tuning tab, toggle KSM: on (its command shown first), a scan setting, off — sysfs agrees each time', async ({ page }) => {
  const old = Object.fromEntries(SAVED.map((f) => [f, read(f)]));
  try {
    if (read('run') !== '0') writeFileSync(`${KSM}/run`, '0\n');
    app = await startWebApp(['--connect', 'qemu:///system']);
    await page.goto(app.url);
    await expect(page.getByTestId('host-status-local-system')).toHaveAttribute('data-state', 'connected');
    await page.getByTestId('host-page-open-local-system').click();
    await page.getByTestId('host-tab-tuning').click();
    await expect(page.getByTestId('tuning-rights')).toHaveAttribute('data-rights', 'root');
    await expect(page.getByTestId('ksm-state')).toHaveAttribute('data-run', '0');
    await expect(page.getByTestId('ksm-file-pages_sharing')).toBeAttached();
    await expect(page.getByTestId('ksmtuned-formula')).toContainText('thres = max(');
    await expect(page.getByTestId('huge-size-2048')).toBeVisible();

    // On: the dialog shows the exact command before it runs.
    await page.getByTestId('ksm-run-1').click();
    const dialog = page.getByTestId('ksm-dialog');
    await dialog.getByText(/show command/i).click();
    await expect(dialog).toContainText("tee /sys/kernel/mm/ksm/run <<'EOF'");
    await dialog.getByTestId('action-run').click();
    await expect(dialog).toHaveCount(0);
    await expect(page.getByTestId('ksm-state')).toHaveAttribute('data-run', '1');
    expect(read('run')).toBe('1');

    // A scan setting through virsh node-memory-tune.
    const want = read('pages_to_scan') === '432' ? '433' : '432';
    await page.getByTestId('ksm-pages-to-scan').fill(want);
    await page.getByTestId('ksm-apply').click();
    await page.getByTestId('ksm-dialog').getByText(/show command/i).click();
    await expect(page.getByTestId('ksm-dialog')).toContainText('node-memory-tune --shm-pages-to-scan');
    await page.getByTestId('ksm-dialog').getByTestId('action-run').click();
    await expect(page.getByTestId('ksm-file-pages_to_scan')).toContainText(want);
    expect(read('pages_to_scan')).toBe(want);

    // Off.
    await page.getByTestId('ksm-run-0').click();
    await page.getByTestId('ksm-dialog').getByTestId('action-run').click();
    await expect(page.getByTestId('ksm-state')).toHaveAttribute('data-run', '0');
    expect(read('run')).toBe('0');
  } finally {
    for (const f of SAVED) if (read(f) !== old[f]) writeFileSync(`${KSM}/${f}`, `${old[f]}\n`);
  }
});

test('as a user without root or sudo, turning KSM on shows the root command to run and changes nothing', async ({ page }) => {
  const uid = Number(execFileSync('id', ['-u', 'vdtest'], { encoding: 'utf8' }));
  const libvirtGid = Number(execFileSync('getent', ['group', 'libvirt'], { encoding: 'utf8' }).split(':')[2]);
  app = await startWebApp(['--connect', 'qemu:///system'], {
    prepareHome: (home) => void spawnSync('chown', ['-R', `${uid}:${libvirtGid}`, home]),
    // Primary group libvirt: the server's process gets no supplementary groups.
    user: { uid, gid: libvirtGid },
  });
  const before = read('run');
  await page.goto(app.url);
  await expect(page.getByTestId('host-status-local-system')).toHaveAttribute('data-state', 'connected');
  await page.getByTestId('host-page-open-local-system').click();
  await page.getByTestId('host-tab-tuning').click();
  await expect(page.getByTestId('tuning-rights')).toHaveAttribute('data-rights', 'none');
  const want = before === '1' ? 0 : 1;
  await page.getByTestId(`ksm-run-${want}`).click();
  const dialog = page.getByTestId('ksm-dialog');
  await expect(dialog.getByTestId('tuning-needs-root')).toBeVisible();
  await expect(dialog.getByTestId('command-preview-text')).toHaveText(`sudo tee /sys/kernel/mm/ksm/run <<'EOF'\n${want}\nEOF`);
  await dialog.getByTestId('action-run').click();
  await expect(dialog.getByTestId('action-error')).toContainText('needs root');
  expect(read('run')).toBe(before);
});

const HUGE_CLONE: CloneId = { name: 'vd-test-hugemem-ui', uuid: '5d7e57a1-0000-4e2e-8d0c-7e57c0ff4b02', mac: '52:54:00:7e:4b:02' };
const NR = '/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages';

test('hugepages from the UI: a hugepage-backed copy does not fit, 72 pages are allocated (virsh allocpages shown first) and it fits, then they are released', async ({ page }) => {
  const old = readFileSync(NR, 'utf8').trim();
  try {
    writeFileSync(NR, '0\n');
    const xml = cloneXmlOf(testHost(), HUGE_CLONE).replace('<currentMemory', '<memoryBacking><hugepages/></memoryBacking>\n  <currentMemory');
    defineValidated(HUGE_CLONE.name, xml);
    app = await startWebApp(['--connect', 'qemu:///system']);
    await page.goto(app.url);
    await expect(page.getByTestId('host-status-local-system')).toHaveAttribute('data-state', 'connected');
    await page.getByTestId('host-page-open-local-system').click();
    await page.getByTestId('host-tab-tuning').click();
    const vm = page.getByTestId(`huge-vm-${HUGE_CLONE.name}`);
    await expect(vm).toHaveAttribute('data-fits', 'false');
    await expect(vm).toContainText('needs 64 pages of 2048 KiB');

    const allocate = async (count: string) => {
      await page.getByTestId('huge-alloc-count').fill(count);
      await page.getByTestId('huge-allocate').click();
      const dialog = page.getByTestId('huge-dialog');
      await expect(dialog.getByTestId('command-preview-text')).toContainText(`allocpages --pagesize 2048KiB --pagecount ${count}`);
      await dialog.getByTestId('action-run').click();
      await expect(dialog).toHaveCount(0);
    };
    await allocate('72');
    await expect(page.getByTestId('huge-size-2048')).toHaveAttribute('data-total', '72');
    expect(readFileSync(NR, 'utf8').trim()).toBe('72');
    await expect(vm).toHaveAttribute('data-fits', 'true');
    await expect(page.getByTestId('huge-persist')).toContainText('vm.nr_hugepages = 72');

    await allocate('0');
    await expect(page.getByTestId('huge-size-2048')).toHaveAttribute('data-total', '0');
    expect(readFileSync(NR, 'utf8').trim()).toBe('0');
  } finally {
    removeClone(HUGE_CLONE);
    if (readFileSync(NR, 'utf8').trim() !== old) writeFileSync(NR, `${old}\n`);
  }
});

test('sudo opted in from the connection dialog: the vdsudo user turns KSM on and off through sudo -n tee', async ({ page }) => {
  const uid = Number(execFileSync('id', ['-u', 'vdsudo'], { encoding: 'utf8' }));
  const libvirtGid = Number(execFileSync('getent', ['group', 'libvirt'], { encoding: 'utf8' }).split(':')[2]);
  const old = read('run');
  try {
    if (old !== '0') writeFileSync(`${KSM}/run`, '0\n');
    app = await startWebApp(['--connect', 'qemu:///system'], {
      prepareHome: (home) => void spawnSync('chown', ['-R', `${uid}:${libvirtGid}`, home]),
      user: { uid, gid: libvirtGid },
    });
    await page.goto(app.url);
    await expect(page.getByTestId('host-status-local-system')).toHaveAttribute('data-state', 'connected');
    await page.getByTestId('host-disconnect-local-system').click();
    await page.getByTestId('host-edit-local-system').click();
    await page.getByTestId('conn-sudo').check();
    await page.getByTestId('conn-save').click();
    await page.getByTestId('host-connect-local-system').click();
    await expect(page.getByTestId('host-status-local-system')).toHaveAttribute('data-state', 'connected');
    await page.getByTestId('host-page-open-local-system').click();
    await page.getByTestId('host-tab-tuning').click();
    await expect(page.getByTestId('tuning-rights')).toHaveAttribute('data-rights', 'sudo');

    await page.getByTestId('ksm-run-1').click();
    const dialog = page.getByTestId('ksm-dialog');
    await dialog.getByText(/show command/i).click();
    await expect(dialog.getByTestId('command-preview-text')).toHaveText("sudo -n tee /sys/kernel/mm/ksm/run <<'EOF'\n1\nEOF");
    await dialog.getByTestId('action-run').click();
    await expect(page.getByTestId('ksm-state')).toHaveAttribute('data-run', '1');
    expect(read('run')).toBe('1');
    await page.getByTestId('ksm-run-0').click();
    await page.getByTestId('ksm-dialog').getByTestId('action-run').click();
    await expect(page.getByTestId('ksm-state')).toHaveAttribute('data-run', '0');
    expect(read('run')).toBe('0');
  } finally {
    if (read('run') !== old) writeFileSync(`${KSM}/run`, `${old}\n`);
  }
});

test("ksmtuned's config edited from the UI: the file's line changes (comments kept) and the formula follows", async ({ page }) => {
  const CONF = '/etc/ksmtuned.conf';
  const old = readFileSync(CONF, 'utf8');
  try {
    app = await startWebApp(['--connect', 'qemu:///system']);
    await page.goto(app.url);
    await expect(page.getByTestId('host-status-local-system')).toHaveAttribute('data-state', 'connected');
    await page.getByTestId('host-page-open-local-system').click();
    await page.getByTestId('host-tab-tuning').click();
    await expect(page.getByTestId('ksmtuned-formula')).toContainText('× 20 / 100');
    await page.getByTestId('ksmtuned-KSM_THRES_COEF').fill('37');
    await page.getByTestId('ksmtuned-save').click();
    const dialog = page.getByTestId('ksmtuned-dialog');
    await expect(dialog.getByTestId('command-preview-text')).toContainText("tee /etc/ksmtuned.conf <<'EOF'");
    await expect(dialog.getByTestId('command-preview-text')).toContainText('KSM_THRES_COEF=37');
    await dialog.getByTestId('action-run').click();
    await expect(page.getByTestId('ksmtuned-formula')).toContainText('× 37 / 100');
    const now = readFileSync(CONF, 'utf8');
    expect(now).toMatch(/^KSM_THRES_COEF=37$/m);
    expect(now.replace('KSM_THRES_COEF=37', '# KSM_THRES_COEF=20')).toBe(old);
  } finally {
    writeFileSync(CONF, old);
  }
});
