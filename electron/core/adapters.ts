/**
 * What differs between the desktop app and browser mode. Electron implementations live in
 * electron/desktop/; the Node ones in electron/web/. Nothing else knows which one runs.
 */
export interface SecretStore {
  /** True when secrets survive a restart encrypted (desktop safeStorage); browser mode keeps none. */
  readonly persistent: boolean;
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
}

export interface Platform {
  readonly mode: 'desktop' | 'web';
  readonly version: string;
  readonly homeDir: string;
  /** Where connections.json lives (XDG config dir on Linux). */
  readonly configDir: string;
  /** Where history and other app data live. */
  readonly dataDir: string;
  readonly secrets: SecretStore;
  /**
   * This computer's native file choosers (desktop: Electron's dialogs). Absent in browser mode:
   * there "this computer" is the browser's machine, and uploads/downloads go through the
   * browser's own file input and downloads (storage.volumes.uploadFromBrowser/downloadToBrowser).
   */
  readonly fileDialogs?: FileDialogs;
}

export interface FileDialogOptions {
  title: string;
  /** Suggested file (save) or starting folder/file (open). */
  defaultPath?: string;
}

/**
 * Native "Open" / "Save as" dialogs; each resolves with the chosen absolute path, or null when
 * cancelled. The path stays in the backend: the page gets a handle for it (local-files.ts).
 */
export interface FileDialogs {
  openFile(opts: FileDialogOptions): Promise<string | null>;
  saveFile(opts: FileDialogOptions): Promise<string | null>;
}

/** Browser mode: secrets are held for this process only, never written anywhere. */
export class MemorySecretStore implements SecretStore {
  /**
   * Browser mode keeps nothing across a restart (false). Tests pass true to stand in for the
   * desktop keychain, where "remember" applies.
   */
  constructor(readonly persistent = false) {}
  readonly values = new Map<string, string>();
  async get(key: string) {
    return this.values.get(key);
  }
  async set(key: string, value: string) {
    this.values.set(key, value);
  }
  async delete(key: string) {
    this.values.delete(key);
  }
}
