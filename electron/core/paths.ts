import { homedir } from 'node:os';
import { join } from 'node:path';

/** Per-OS config and data directories, the same in the desktop app and in browser mode. */
export function appDirs(env: NodeJS.ProcessEnv = process.env, platform = process.platform, home = homedir()) {
  if (platform === 'win32') {
    const appData = env.APPDATA ?? join(home, 'AppData', 'Roaming');
    return { configDir: join(appData, 'Virtdeck'), dataDir: join(appData, 'Virtdeck', 'data') };
  }
  if (platform === 'darwin') {
    const base = join(home, 'Library', 'Application Support', 'Virtdeck');
    return { configDir: base, dataDir: join(base, 'data') };
  }
  // XDG Base Directory spec: relative values are invalid and must be ignored.
  const xdg = (v: string | undefined, fallback: string) => (v && v.startsWith('/') ? v : fallback);
  return {
    configDir: join(xdg(env.XDG_CONFIG_HOME, join(home, '.config')), 'virtdeck'),
    dataDir: join(xdg(env.XDG_DATA_HOME, join(home, '.local', 'share')), 'virtdeck'),
  };
}
