import { useEffect, useState } from 'react';
import type { HugepageFit } from '../../../../../shared/model/tuning-memory';
import { useApi } from '../../../api/ApiProvider';
import { useT } from '../../../i18n/I18nProvider';

/**
 * Before Start: a shut-off VM with hugepage backing that would not fit what the host has free
 * says why (and how many pages to allocate). Silent for VMs without hugepages, for ones that fit,
 * and when the check cannot run (libvirt's test driver, a disconnect).
 */
export function HugepageFitNote({ hostId, uuid, state }: { hostId: string; uuid: string; state: string }) {
  const t = useT();
  const api = useApi();
  const [fit, setFit] = useState<HugepageFit | null>(null);
  useEffect(() => {
    let current = true;
    setFit(null);
    api.request('tuning.hugepages.check', { hostId, uuid }).then(
      (f) => current && setFit(f),
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [api, hostId, uuid, state]);
  if (!fit || fit.fits) return null;
  return (
    <p className="warn-text" data-testid="hugepage-fit-note">
      {t('tuning.huge.wouldNotStart', { reason: fit.reason ?? '' })}
    </p>
  );
}
