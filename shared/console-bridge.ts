/**
 * Desktop-only names for console byte channels (MessagePorts) and console windows. Ports cannot
 * cross contextBridge, so the preload re-posts each one to the page with window.postMessage.
 */
export const CONSOLE_IPC = {
  /** renderer → main: claim this ticket; main answers with a MessagePort on the same channel. */
  port: 'virtdeck:console-port',
  /** renderer → main: open the app in a new window showing one console (a location hash). */
  openWindow: 'virtdeck:console-window',
} as const;

/** What the preload exposes as `window.virtdeckConsoles`. */
export interface ConsoleBridge {
  /** Asks for the port of a ticket; it arrives as a window 'message' event `{ virtdeckConsolePort: ticket }` with the port in `ports[0]`. */
  requestPort(ticket: string): void;
  openWindow(hash: string): void;
}

/** Only hashes the console route produces may open a window. */
export const CONSOLE_WINDOW_HASH = /^#console=(vnc|serial)&host=[A-Za-z0-9_-]{1,64}&uuid=[0-9a-fA-F-]{36}(&dev=[A-Za-z0-9_.-]{1,64})?$/;
