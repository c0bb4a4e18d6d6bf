/**
 * VM details as a person uses them in the browser, over SSH to the local test host: the CPU
 * graph moves while the VM runs, a memory change in the Hardware form shows up in the XML tab,
 * and nothing the details view draws (CodeMirror, uPlot) trips the Content-Security-Policy.
 * It works on `vd-test-details`, a copy of the test guest (electron/libvirt/testing/details-guest.ts),
 * so it never disturbs other specs that use `vd-test-guest`. Opened through `#details=HOST/UUID`.
 */
import { spawnSync } from 'node:child_process';
import { expect, test } from '@playwright/test';
import { cloneTestGuest, CLONE_NAME, CLONE_UUID, removeClone } from '../../electron/libvirt/testing/details-guest';
import { testHost } from '../support/test-host';
import { connectOverSsh } from '../support/connect-over-ssh';
import { startWebApp, type WebApp } from '../support/web-app';

const th = testHost();
const virsh = (...a: string[]) => spawnSync('virsh', ['-c', 'qemu:///system', ...a], { encoding: 'utf8' });

let app: WebApp;
test.beforeEach(async () => {
  cloneTestGuest(th);
  app = await startWebApp();
});
test.afterEach(async ({}, ti) => {
  if (ti.status !== ti.expectedStatus) console.log(app.output());
  await app.stop();
  removeClone();
});

