/** Preload part for consoles: MessagePorts from main are re-posted to the page (they cannot cross contextBridge). */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { CONSOLE_IPC, type ConsoleBridge } from '../../shared/console-bridge';

export function exposeConsoleBridge(): void {
  ipcRenderer.on(CONSOLE_IPC.port, (e: IpcRendererEvent, msg: { ticket?: unknown }) => {
    if (typeof msg?.ticket !== 'string') return;
    window.postMessage({ virtdeckConsolePort: msg.ticket }, '*', e.ports);
  });
  const bridge: ConsoleBridge = {
    requestPort: (ticket) => ipcRenderer.send(CONSOLE_IPC.port, String(ticket)),
    openWindow: (hash) => ipcRenderer.send(CONSOLE_IPC.openWindow, String(hash)),
  };
  contextBridge.exposeInMainWorld('virtdeckConsoles', bridge);
}
