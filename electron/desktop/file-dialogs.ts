/** The desktop FileDialogs adapter: Electron's native Open / Save dialogs, parented to the focused window. */
import { BrowserWindow, dialog } from 'electron';
import type { FileDialogOptions, FileDialogs } from '../core/adapters';

export class ElectronFileDialogs implements FileDialogs {
  async openFile(opts: FileDialogOptions): Promise<string | null> {
    const options: Electron.OpenDialogOptions = { title: opts.title, properties: ['openFile'], ...(opts.defaultPath ? { defaultPath: opts.defaultPath } : {}) };
    const win = BrowserWindow.getFocusedWindow();
    const r = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
    return r.canceled ? null : (r.filePaths[0] ?? null);
  }

  async saveFile(opts: FileDialogOptions): Promise<string | null> {
    const options: Electron.SaveDialogOptions = { title: opts.title, properties: ['createDirectory', 'showOverwriteConfirmation'], ...(opts.defaultPath ? { defaultPath: opts.defaultPath } : {}) };
    const win = BrowserWindow.getFocusedWindow();
    const r = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
    return r.canceled || !r.filePath ? null : r.filePath;
  }
}
