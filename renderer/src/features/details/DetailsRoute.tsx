import { useEffect, useState } from 'react';
import { InstallBar } from '../new-vm/InstallBar';
import { DetailsView } from './DetailsView';
import { detailsHash, parseDetailsHash, type DetailsTarget } from './details-hash';

/** The details target in the URL hash, kept in sync with it (Back closes the details). */
export function useDetailsHashRoute(): [DetailsTarget | null, (t: DetailsTarget | null) => void] {
  const [target, setTarget] = useState(() => parseDetailsHash(location.hash));
  useEffect(() => {
    const sync = () => setTarget(parseDetailsHash(location.hash));
    window.addEventListener('hashchange', sync);
    return () => window.removeEventListener('hashchange', sync);
  }, []);
  const navigate = (t: DetailsTarget | null) => {
    if (t) location.hash = detailsHash(t);
    // Dropping the hash without leaving a '#' behind or reloading.
    else history.pushState(null, '', location.pathname + location.search);
    setTarget(t);
  };
  return [target, navigate];
}

/** Shows the details of the VM named by `#details=<hostId>/<uuid>`, over whatever is below. */
export function DetailsRoute() {
  const [target, navigate] = useDetailsHashRoute();
  if (!target) return null;
  return (
    <div className="details-overlay">
      <DetailsView key={`${target.hostId}/${target.uuid}`} hostId={target.hostId} uuid={target.uuid} onClose={() => navigate(null)} banner={<InstallBar hostId={target.hostId} uuid={target.uuid} onClose={() => navigate(null)} />} />
    </div>
  );
}

/** Opens a VM's details from anywhere (the list's double-click / Enter can call this). */
export function openDetails(t: DetailsTarget): void {
  location.hash = detailsHash(t);
}
