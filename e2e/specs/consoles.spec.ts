/**
 * The consoles, as a person uses them in the browser, over SSH to the local test host: the
 * graphical console shows the guest's screen, keys reach it, it comes back by itself after the
 * VM is stopped and started; the serial console runs commands and tells the guest its size.
 * Consoles are opened on their own route (#console=…), the target of "open in its own window".
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { resetGuest, testHost } from '../support/test-host';
import { connectOverSsh } from '../support/connect-over-ssh';
import { startWebApp, type WebApp } from '../support/web-app';

const th = testHost();
const UUID = '5d7e57a1-0000-4e2e-8d0c-7e57c0ffee01';
const serialLog = () => {
  try {
    return readFileSync('/var/log/libvirt/qemu/vd-test-guest-serial.log', 'latin1').replace(/\r/g, '');
  } catch {
    return '';
  }
};
const virsh = (...a: string[]) => spawnSync('virsh', ['-c', 'qemu:///system', ...a], { encoding: 'utf8' });

let app: WebApp;
test.beforeEach(async () => {
  resetGuest(th);
  app = await startWebApp();
});
test.afterEach(async () => {
  await app.stop();
  resetGuest(th); // leave the guest shut off (virsh destroy)
});

/** Pixels of the noVNC canvas that differ from the first one (a blank screen has none). */
const nonBlankPixels = (page: Page) =>
  page.getByTestId('vnc-screen').locator('canvas').evaluate((c: HTMLCanvasElement) => {
    const ctx = c.getContext('2d');
    if (!ctx || c.width === 0) return 0;
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 4; i < d.length; i += 4) if (d[i] !== d[0] || d[i + 1] !== d[1] || d[i + 2] !== d[2]) n++;
    return n;
  });

const terminalText = (page: Page) => page.getByTestId('serial-terminal').locator('.xterm-rows').innerText();

test('graphical and serial consoles of the test guest over SSH: screen, keys, commands, size, restart', async ({ context }, testInfo) => {
  test.setTimeout(240_000);
  // Artifacts land in this test's output folder under test-results/e2e/.
  const artifact = (name: string) => testInfo.outputPath(name);
  const main = await context.newPage();
  const hostId = await connectOverSsh(main, app.url, th);
  const route = (kind: 'vnc' | 'serial') => `${app.origin}/#console=${kind}&host=${hostId}&uuid=${UUID}`;

  // The VM is off: both consoles say so; the serial one waits to attach by itself.
  const serial = await context.newPage();
  await serial.goto(route('serial'));
  await expect(serial.getByTestId('serial-console')).toHaveAttribute('data-phase', 'off', { timeout: 20_000 });
  const vnc = await context.newPage();
  await vnc.goto(route('vnc'));
  await expect(vnc.getByTestId('vnc-unavailable')).toHaveAttribute('data-status', 'off');
  await vnc.getByTestId('vnc-start').click();
  await expect(vnc.getByTestId('vnc-console')).toHaveAttribute('data-phase', 'connected', { timeout: 30_000 });

  // The serial console attached as the VM started, in time for the guest's banner.
  await expect(serial.getByTestId('serial-console')).toHaveAttribute('data-phase', 'open', { timeout: 20_000 });
  await expect.poll(() => terminalText(serial), { timeout: 60_000 }).toContain(th.GUEST_BANNER);

  // The guest's VGA console is drawn on the canvas.
  await expect.poll(() => nonBlankPixels(vnc), { timeout: 30_000 }).toBeGreaterThan(500);
  const download = vnc.waitForEvent('download');
  await vnc.getByTestId('vnc-screenshot').click();
  await (await download).saveAs(artifact('vnc-console-screenshot.png'));
  await vnc.screenshot({ path: artifact('vnc-console-page.png') });

  // Commands on the serial console.
  await serial.getByTestId('serial-terminal').click();
  await serial.keyboard.type('echo $((6*7))');
  await serial.keyboard.press('Enter');
  await expect.poll(() => terminalText(serial)).toMatch(/^42\s*$/m);

  // "Set guest size" types stty for the terminal's size; the guest then reports it.
  const rows = await serial.getByTestId('serial-terminal').getAttribute('data-rows');
  const cols = await serial.getByTestId('serial-terminal').getAttribute('data-cols');
  expect(Number(rows)).toBeGreaterThan(5);
  await serial.getByTestId('serial-set-size').click();
  await serial.getByTestId('serial-terminal').click();
  await serial.keyboard.type('stty size');
  await serial.keyboard.press('Enter');
  await expect.poll(() => terminalText(serial)).toMatch(new RegExp(`^${rows} ${cols}\\s*$`, 'm'));
  await serial.screenshot({ path: artifact('serial-console-page.png') });

  // Ctrl+Alt+Del from the keys menu reaches the guest (its init prints a marker on ttyS0).
  await vnc.getByTestId('vnc-keys').click();
  await vnc.getByTestId('vnc-key-ctrl-alt-del').click();
  await expect.poll(serialLog, { timeout: 15_000 }).toContain('VIRTDECK-CTRL-ALT-DEL');

  // Shut down and start again: a new QEMU (maybe a new port), and the view comes back by itself.
  expect(virsh('shutdown', th.GUEST_NAME).status).toBe(0);
  await expect(vnc.getByTestId('vnc-console')).toHaveAttribute('data-phase', 'stopped', { timeout: 60_000 });
  await expect(serial.getByTestId('serial-console')).toHaveAttribute('data-phase', 'off', { timeout: 30_000 });
  expect(virsh('start', th.GUEST_NAME).status).toBe(0);
  await expect(vnc.getByTestId('vnc-console')).toHaveAttribute('data-phase', 'connected', { timeout: 60_000 });
  await expect(serial.getByTestId('serial-console')).toHaveAttribute('data-phase', 'open', { timeout: 30_000 });
  await expect.poll(() => nonBlankPixels(vnc), { timeout: 30_000 }).toBeGreaterThan(500);
  await vnc.screenshot({ path: artifact('vnc-console-after-restart.png') });
});

test('VM rows open console tabs, each closed cleanly', async ({ page }) => {
  const hostId = await connectOverSsh(page, app.url, th);
  await page.getByTestId(`host-row-${hostId}`).click();
  const button = page.getByTestId(`vm-open-serial-${th.GUEST_NAME}`);
  expect(virsh('start', th.GUEST_NAME).status).toBe(0);
  await button.click();
  await page.getByTestId(`vm-open-vnc-${th.GUEST_NAME}`).click();
  await expect(page.getByTestId('console-tabs').getByRole('tab')).toHaveCount(2);
  await expect(page.getByTestId('vnc-console')).toHaveAttribute('data-phase', 'connected', { timeout: 30_000 });
  await page.getByTestId(`console-tab-serial-${th.GUEST_NAME}`).click();
  await expect(page.getByTestId('serial-console')).toHaveAttribute('data-phase', 'open', { timeout: 20_000 });
  await page.getByTestId(`console-tab-close-serial-${th.GUEST_NAME}`).click();
  await expect(page.getByTestId('serial-console')).toHaveCount(0);
});
