import { useT } from '../../i18n/I18nProvider';
import type { Translate } from '../../i18n/translate';
import { formatError } from '../../lib/format-error';
import { quotedList } from '../../lib/format-list';
import { dismiss, useNotificationsStore, type Notification } from '../../stores/notifications';
import { openDomainDialog } from '../../stores/ui';

/** Failures shown one per line, at most this many (the rows keep every VM's own message). */
const maxLines = 5;

function text(t: Translate, n: Notification): { title: string; body?: string } {
  switch (n.kind) {
    case 'failed': {
      const names = quotedList(t, n.failures.map((f) => f.name));
      const lines = n.failures.slice(0, maxLines).map((f) => `${f.name}: ${formatError(t, f.error)}`);
      if (n.failures.length > maxLines) lines.push(t('list.more', { list: '…', count: n.failures.length - maxLines }));
      // "Save to file…" names a dialog; in a sentence the ellipsis would read as an unfinished thought.
      const action = t(`action.${n.command}`).replace(/…$/, '');
      return { title: t('notify.failed', { action, names }), body: lines.join('\n') };
    }
    case 'done':
      if (n.command === 'savefile') return { title: t('notify.saved', { name: n.name, path: n.path ?? '' }) };
      if (n.command === 'restorefile') return { title: t('notify.restored', { path: n.path ?? n.name }) };
      return { title: t('notify.deleted', { name: n.name }) };
    case 'started':
      return { title: t('notify.restoring', { path: n.path }) };
    case 'notice':
      return {
        title: t(n.notice === 'shutdown-ignored' ? 'notify.shutdownIgnored' : 'notify.rebootIgnored', { name: n.name }),
        body: t('notify.ignoredHint'),
      };
  }
}

/** Toasts in a corner: errors and notices stay until dismissed, information fades after 10 s. */
export function Notifications() {
  const t = useT();
  const items = useNotificationsStore((s) => s.items);
  return (
    <section className="notifications" data-testid="notifications" aria-label={t('notify.region')} aria-live="polite">
      {items.map((n) => {
        const { title, body } = text(t, n);
        return (
          <div
            key={n.id}
            className={`notification ${n.severity}`}
            data-testid="notification"
            data-severity={n.severity}
            role={n.severity === 'error' ? 'alert' : 'status'}
          >
            <div className="notification-text">
              <div className="notification-title">{title}</div>
              {body && <div className="notification-body">{body}</div>}
            </div>
            <div className="notification-actions">
              {n.kind === 'notice' && (
                <button
                  type="button"
                  className="danger"
                  data-testid="notice-force-off"
                  onClick={() =>
                    openDomainDialog({
                      kind: 'confirm',
                      hostId: n.hostId,
                      command: 'destroy',
                      targets: [{ uuid: n.uuid, name: n.name }],
                      noticeId: n.id,
                    })
                  }
                >
                  {t('action.destroy')}
                </button>
              )}
              <button
                type="button"
                className="icon-button"
                data-testid="notification-dismiss"
                aria-label={t('common.dismiss')}
                title={t('common.dismiss')}
                onClick={() => dismiss(n.id)}
              >
                ×
              </button>
            </div>
          </div>
        );
      })}
    </section>
  );
}
