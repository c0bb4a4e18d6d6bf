import { BrowserWindow, shell, type Session } from 'electron';
import { CONTENT_SECURITY_POLICY } from '../core/csp';
import { APP_PAGE, isAppOrigin, isAppPage } from './app-protocol';

/**
 * What the app's own pages may ask Chromium for: fullscreen (VNC console) and the clipboard
 * (copy from and paste into consoles, copy a command). Everything else, and anything asked by
 * another origin, is denied.
 */
const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set(['fullscreen', 'clipboard-sanitized-write', 'clipboard-read']);

export function permissionAllowed(permission: string, origin: string): boolean {
  return ALLOWED_PERMISSIONS.has(permission) && isAppOrigin(origin);
}

/** Once per session: a strict CSP on every response and the permission allow-list (asked and checked). */
export function lockDownSession(ses: Session): void {
  ses.webRequest.onHeadersReceived((details, cb) => {
    cb({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
  ses.setPermissionRequestHandler((_wc, permission, cb, details) => cb(permissionAllowed(permission, details.requestingUrl)));
  ses.setPermissionCheckHandler((_wc, permission, requestingOrigin) => permissionAllowed(permission, requestingOrigin));
}

/**
 * The main window, locked down: isolated and sandboxed renderer without Node, showing only the
 * app's page (app://virtdeck/index.html, see app-protocol.ts): every other navigation and every
 * redirect is refused, and no new window opens (https links open in the system browser).
 */
export function createMainWindow(preloadPath: string, hash?: string): BrowserWindow {
  const win = new BrowserWindow({
    width: 1200,
    height: 800,
    title: 'Virtdeck',
    show: false,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webviewTag: false,
      spellcheck: false,
    },
  });
  win.webContents.on('will-navigate', (e, url) => {
    if (!isAppPage(url)) e.preventDefault();
  });
  // The app's page never redirects: any redirect is something else's.
  win.webContents.on('will-redirect', (e) => e.preventDefault());
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (/^https:\/\//.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  win.once('ready-to-show', () => win.show());
  // A console window is the same app on a route that shows one console (#console=…).
  void win.loadURL(hash ? `${APP_PAGE}#${hash.replace(/^#/, '')}` : APP_PAGE);
  return win;
}
