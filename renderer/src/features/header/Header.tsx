import { useI18n } from '../../i18n/I18nProvider';
import { languageNames, languages, parseLanguage } from '../../i18n/translate';
import { BackendStatus } from '../backend/BackendStatus';
import { SettingsPopover } from '../settings/SettingsPopover';
import { toggleActivity, useUiStore } from '../../stores/ui';

export function Header() {
  const { t, lang, setLang } = useI18n();
  const activityOpen = useUiStore((s) => s.activityOpen);
  return (
    <header className="app-header">
      <h1 className="app-name">{t('app.name')}</h1>
      <div className="header-right">
        <BackendStatus />
        <button type="button" data-testid="activity-toggle" aria-pressed={activityOpen} onClick={toggleActivity}>
          {t('header.activity')}
        </button>
        <SettingsPopover />
        <label className="lang-switch">
          <span className="visually-hidden">{t('header.language')}</span>
          <select
            data-testid="lang-select"
            value={lang}
            onChange={(e) => {
              const next = parseLanguage(e.target.value);
              if (next) setLang(next);
            }}
          >
            {languages.map((l) => (
              <option key={l} value={l} lang={l}>
                {languageNames[l]}
              </option>
            ))}
          </select>
        </label>
      </div>
    </header>
  );
}
