/** Ctrl+N (desktop) / Alt+N (browser mode) opens the wizard from anywhere but another dialog. */
import { useEffect } from 'react';
import { useBackendStore } from '../../stores/backend';
import { isMacPlatform } from '../domains/shortcuts';
import { useInstallPhasesSync } from './phase-sync';
import { isNewVmShortcut } from './shortcut';
import { connectedHostIds, openNewVm } from './wizard-store';

const mac = isMacPlatform(typeof navigator === 'undefined' ? '' : navigator.platform);

export function useNewVmEntry(): void {
  const mode = useBackendStore((s) => s.mode);
  useInstallPhasesSync();
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.repeat || !isNewVmShortcut(e, mode, mac)) return;
      // Another modal owns the keyboard (and a console tab with the keyboard grabbed sends keys to the guest).
      if (document.querySelector('dialog[open]') || (e.target instanceof HTMLElement && e.target.closest('.vnc-screen, .serial-terminal'))) return;
      if (connectedHostIds().length === 0) return;
      e.preventDefault();
      openNewVm();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [mode]);
}
