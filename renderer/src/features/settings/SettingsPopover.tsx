import { useApi } from '../../api/ApiProvider';
import { useT } from '../../i18n/I18nProvider';
import { formatError } from '../../lib/format-error';
import { Popover } from '../../components/Popover';
import { selectBackendReady, useBackendStore } from '../../stores/backend';
import { statsIntervals, useSettingsStore } from '../../stores/settings';
import { updateSettings } from './settings-sync';

/** Header popover with the stats refresh interval (the backend polls every connected host at it). */
export function SettingsPopover() {
  const t = useT();
  const api = useApi();
  const ready = useBackendStore(selectBackendReady);
  const { settings, error } = useSettingsStore();
  const current = settings?.statsIntervalMs;
  // A value set elsewhere (e.g. edited by hand) stays selectable rather than silently shown as another.
  const options = current !== undefined && !(statsIntervals as readonly number[]).includes(current)
    ? [...statsIntervals, current].sort((a, b) => a - b)
    : statsIntervals;

  return (
    <Popover label="⚙" title={t('settings.title')} testId="settings-button" className="settings-popover">
      <label className="settings-field">
        <span>{t('settings.statsInterval')}</span>
        <select
          data-testid="settings-interval"
          value={current ?? ''}
          disabled={!ready || settings === null}
          onChange={(e) => void updateSettings(api, { statsIntervalMs: Number(e.target.value) })}
        >
          {settings === null && <option value="">{t('common.loading')}</option>}
          {options.map((ms) => (
            <option key={ms} value={ms}>
              {t('settings.seconds', { seconds: ms / 1000 })}
            </option>
          ))}
        </select>
      </label>
      <p className="hint">{t('settings.statsHint')}</p>
      {error && (
        <p className="field-error" data-testid="settings-error">
          {t('settings.failed', { message: formatError(t, error) })}
        </p>
      )}
    </Popover>
  );
}
