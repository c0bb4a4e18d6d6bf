import './zod-config';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { getTransport } from './api/client';
import { ApiProvider } from './api/ApiProvider';
import { bindTransport } from './features/backend/backend-sync';
import { I18nProvider } from './i18n/I18nProvider';
import { App } from './App';
import { ConsoleWindow, parseConsoleHash } from './features/consoles';
import './styles.css';

const transport = getTransport();
bindTransport(transport);

const consoleRoute = parseConsoleHash(location.hash);
const root = document.getElementById('root');
if (!root) throw new Error('#root missing from index.html');

createRoot(root).render(
  <StrictMode>
    <I18nProvider>
      <ApiProvider api={transport.api}>
        {/* #console=… shows one console alone (its own window); anything else is the app. */}
        {consoleRoute ? <ConsoleWindow route={consoleRoute} /> : <App />}
      </ApiProvider>
    </I18nProvider>
  </StrictMode>,
);
