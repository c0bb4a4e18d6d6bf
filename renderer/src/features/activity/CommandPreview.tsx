import { useEffect, useState } from 'react';
import { commandText, type CommandPreview as Preview, type PreviewableRequest } from '../../../../shared/api/commands';
import type { RequestArgs } from '../../../../shared/contract';
import type { AppErrorShape } from '../../../../shared/errors';
import { useApi } from '../../api/ApiProvider';
import { ErrorText } from '../../components/ErrorText';
import { useT } from '../../i18n/I18nProvider';
import { formatError, toErrorShape } from '../../lib/format-error';
import './activity.css';

export interface CommandPreviewProps<K extends PreviewableRequest> {
  /** The request the dialog is about to send… */
  request: K;
  /** …with exactly these arguments (null while the form is incomplete). */
  args: RequestArgs<K> | null;
  /** Start expanded (e.g. when the user asked to see commands before running them). */
  open?: boolean;
}

/**
 * "Show command": the exact virsh command line(s) the action would run, asked from the backend
 * (`commands.preview` builds them with the same code that runs them). XML on stdin is shown as
 * a heredoc, streamed files as redirections. Only fetched while open; refetched (debounced) as
 * the form changes.
 */
export function CommandPreview<K extends PreviewableRequest>({ request, args, open: initiallyOpen = false }: CommandPreviewProps<K>) {
  const t = useT();
  const api = useApi();
  const [open, setOpen] = useState(initiallyOpen);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [error, setError] = useState<AppErrorShape | null>(null);
  const argsKey = JSON.stringify(args);

  useEffect(() => {
    if (!open || args === null) return;
    let current = true;
    const timer = setTimeout(() => {
      api.request('commands.preview', { name: request, args }).then(
        (p) => {
          if (!current) return;
          setPreview(p);
          setError(null);
        },
        (e: unknown) => {
          if (!current) return;
          setPreview(null);
          setError(toErrorShape(e));
        },
      );
    }, 250);
    return () => {
      current = false;
      clearTimeout(timer);
    };
    // argsKey stands for args: a new object with the same content must not refetch.
  }, [api, open, request, argsKey]);

  const text = preview?.commands.map(commandText).join('\n\n') ?? '';
  return (
    <details className="command-preview" data-testid="command-preview" open={open} onToggle={(e) => setOpen((e.currentTarget as HTMLDetailsElement).open)}>
      <summary>{t('commands.show')}</summary>
      {args === null ? (
        <p className="hint">{t('commands.incomplete')}</p>
      ) : error ? (
        <ErrorText testId="command-preview-error">{formatError(t, error)}</ErrorText>
      ) : preview ? (
        <>
          <p className="hint">{preview.remote ? t('commands.runsOnRemote', { host: preview.hostName }) : t('commands.runsLocally', { host: preview.hostName })}</p>
          <pre className="command-text" data-testid="command-preview-text">
            {text}
          </pre>
          <button type="button" className="link" onClick={() => void navigator.clipboard?.writeText(text)}>
            {t('commands.copy')}
          </button>
        </>
      ) : (
        <p className="hint">{t('common.loading')}</p>
      )}
    </details>
  );
}
