/** The VM row's marker while the VM is being customized before installation or is installing. */
import { useT } from '../../i18n/I18nProvider';
import { selectPhase, usePhaseStore } from './phase-store';

export function PhaseBadge({ hostId, uuid, name }: { hostId: string; uuid: string; name: string }) {
  const t = useT();
  const phase = usePhaseStore(selectPhase(hostId, uuid));
  if (!phase) return null;
  return (
    <span className={`badge newvm-phase-${phase}`} data-testid={`vm-phase-${name}`} data-phase={phase} title={t(`newvm.phase.${phase}Hint`)}>
      {t(`newvm.phase.${phase}`)}
    </span>
  );
}
