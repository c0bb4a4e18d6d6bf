import { useT } from '../../i18n/I18nProvider';
import { setStateFilter, setVmFilter, useUiStore } from '../../stores/ui';
import { Popover } from '../../components/Popover';
import { stateFilters, type StateFilter } from './domain-actions';
import { isMacPlatform, shortcutHelp } from './shortcuts';

const mac = isMacPlatform(typeof navigator === 'undefined' ? '' : navigator.platform);

/** Name and state filters for every host's VMs, and the keyboard help. */
export function ListFilters() {
  const t = useT();
  const filter = useUiStore((s) => s.vmFilter);
  const stateFilter = useUiStore((s) => s.stateFilter);
  return (
    <div className="list-filters">
      <input
        type="search"
        className="filter"
        data-testid="vm-filter"
        placeholder={t('domains.filter')}
        aria-label={t('domains.filter')}
        value={filter}
        onChange={(e) => setVmFilter(e.target.value)}
      />
      <select
        data-testid="vm-state-filter"
        aria-label={t('domains.stateFilter')}
        value={stateFilter}
        onChange={(e) => setStateFilter(e.target.value as StateFilter)}
      >
        {stateFilters.map((f) => (
          <option key={f} value={f}>
            {t(`stateFilter.${f}`)}
          </option>
        ))}
      </select>
      <ShortcutHelp />
    </div>
  );
}

function ShortcutHelp() {
  const t = useT();
  const entries = shortcutHelp(mac);
  const tooltip = [t('shortcuts.title'), ...entries.map((e) => `${e.keys.join(' ')}  ${t(e.label)}`)].join('\n');
  return (
    <Popover label="?" title={t('shortcuts.title')} tooltip={tooltip} testId="shortcuts-help" className="shortcuts-popover">
      <p className="hint">{t('shortcuts.intro')}</p>
      <table className="shortcut-table">
        <tbody>
          {entries.map((e) => (
            <tr key={e.label}>
              <td>
                {e.keys.map((k, i) => (
                  <kbd key={i}>{k}</kbd>
                ))}
              </td>
              <td>{t(e.label)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Popover>
  );
}
