/**
 * The graphical console's tools, as a person uses them in the browser over SSH, on an own copy
 * of the test guest (`vd-test-cons-pw`: a VNC password, two serial ports; tty1 on the VGA screen
 * and ttyS0 run root shells): the password prompt, typing and sending the clipboard, the
 * keyboard grab and its release shortcut, scaling, fullscreen, the serial device picker, and
 * "open in its own window". Text typed on the VGA screen is checked where the guest writes it:
 * a command typed on tty1 prints to a serial port. A second copy (`vd-test-cons-sock`) has its
 * display on a unix socket.
 */
import { expect, test, type Page } from '@playwright/test';
import { PASSWORD_CLONE as VM, SOCKET_CLONE, defineConsoleClone, readSerialLog, removeConsoleClone, startConsoleClone } from '../../electron/consoles/testing/console-clones';
import { connectOverSsh } from '../support/connect-over-ssh';
import { testHost } from '../support/test-host';
import { startWebApp, type WebApp } from '../support/web-app';

const th = testHost();
const PASSWORD = VM.vncPassword!;

let app: WebApp;
test.beforeEach(async () => {
  app = await startWebApp();
});
test.afterEach(async () => {
  await app.stop();
  removeConsoleClone(VM);
  removeConsoleClone(SOCKET_CLONE);
});

async function enterPassword(page: Page, password: string) {
  await expect(page.getByTestId('vnc-console')).toHaveAttribute('data-phase', 'password', { timeout: 30_000 });
  await page.getByTestId('vnc-password').fill(password);
  await page.getByTestId('vnc-password-submit').click();
}

/** "Type it" from the clipboard menu: the text goes to the guest as key presses. */
async function typeIntoGuest(page: Page, text: string) {
  await page.getByTestId('vnc-clipboard').click();
  await page.getByTestId('vnc-clip-text').fill(text);
  await page.getByTestId('vnc-clip-type').click();
  await page.getByTestId('vnc-clipboard').click();
}

