import { describe, expect, it, vi } from 'vitest';

const handlers = vi.hoisted(() => new Map<string, (...a: any[]) => unknown>());
vi.mock('electron', () => ({ ipcMain: { handle: (ch: string, fn: (...a: any[]) => unknown) => handlers.set(ch, fn), removeHandler: () => {} } }));
const { wireIpc } = await import('./ipc');
const { IPC } = await import('../../shared/contract');

describe('the backend answers only the app page of its own windows', () => {
  const backend = { handle: vi.fn(async () => ({ ok: true, result: 'ran' })) };
  const ours = { id: 1, mainFrame: { url: 'app://virtdeck/index.html#console=h:x' } };
  wireIpc(backend as never, (wc) => wc.id === 1);
  const ask = (sender: { id: number; mainFrame: unknown }, frame: unknown) => handlers.get(IPC.request)!({ sender, senderFrame: frame }, 'app.info', {});

  it('runs requests from the app page', async () => {
    expect(await ask(ours, ours.mainFrame)).toEqual({ ok: true, result: 'ran' });
  });

  it('refuses requests from another page, a subframe, a gone frame or another window', async () => {
    const elsewhere = { id: 1, mainFrame: { url: 'https://evil.example/index.html' } };
    expect(await ask(elsewhere, elsewhere.mainFrame)).toMatchObject({ ok: false });
    expect(await ask(ours, { url: 'app://virtdeck/index.html' })).toMatchObject({ ok: false });
    expect(await ask(ours, null)).toMatchObject({ ok: false });
    const other = { id: 2, mainFrame: { url: 'app://virtdeck/index.html' } };
    expect(await ask(other, other.mainFrame)).toMatchObject({ ok: false });
    expect(backend.handle).toHaveBeenCalledTimes(1);
  });
});
