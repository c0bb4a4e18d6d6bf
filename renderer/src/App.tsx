import { useAppInfoSync } from './features/backend/backend-sync';
import { BackendBanner } from './features/backend/BackendStatus';
import { useDomainsSync } from './features/domains/domain-sync';
import { useTemplatesSync } from './features/clone/template-store';
import { DomainDialogs } from './features/domains/DomainDialogs';
import { DetailsRoute } from './features/details';
import { Header } from './features/header/Header';
import { MainArea } from './features/shell/MainArea';
import { NewVmWizard, useNewVmEntry } from './features/new-vm';
import { MainTabs } from './features/shell/MainTabs';
import { ConnectionDialog } from './features/hosts/ConnectionDialog';
import { useHostsSync } from './features/hosts/host-sync';
import { Notifications } from './features/notifications/Notifications';
import { PromptModal } from './features/prompts/PromptModal';
import { usePromptsSync } from './features/prompts/prompt-sync';
import { useSettingsSync } from './features/settings/settings-sync';
import { useStatsSync } from './features/stats/stats-sync';
import { useUiStore } from './stores/ui';

export function App() {
  useAppInfoSync();
  useHostsSync();
  useDomainsSync();
  useTemplatesSync();
  useStatsSync();
  useSettingsSync();
  usePromptsSync();
  useNewVmEntry();
  const dialog = useUiStore((s) => s.connectionDialog);

  return (
    <div className="app">
      <Header />
      <BackendBanner />
      <MainTabs />
      <MainArea />
      <DetailsRoute />
      <Notifications />
      <DomainDialogs />
      <NewVmWizard />
      {dialog && <ConnectionDialog key={dialog.kind === 'edit' ? dialog.hostId : 'add'} dialog={dialog} />}
      {/* Last, so a prompt raised while another dialog is open stacks above it. */}
      <PromptModal />
    </div>
  );
}
