import { useAppInfoSync } from './features/backend/backend-sync';
import { BackendBanner } from './features/backend/BackendStatus';
import { useDomainsSync } from './features/domains/domain-sync';
import { DomainPanel } from './features/domains/DomainPanel';
import { Header } from './features/header/Header';
import { ConnectionDialog } from './features/hosts/ConnectionDialog';
import { HostSidebar } from './features/hosts/HostSidebar';
import { useHostsSync } from './features/hosts/host-sync';
import { PromptModal } from './features/prompts/PromptModal';
import { usePromptsSync } from './features/prompts/prompt-sync';
import { useUiStore } from './stores/ui';

export function App() {
  useAppInfoSync();
  useHostsSync();
  useDomainsSync();
  usePromptsSync();
  const dialog = useUiStore((s) => s.connectionDialog);

  return (
    <div className="app">
      <Header />
      <BackendBanner />
      <div className="layout">
        <HostSidebar />
        <DomainPanel />
      </div>
      {dialog && <ConnectionDialog key={dialog.kind === 'edit' ? dialog.hostId : 'add'} dialog={dialog} />}
      {/* Last, so a prompt raised while another dialog is open stacks above it. */}
      <PromptModal />
    </div>
  );
}
