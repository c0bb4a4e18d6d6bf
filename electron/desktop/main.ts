/** Electron entry point: the app lifecycle around the same Backend browser mode uses. */
import { app, BrowserWindow, session } from 'electron';
import { homedir } from 'node:os';
import { join } from 'node:path';
import pkg from '../../package.json';
import { Backend } from '../core/backend';
import { appDirs } from '../core/paths';
import { registerAppScheme, serveRenderer } from './app-protocol';
import { wireConsolePorts } from './console-ports';
import { ElectronFileDialogs } from './file-dialogs';
import { forwardEvents, wireIpc } from './ipc';
import { SafeSecretStore } from './safe-secret-store';
import { createMainWindow, lockDownSession } from './window';

app.enableSandbox();
registerAppScheme();

async function start(): Promise<void> {
  await app.whenReady();
  lockDownSession(session.defaultSession);
  serveRenderer(join(__dirname, '..', 'renderer'));
  const dirs = appDirs();
  const backend = new Backend({ mode: 'desktop', version: pkg.version, homeDir: homedir(), ...dirs, secrets: await SafeSecretStore.create(dirs.dataDir), fileDialogs: new ElectronFileDialogs() });
  await backend.init();
  const windows = new Set<number>();
  wireIpc(backend, (wc) => windows.has(wc.id));
  const open = (hash?: string) => {
    const win = createMainWindow(join(__dirname, 'preload.cjs'), hash);
    const id = win.webContents.id;
    windows.add(id);
    const off = forwardEvents(backend, win.webContents);
    win.on('closed', () => {
      windows.delete(id);
      off();
    });
    return win;
  };
  wireConsolePorts(backend.consoles, (wc) => windows.has(wc.id), open);
  open();
  app.on('second-instance', () => BrowserWindow.getAllWindows()[0]?.focus());
  app.on('activate', () => BrowserWindow.getAllWindows().length === 0 && open());
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('before-quit', () => backend.shutdown());
}

// A second instance hands over to the first (its 'second-instance' focuses a window) and
// starts nothing: app.quit() only ends the process once start-up would have run on.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  start().catch((e: unknown) => {
    console.error(e);
    app.exit(1);
  });
}
