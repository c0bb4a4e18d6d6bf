import { createContext, useContext, type ReactNode } from 'react';
import type { Api } from '../../../shared/contract';

/** Components get the Api from context rather than a module global, so a test can supply its own. */
const ApiContext = createContext<Api | null>(null);

export function ApiProvider({ api, children }: { api: Api; children: ReactNode }) {
  return <ApiContext.Provider value={api}>{children}</ApiContext.Provider>;
}

export function useApi(): Api {
  const api = useContext(ApiContext);
  if (!api) throw new Error('useApi outside ApiProvider');
  return api;
}
