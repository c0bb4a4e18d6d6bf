import { Fragment, useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useApi } from '../../api/ApiProvider';
import { useT } from '../../i18n/I18nProvider';
import { selectBackendReady, useBackendStore } from '../../stores/backend';
import { emptyHostDomains, useDomainsStore } from '../../stores/domains';
import { openContextMenu, openDomainDialog, useUiStore } from '../../stores/ui';
import { requestCommand } from './commands';
import { CloneMenuItems } from '../clone/CloneMenuItems';
import { commandGroups, commandTargets } from './domain-actions';
import { commandShortcut, isMacPlatform } from './shortcuts';
import { selectedShown, type TreeModel } from './tree-model';
import { openMigrate } from '../migration/migration-drag';

const mac = isMacPlatform(typeof navigator === 'undefined' ? '' : navigator.platform);

/**
 * The right-click menu for the selection. Positioned at the pointer and nudged back inside the
 * window; closes on Escape, a click elsewhere, scrolling, resizing or leaving the window.
 */
export function DomainContextMenu({ model }: { model: TreeModel }) {
  const t = useT();
  const api = useApi();
  const menu = useUiStore((s) => s.contextMenu);
  const selection = useUiStore((s) => s.selection);
  const ready = useBackendStore(selectBackendReady);
  const pending = useDomainsStore((s) => (menu ? (s.byHost[menu.hostId] ?? emptyHostDomains) : emptyHostDomains).pending);
  const ref = useRef<HTMLDivElement>(null);
  const [pos, setPos] = useState<{ left: number; top: number } | null>(null);

  useLayoutEffect(() => {
    const el = ref.current;
    if (!menu || !el) return setPos(null);
    const { width, height } = el.getBoundingClientRect();
    setPos({
      left: Math.max(4, Math.min(menu.x, window.innerWidth - width - 4)),
      top: Math.max(4, Math.min(menu.y, window.innerHeight - height - 4)),
    });
  }, [menu]);

  // Only once positioned: the first render is invisible (to measure it), and hidden elements cannot take focus.
  useEffect(() => {
    if (pos) ref.current?.querySelector<HTMLButtonElement>('button:not(:disabled)')?.focus();
  }, [pos]);

  useEffect(() => {
    if (!menu) return;
    const close = () => openContextMenu(null);
    const onPointer = (e: PointerEvent) => {
      if (!ref.current?.contains(e.target as Node)) close();
    };
    document.addEventListener('pointerdown', onPointer, true);
    window.addEventListener('resize', close);
    window.addEventListener('blur', close);
    document.addEventListener('scroll', close, true);
    return () => {
      document.removeEventListener('pointerdown', onPointer, true);
      window.removeEventListener('resize', close);
      window.removeEventListener('blur', close);
      document.removeEventListener('scroll', close, true);
    };
  }, [menu]);

  if (!menu) return null;
  const selected = selectedShown(model, selection.hostId === menu.hostId ? menu.hostId : null, selection.uuids);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const items = [...(ref.current?.querySelectorAll<HTMLButtonElement>('button:not(:disabled)') ?? [])];
    const i = items.indexOf(document.activeElement as HTMLButtonElement);
    const focusAt = (j: number) => items[(j + items.length) % items.length]?.focus();
    if (e.key === 'Escape' || e.key === 'Tab') {
      e.preventDefault();
      openContextMenu(null);
      document.querySelector<HTMLElement>('[data-testid="vm-tree"]')?.focus();
    } else if (e.key === 'ArrowDown') {
      e.preventDefault();
      focusAt(i + 1);
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      focusAt(i - 1);
    } else if (e.key === 'Home' || e.key === 'End') {
      e.preventDefault();
      focusAt(e.key === 'Home' ? 0 : -1);
    }
  };

  return (
    <div
      ref={ref}
      className="context-menu"
      role="menu"
      aria-label={t('domains.contextMenu')}
      data-testid="vm-context-menu"
      style={pos ? { left: pos.left, top: pos.top } : { left: menu.x, top: menu.y, visibility: 'hidden' }}
      onKeyDown={onKeyDown}
      onContextMenu={(e) => e.preventDefault()}
    >
      {commandGroups.map((group, gi) => (
        <Fragment key={gi}>
          {gi > 0 && <div className="menu-sep" role="separator" />}
          {group.map((command) => {
            const targets = commandTargets(command, selected, pending);
            const enabled = ready && (command === 'restorefile' || targets.length > 0);
            const keys = commandShortcut(command, mac);
            return (
              <button
                key={command}
                type="button"
                role="menuitem"
                tabIndex={-1}
                data-testid={`vm-menu-${command}`}
                disabled={!enabled}
                onClick={() => {
                  openContextMenu(null);
                  requestCommand(api, menu.hostId, command, targets);
                }}
              >
                <span>{t(`action.${command}`)}</span>
                {keys && <kbd>{keys}</kbd>}
              </button>
            );
          })}
        </Fragment>
      ))}
      <CloneMenuItems hostId={menu.hostId} selected={selected} ready={ready} />
      <div className="menu-sep" role="separator" />
      <button
        type="button"
        role="menuitem"
        tabIndex={-1}
        data-testid="vm-menu-migrate"
        disabled={!ready || selected.length === 0}
        onClick={() => openMigrate(menu.hostId, selected)}
      >
        <span>{t('action.migrate')}</span>
      </button>
      <button
        type="button"
        role="menuitem"
        tabIndex={-1}
        data-testid="vm-menu-showcommand"
        disabled={!ready || selected.length === 0}
        onClick={() => openDomainDialog({ kind: 'command', hostId: menu.hostId, vms: selected })}
      >
        <span>{t('commands.vmShow')}</span>
      </button>
    </div>
  );
}
