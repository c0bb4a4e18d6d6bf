import './consoles.css';
import { Suspense, useEffect, useState } from 'react';
import { useApi } from '../../api/ApiProvider';
import { useAppInfoSync } from '../backend/backend-sync';
import { useT } from '../../i18n/I18nProvider';
import type { ConsoleRoute } from './console-route';
import { SerialConsole, VncConsole } from './lazy';

/** The whole window is one console: the "open in its own window" target (#console=…). */
export function ConsoleWindow({ route }: { route: ConsoleRoute }) {
  useAppInfoSync();
  const api = useApi();
  const t = useT();
  const [name, setName] = useState(route.uuid);
  useEffect(() => {
    let live = true;
    api.request('consoles.vncInfo', { hostId: route.hostId, uuid: route.uuid }).then(
      (info) => live && setName(info.name),
      () => {},
    );
    return () => {
      live = false;
    };
  }, [api, route.hostId, route.uuid]);
  useEffect(() => {
    document.title = `${name} — ${route.kind === 'vnc' ? t('console.vnc') : t('console.serial')}`;
  }, [name, route.kind, t]);
  return (
    <div className="console-window" data-testid="console-window">
      <Suspense fallback={<p className="muted">{t('common.loading')}</p>}>
        {route.kind === 'vnc' ? (
          <VncConsole hostId={route.hostId} uuid={route.uuid} title={name} />
        ) : (
          <SerialConsole hostId={route.hostId} uuid={route.uuid} {...(route.devname ? { devname: route.devname } : {})} />
        )}
      </Suspense>
    </div>
  );
}
