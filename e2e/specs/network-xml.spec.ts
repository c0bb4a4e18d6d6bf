/**
 * The safe XML editor of a virtual network, in the browser on the local host: the CodeMirror
 * editor, the review diff, libvirt's schema refusing a bogus element (nothing changes), a valid
 * edit applied, and the replaced definition kept in the history.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { startWebApp, type WebApp } from '../support/web-app';

const NET = 'vd-test-xml net';
const virsh = (...a: string[]) => spawnSync('virsh', ['-c', 'qemu:///system', ...a], { encoding: 'utf8' });
const NET_XML = `<network>
  <name>${NET}</name>
  <bridge name='virbr-vdxml'/>
  <ip address='192.168.251.1' netmask='255.255.255.0'>
    <dhcp>
      <range start='192.168.251.10' end='192.168.251.20'/>
    </dhcp>
  </ip>
</network>
`;

let app: WebApp;
test.beforeEach(async () => {
  virsh('net-undefine', NET);
  const dir = mkdtempSync(join(tmpdir(), 'vd-netxml-'));
  writeFileSync(join(dir, 'net.xml'), NET_XML);
  const r = virsh('net-define', join(dir, 'net.xml'));
  rmSync(dir, { recursive: true });
  expect(r.status, r.stderr).toBe(0);
  app = await startWebApp(['--connect', 'qemu:///system']);
});
test.afterEach(async () => {
  await app?.stop();
  virsh('net-undefine', NET);
});

/** Edits the whole text in the editor as a paste would (the dialog wraps long lines, so
 * line-based keyboard moves are not reliable); `edit` rewrites libvirt's current XML. */
async function editXml(page: Page, edit: (xml: string) => string) {
  const xml = virsh('net-dumpxml', '--inactive', NET).stdout;
  await page.getByTestId('xml-text').locator('.cm-content').click();
  await page.keyboard.press('Control+a');
  await page.keyboard.insertText(edit(xml).trimEnd());
}

test('edits a network through the safe XML editor: refused when invalid, applied and kept in the history when valid', async ({ page }) => {
  await page.goto(app.url);
  await expect(page.getByTestId('host-status-local-system')).toHaveAttribute('data-state', 'connected');
  await page.getByTestId('host-row-local-system').click();
  await page.getByTestId('host-tab-networks').click();
  await page.getByTestId(`network-row-${NET}`).click();
  await page.getByTestId('network-edit-xml').click();
  const editor = page.getByTestId('xml-text').locator('.cm-content');
  await expect(editor).toContainText("<range start='192.168.251.10' end='192.168.251.20'/>");
  await expect(page.getByTestId('xml-text').locator('.cm-gutters')).toBeVisible();

  // A bogus element: the review shows it, libvirt's schema refuses it, nothing is changed.
  await editXml(page, (x) => x.replace('</bridge>', '').replace(/(<bridge [^>]*>)/, '$1<bogus-element/>'));
  await page.getByTestId('xml-review').click();
  await expect(page.getByTestId('xml-diff')).toContainText('<bogus-element/>');
  await page.getByTestId('xml-save').click();
  await expect(page.getByTestId('xml-error')).toBeVisible();
  expect(virsh('net-dumpxml', '--inactive', NET).stdout).not.toContain('bogus');
  await page.getByTestId('xml-dialog').getByRole('button', { name: 'Cancel' }).click();

  // A valid edit: a wider DHCP range.
  await page.getByTestId('network-edit-xml').click();
  await editXml(page, (x) => x.replace("end='192.168.251.20'", "end='192.168.251.30'"));
  await page.getByTestId('xml-review').click();
  await expect(page.getByTestId('xml-diff').locator('.diff-del')).toContainText("end='192.168.251.20'");
  await expect(page.getByTestId('xml-diff').locator('.diff-add')).toContainText("end='192.168.251.30'");
  await page.getByTestId('xml-save').click();
  await expect(page.getByTestId('xml-dialog')).toBeHidden();
  expect(virsh('net-dumpxml', '--inactive', NET).stdout).toContain("end='192.168.251.30'");

  // The replaced definition is in the history.
  await page.getByTestId('network-edit-xml').click();
  await page.getByTestId('xml-dialog').locator('summary').first().click();
  await expect(page.getByTestId('xml-history').locator('li')).toHaveCount(1);
});
