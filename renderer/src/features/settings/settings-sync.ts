import { useEffect } from 'react';
import type { Api } from '../../../../shared/contract';
import type { Settings } from '../../../../shared/model/stats';
import { useApi } from '../../api/ApiProvider';
import { toErrorShape } from '../../lib/format-error';
import { selectBackendReady, useBackendStore } from '../../stores/backend';
import { useSettingsStore } from '../../stores/settings';

/** Sends a settings change; the store takes the backend's answer (the settings as they now are). */
export async function updateSettings(api: Api, patch: Partial<Settings>): Promise<void> {
  try {
    const settings = await api.request('settings.update', patch);
    useSettingsStore.setState({ settings, error: null });
  } catch (e) {
    useSettingsStore.setState({ error: toErrorShape(e) });
  }
}

/**
 * Loads the settings whenever the backend (re)connects, and tells the backend whether anyone is
 * looking: while the page is hidden it stops polling stats, which costs the hosts nothing then.
 */
export function useSettingsSync() {
  const api = useApi();
  const ready = useBackendStore(selectBackendReady);

  useEffect(() => {
    if (!ready) return;
    let current = true;
    api.request('settings.get', {}).then(
      (settings) => {
        if (current) useSettingsStore.setState({ settings, error: null });
      },
      (e: unknown) => {
        if (current) useSettingsStore.setState({ error: toErrorShape(e) });
      },
    );
    // A restarted backend does not know this page's visibility yet. Each client reports its own:
    // the backend polls while any of them is visible.
    const onVisibility = () => void api.request('app.visibility', { visible: !document.hidden }).catch(() => {});
    onVisibility();
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      current = false;
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [api, ready]);
}