test('password, typing, clipboard, keyboard grab, scaling, fullscreen, serial devices, own window', async ({ page, context }) => {
  test.setTimeout(360_000); // a TCG guest boot on a loaded 2-core machine can take minutes
  defineConsoleClone(th, VM);
  startConsoleClone(VM);
  // Every binary frame the page sends on a console socket (the RFB client's messages).
  await context.addInitScript(() => {
    const sent: number[][] = [];
    (window as unknown as { __rfbSent: number[][] }).__rfbSent = sent;
    const orig = WebSocket.prototype.send;
    WebSocket.prototype.send = function (this: WebSocket, data: string | ArrayBufferLike | Blob | ArrayBufferView) {
      if (this.url.includes('/api/console') && typeof data !== 'string' && !(data instanceof Blob)) {
        const bytes = ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new Uint8Array(data);
        sent.push([...bytes]);
      }
      return orig.call(this, data);
    };
  });
  const hostId = await connectOverSsh(page, app.url, th);
  await page.getByTestId(`host-row-${hostId}`).click();
  await expect.poll(() => readSerialLog(VM.name), { timeout: 90_000 }).toContain(th.GUEST_BANNER);
  await page.getByTestId(`vm-open-vnc-${VM.name}`).click();

  // The password prompt; browser mode never stores passwords, so it offers no "remember".
  await expect(page.getByTestId('vnc-console')).toHaveAttribute('data-phase', 'password', { timeout: 30_000 });
  await expect(page.getByTestId('vnc-password-remember')).toHaveCount(0);
  await enterPassword(page, 'wrongpw1');
  await expect(page.getByTestId('vnc-password-failed')).toBeVisible({ timeout: 20_000 });
  await enterPassword(page, PASSWORD);
  await expect(page.getByTestId('vnc-console')).toHaveAttribute('data-phase', 'connected', { timeout: 30_000 });
  await expect(page.getByTestId('vnc-password-failed')).toHaveCount(0);

  // "Type it": the tty1 shell on the VGA screen runs what was typed (shifted characters included).
  await typeIntoGuest(page, 'echo VD-TYPED-$((6*7)) > /dev/ttyS0\n');
  await expect.poll(() => readSerialLog(VM.name), { timeout: 20_000 }).toContain('VD-TYPED-42');

  // "Send to VM clipboard": an RFB ClientCutText message (type 6) goes to the VNC server. The
  // test guest has no clipboard agent to take it further.
  await page.getByTestId('vnc-clipboard').click();
  await page.getByTestId('vnc-clip-text').fill('VD-CLIPBOARD');
  await page.getByTestId('vnc-clip-send').click();
  await expect
    .poll(() => page.evaluate(() => (window as unknown as { __rfbSent: number[][] }).__rfbSent.filter((m) => m[0] === 6).length))
    .toBeGreaterThan(0);
  await page.getByTestId('vnc-clipboard').click(); // closes the menu

  // Keyboard grab: the documented release shortcut is shown; typed keys reach the guest.
  await page.getByTestId('vnc-grab').click();
  await expect(page.getByTestId('vnc-grab')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('vnc-grab-hint')).toContainText('Ctrl+Alt');
  await expect(page.getByTestId('vnc-grab')).toHaveAttribute('title', /Ctrl\+Alt/);
  // (keyboard.type sends 'S' without holding Shift; the guest sees scancodes, so Shift is pressed.)
  await page.keyboard.type('echo vd-grab-ok ');
  await page.keyboard.press('Shift+Period');
  await page.keyboard.type(' /dev/tty');
  await page.keyboard.press('Shift+KeyS');
  await page.keyboard.type('0');
  await page.keyboard.press('Enter');
  await expect.poll(() => readSerialLog(VM.name), { timeout: 20_000 }).toContain('vd-grab-ok');
  await page.keyboard.down('Control');
  await page.keyboard.down('Alt');
  await page.keyboard.up('Alt');
  await page.keyboard.up('Control');
  await expect(page.getByTestId('vnc-grab')).toHaveAttribute('aria-pressed', 'false');
  await expect(page.getByTestId('vnc-grab-hint')).toHaveCount(0);

  // 1:1 draws the guest's pixels unscaled; "scale to window" fits them to the view.
  const canvas = page.getByTestId('vnc-screen').locator('canvas');
  const geometry = () =>
    canvas.evaluate((c: HTMLCanvasElement) => {
      const box = c.parentElement!.parentElement!.getBoundingClientRect();
      const r = c.getBoundingClientRect();
      return { fbW: c.width, fbH: c.height, w: Math.round(r.width), h: Math.round(r.height), boxW: Math.round(box.width), boxH: Math.round(box.height) };
    });
  await page.getByTestId('vnc-scale').selectOption('real');
  await expect.poll(async () => { const g = await geometry(); return g.w === g.fbW && g.h === g.fbH; }).toBe(true);
  await page.getByTestId('vnc-scale').selectOption('fit');
  await expect.poll(async () => { const g = await geometry(); return g.w !== g.fbW && (Math.abs(g.w - g.boxW) <= 2 || Math.abs(g.h - g.boxH) <= 2); }).toBe(true);
  // The test guest's VGA card cannot take the view's size: "Resize guest" says so.
  await page.getByTestId('vnc-scale').selectOption('remote');
  await expect(page.getByTestId('vnc-resize-refused')).toContainText('VGA');
  await page.getByTestId('vnc-scale').selectOption('fit');
  await expect(page.getByTestId('vnc-resize-refused')).toHaveCount(0);

  // Fullscreen takes the console (not the whole page), its toolbar and grab hint included.
  await page.getByTestId('vnc-fullscreen').click();
  await expect.poll(() => page.evaluate(() => document.fullscreenElement?.getAttribute('data-testid') ?? null)).toBe('vnc-console');
  await expect(page.getByTestId('vnc-grab')).toBeVisible();
  await page.evaluate(() => document.exitFullscreen());

  // Serial devices: the picker lists both ports and opens the chosen one beside the first.
  await page.getByTestId(`vm-open-serial-${VM.name}`).click();
  const serialTab = page.getByTestId('serial-console').first();
  await expect(serialTab).toHaveAttribute('data-phase', 'open', { timeout: 30_000 });
  const picker = serialTab.getByTestId('serial-device');
  await expect(picker.locator('option')).toHaveText(['serial0', 'serial1']);
  await picker.selectOption('serial1');
  await expect(page.getByTestId(`console-tab-serial-${VM.name}-serial1`)).toBeVisible();
  const serial1 = page.locator('[data-testid="serial-console"]:not([hidden])');
  await expect(serial1).toHaveAttribute('data-phase', 'open', { timeout: 30_000 });
  // A line typed on the VGA console, printed to ttyS1, shows in the serial1 console.
  await page.getByTestId(`console-tab-vnc-${VM.name}`).click();
  await typeIntoGuest(page, 'echo VD-ON-SERIAL1 > /dev/ttyS1\n');
  await page.getByTestId(`console-tab-serial-${VM.name}-serial1`).click();
  await expect.poll(() => serial1.getByTestId('serial-terminal').locator('.xterm-rows').innerText(), { timeout: 20_000 }).toContain('VD-ON-SERIAL1');

  // "Open in its own window": the console moves to a window of its own (#console=…).
  await page.getByTestId(`console-tab-vnc-${VM.name}`).click();
  const popupPromise = context.waitForEvent('page');
  await page.locator('[data-testid="vnc-console"]').getByTestId('console-popout').click();
  const popup = await popupPromise;
  await expect(popup).toHaveURL(/#console=vnc&host=.*&uuid=5d7e57a1-0000-4e2e-8d0c-7e57c0ffee51/);
  await expect(page.getByTestId(`console-tab-vnc-${VM.name}`)).toHaveCount(0);
  await enterPassword(popup, PASSWORD);
  await expect(popup.getByTestId('vnc-console')).toHaveAttribute('data-phase', 'connected', { timeout: 30_000 });
  await expect(popup.getByTestId('console-window')).toBeVisible();
});

test('a display on a unix socket: shown through the local connection, explained over SSH', async ({ page, context }) => {
  test.setTimeout(180_000);
  defineConsoleClone(th, SOCKET_CLONE);
  startConsoleClone(SOCKET_CLONE);
  const sshId = await connectOverSsh(page, app.url, th);
  const localRow = page.locator('[data-testid^="host-row-"]', { hasText: 'qemu:///system' });
  const localId = (await localRow.getAttribute('data-testid'))!.replace('host-row-', '');
  await page.getByTestId(`host-connect-${localId}`).click();
  await expect(page.getByTestId(`host-status-${localId}`)).toHaveAttribute('data-state', 'connected', { timeout: 30_000 });
  // The console's own route (the VM is listed under both connections).
  const open = async (hostId: string) => {
    const p = await context.newPage();
    await p.goto(`${app.origin}/#console=vnc&host=${hostId}&uuid=${SOCKET_CLONE.uuid}`);
    return p;
  };

  // Locally (the backend runs as root here) the socket is opened directly.
  const local = await open(localId);
  await expect(local.getByTestId('vnc-console')).toHaveAttribute('data-phase', 'connected', { timeout: 30_000 });
  await local.close();

  // Over SSH the socket is root's: the view says why and what to change.
  const remote = await open(sshId);
  await expect(remote.getByTestId('vnc-error')).toContainText("cannot open the display's socket", { timeout: 30_000 });
  await expect(remote.getByTestId('vnc-error')).toContainText('AllowStreamLocalForwarding');
});
