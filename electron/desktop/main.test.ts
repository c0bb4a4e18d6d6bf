import { describe, expect, it, vi } from 'vitest';

const app = vi.hoisted(() => ({
  enableSandbox: vi.fn(),
  requestSingleInstanceLock: vi.fn(() => false),
  quit: vi.fn(),
  exit: vi.fn(),
  whenReady: vi.fn(() => new Promise<void>(() => {})),
  on: vi.fn(),
}));
const protocol = vi.hoisted(() => ({ registerSchemesAsPrivileged: vi.fn(), handle: vi.fn() }));
vi.mock('electron', () => ({
  app,
  protocol,
  BrowserWindow: class {},
  session: { defaultSession: {} },
  shell: {},
  dialog: {},
  ipcMain: { on: vi.fn(), handle: vi.fn() },
  MessageChannelMain: class {},
  safeStorage: {},
}));

describe('desktop app start-up', () => {
  it('a second instance quits and starts nothing (no window, no backend, no second writer of the config)', async () => {
    await import('./main');
    expect(app.requestSingleInstanceLock).toHaveBeenCalled();
    expect(app.quit).toHaveBeenCalled();
    expect(app.whenReady).not.toHaveBeenCalled();
    expect(app.on).not.toHaveBeenCalled();
    // The app:// scheme is registered before the app is ready, as Electron requires.
    expect(protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([expect.objectContaining({ scheme: 'app' })]);
  });
});