test('details of a running VM: the CPU graph moves, a memory change reaches the XML tab, no CSP violation', async ({ page }) => {
  // Every CSP violation the page reports, from the first script on.
  await page.addInitScript(() => {
    (window as unknown as { __csp: string[] }).__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => (window as unknown as { __csp: string[] }).__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}:${e.columnNumber}`));
  });
  const consoleErrors: string[] = [];
  page.on('console', (m) => {
    if (/Content.Security.Policy/i.test(m.text())) consoleErrors.push(m.text());
  });

  expect(virsh('start', '--domain', CLONE_UUID).status).toBe(0);
  const hostId = await connectOverSsh(page, app.url, th);
  const violations = () => page.evaluate(() => (window as unknown as { __csp: string[] }).__csp);
  // (zod's one-time eval probe elsewhere in the app is reported before details open; not ours to judge here.)
  const before = (await violations()).length;
  // Opened as a person does: double-click on its row; the address names it.
  await page.getByTestId(`vm-row-${CLONE_NAME}`).dblclick();
  await expect(page.getByTestId('details-name')).toHaveText(CLONE_NAME);
  expect(new URL(page.url()).hash).toBe(`#details=${hostId}/${CLONE_UUID}`);
  await expect(page.getByTestId('details-state')).toHaveAttribute('data-state', 'running');

  // Performance: samples keep arriving from the stats ticks and the graph redraws.
  await page.getByTestId('details-tab-performance').click();
  const cpu = page.getByTestId('perf-cpu');
  await expect(cpu.locator('canvas')).toBeVisible();
  await expect.poll(async () => Number(await cpu.getAttribute('data-samples')), { timeout: 20_000 }).toBeGreaterThanOrEqual(3);
  const samples = Number(await cpu.getAttribute('data-samples'));
  await expect.poll(async () => Number(await cpu.getAttribute('data-samples')), { timeout: 20_000 }).toBeGreaterThan(samples);
  await expect(page.getByTestId('perf-mem').locator('h3')).toHaveText(/Memory in use|QEMU RSS/);

  // Hardware: a new maximum memory is saved for the next boot (the VM runs).
  await page.getByTestId('details-tab-hardware').click();
  await page.getByTestId('hw-item-memory').click();
  await page.getByTestId('hw-memory-max').fill('256');
  await page.getByTestId('hw-apply').click();
  await expect(page.getByTestId('hw-next-boot')).toBeVisible();
  expect(virsh('dumpxml', '--inactive', '--domain', CLONE_UUID).stdout).toContain("<memory unit='KiB'>262144</memory>");

  // XML: the editor shows the new definition.
  await page.getByTestId('details-tab-xml').click();
  const editor = page.getByTestId('xml-editor').locator('.cm-content');
  await expect(editor).toContainText("<memory unit='KiB'>262144</memory>");
  await expect(page.getByTestId('xml-running-note')).toBeVisible();
  await expect(page.getByTestId('xml-history-entry').first()).toBeVisible();

  // CodeMirror's styles (laid out: the gutter is visible) and uPlot's arrived without a CSP violation.
  await expect(page.getByTestId('xml-editor').locator('.cm-gutters')).toBeVisible();
  const all = await violations();
  expect(all.filter((v) => v.startsWith('style-src'))).toEqual([]);
  expect(all.slice(before)).toEqual([]);
  expect(consoleErrors.filter((m) => /style/i.test(m))).toEqual([]);
});

test('the XML editor refuses an invalid element with its line, and applies a valid edit', async ({ page }) => {
  const hostId = await connectOverSsh(page, app.url, th);
  await page.evaluate(([h, u]) => (location.hash = `#details=${h}/${u}`), [hostId, CLONE_UUID]);
  await page.getByTestId('details-tab-xml').click();
  const content = page.getByTestId('xml-editor').locator('.cm-content');
  await expect(content).toContainText('<devices>');
  // Type a bogus element right after <devices>.
  await content.getByText('<devices>', { exact: true }).click();
  await page.keyboard.press('End');
  // insertText, not type(): typing would trigger CodeMirror's tag auto-closing.
  await page.keyboard.insertText('<bogus-device/>');
  await page.getByTestId('xml-review').click();
  await expect(page.getByTestId('xml-problems')).toBeVisible();
  await expect(page.getByTestId('xml-problem-line').first()).toHaveText(/Line \d+/);
  expect(virsh('dumpxml', '--inactive', '--domain', CLONE_UUID).stdout).not.toContain('bogus');

  await page.getByTestId('xml-revert').click();
  await content.getByText('Virtdeck test guest').click();
  await page.keyboard.press('End');
  await page.keyboard.press('Home');
  await page.keyboard.press('Shift+End');
  await page.keyboard.insertText('  <title>Edited in the browser</title>');
  await page.getByTestId('xml-review').click();
  await expect(page.getByTestId('xml-diff')).toContainText('Edited in the browser');
  await page.getByTestId('xml-apply').click();
  await expect(page.getByTestId('xml-applied')).toBeVisible();
  expect(virsh('dumpxml', '--inactive', '--domain', CLONE_UUID).stdout).toContain('<title>Edited in the browser</title>');
  await expect(page.getByTestId('details-view').locator('.details-subtitle')).toHaveText('Edited in the browser');
});

test('the Boot form: a new boot order shows its virsh command first and reaches the XML tab; then per device', async ({ page }) => {
  const hostId = await connectOverSsh(page, app.url, th);
  await page.evaluate(([h, u]) => (location.hash = `#details=${h}/${u}`), [hostId, CLONE_UUID]);
  await page.getByTestId('details-tab-hardware').click();
  await page.getByTestId('hw-item-boot').click();
  const form = page.getByTestId('hw-form-boot');

  // CD-ROM first, then the hard disk (the guest boots from hd only now).
  await form.getByTestId('hw-boot-cdrom').check();
  await form.getByTestId('hw-boot-cdrom-up').click();
  await form.getByTestId('command-preview').locator('summary').click();
  const preview = form.getByTestId('command-preview-text');
  await expect(preview).toContainText("virsh -c qemu:///system define --file /dev/stdin --validate <<'EOF'");
  await expect(preview).toContainText("<boot dev='cdrom'/>\n    <boot dev='hd'/>");
  // Showing the command ran nothing.
  expect(virsh('dumpxml', '--inactive', '--domain', CLONE_UUID).stdout).not.toContain("<boot dev='cdrom'/>");
  await form.getByTestId('hw-apply').click();
  await expect(page.getByTestId('hw-result')).toBeVisible();

  await page.getByTestId('details-tab-xml').click();
  const editor = page.getByTestId('xml-editor').locator('.cm-content');
  await expect(editor).toContainText("<boot dev='cdrom'/>");
  const text = (await editor.textContent()) ?? '';
  expect(text.indexOf("<boot dev='cdrom'/>")).toBeLessThan(text.indexOf("<boot dev='hd'/>"));

  // Per device: the NIC gets <boot order='1'/>, and libvirt's <os><boot dev> go.
  await page.getByTestId('details-tab-hardware').click();
  await page.getByTestId('hw-item-boot').click();
  await form.getByTestId('hw-boot-by-device').check();
  await form.getByTestId('hw-bootdev-interface[0]').check();
  await form.getByTestId('hw-apply').click();
  await expect(page.getByTestId('hw-result')).toBeVisible();
  await page.getByTestId('details-tab-xml').click();
  await expect(editor).toContainText("<boot order='1'/>");
  await expect(editor).not.toContainText('<boot dev=');
  expect(virsh('dumpxml', '--inactive', '--domain', CLONE_UUID).stdout).toMatch(/<interface type='user'>[\s\S]*<boot order='1'\/>/);
});

test('"Show command" on a device form shows the virsh line before anything runs', async ({ page }) => {
  const hostId = await connectOverSsh(page, app.url, th);
  await page.evaluate(([h, u]) => (location.hash = `#details=${h}/${u}`), [hostId, CLONE_UUID]);
  await page.getByTestId('details-tab-hardware').click();
  await page.getByTestId('hw-item-interface[0]').click();
  const form = page.getByTestId('hw-form-nic');
  await form.getByTestId('hw-nic-model').selectOption('e1000');
  await form.getByTestId('command-preview').locator('summary').click();
  const preview = form.getByTestId('command-preview-text');
  await expect(preview).toContainText('virsh -c qemu:///system define --file /dev/stdin --validate');
  await expect(preview).toContainText("<model type='e1000'/>");
  expect(virsh('dumpxml', '--inactive', '--domain', CLONE_UUID).stdout).not.toContain("<model type='e1000'/>");

  // Removing a device shows its commands in the confirmation too.
  await page.getByTestId('hw-remove').click();
  const dialog = page.getByTestId('hw-remove-dialog');
  await dialog.getByTestId('command-preview').locator('summary').click();
  await expect(dialog.getByTestId('command-preview-text')).toContainText('define --file /dev/stdin --validate');
  await dialog.getByTestId('action-cancel').click();

  // Add hardware: a tablet (on virtio: this guest has USB turned off), previewed, then added.
  await page.getByTestId('hw-add').click();
  const add = page.getByTestId('add-hw-dialog');
  await add.getByTestId('add-hw-kind').selectOption('input');
  await add.getByTestId('command-preview').locator('summary').click();
  await expect(add.getByTestId('command-preview-text')).toContainText("<input type='tablet' bus='virtio'/>");
  await add.getByTestId('action-run').click();
  await expect(add).toBeHidden();
  await expect(page.getByTestId('hw-form-input')).toBeVisible();
  expect(virsh('dumpxml', '--inactive', '--domain', CLONE_UUID).stdout).toContain("<input type='tablet' bus='virtio'>");
});
