import type { RootRights } from '../../../../../shared/model/tuning-memory';
import { useT } from '../../../i18n/I18nProvider';

/** How changes that need root will run on this host: directly, through sudo -n, or not at all (the command is shown). */
export function RootRightsNote({ rights }: { rights: RootRights }) {
  const t = useT();
  const text = rights.root ? t('tuning.rights.root') : rights.sudo ? t('tuning.rights.sudo') : t('tuning.rights.none', { uid: rights.uid ?? '?' });
  return (
    <p className={rights.root || rights.sudo ? 'muted' : 'warn-text'} data-testid="tuning-rights" data-rights={rights.root ? 'root' : rights.sudo ? 'sudo' : 'none'}>
      {text}
    </p>
  );
}

/** Inside an action dialog whose change needs root this connection does not have. */
export function NeedsRootNote({ rights }: { rights: RootRights }) {
  const t = useT();
  if (rights.root || rights.sudo) return null;
  return (
    <p className="warn-text" data-testid="tuning-needs-root">
      {t('tuning.needsRoot')}
    </p>
  );
}
