import { useState, type FormEvent } from 'react';
import type { Prompt, PromptAnswer } from '../../../../shared/model/prompt';
import type { AppErrorShape } from '../../../../shared/errors';
import { useApi } from '../../api/ApiProvider';
import { ErrorText } from '../../components/ErrorText';
import { Modal } from '../../components/Modal';
import { useT } from '../../i18n/I18nProvider';
import { formatError, toErrorShape } from '../../lib/format-error';
import { useHostsStore } from '../../stores/hosts';
import { usePromptsStore } from '../../stores/prompts';
import { keyTypeLabel, sshHostLabel } from './prompt-labels';
import { answerPrompt } from './prompt-sync';

type HostKeyPrompt = Extract<Prompt, { kind: 'hostKey' }>;
type SecretPrompt = Extract<Prompt, { kind: 'secret' }>;

/** Shows the oldest pending prompt; the next one appears when it is answered or withdrawn. */
export function PromptModal() {
  const prompt = usePromptsStore((s) => s.queue[0]);
  if (!prompt) return null;
  // Keyed by id so a following prompt starts with fresh state (empty input, no error).
  return prompt.kind === 'hostKey' ? (
    <HostKeyDialog key={prompt.promptId} prompt={prompt} />
  ) : (
    <SecretDialog key={prompt.promptId} prompt={prompt} />
  );
}

/** Answering state shared by both dialogs. */
function useAnswer(promptId: string) {
  const api = useApi();
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<AppErrorShape | null>(null);
  const send = async (answer: Omit<PromptAnswer, 'promptId'>) => {
    if (sending) return;
    setSending(true);
    setError(null);
    try {
      await answerPrompt(api, { promptId, ...answer });
    } catch (e) {
      setError(toErrorShape(e));
      setSending(false);
    }
  };
  return { sending, error, send };
}

function useHostName(hostId: string): string {
  return useHostsStore((s) => s.hosts.find((h) => h.config.id === hostId)?.config.name ?? hostId);
}

function HostKeyDialog({ prompt }: { prompt: HostKeyPrompt }) {
  const t = useT();
  const name = useHostName(prompt.hostId);
  const { sending, error, send } = useAnswer(prompt.promptId);
  const reject = () => void send({ accept: false });

  return (
    <Modal title={t('prompt.hostKeyTitle')} onCancel={reject} testId="prompt-hostkey">
      <p className="muted">{t('prompt.connectingTo', { name })}</p>
      <p>{t('prompt.hostKeyIntro', { host: sshHostLabel(prompt.host, prompt.port) })}</p>
      <p>
        {t('prompt.hostKeyFingerprint', { keyType: keyTypeLabel(prompt.keyType) })}{' '}
        <code className="fingerprint" data-testid="prompt-fingerprint">
          {prompt.fingerprint}
        </code>
      </p>
      <p>{t('prompt.hostKeyQuestion')}</p>
      {error && <ErrorText>{t('prompt.answerFailed', { message: formatError(t, error) })}</ErrorText>}
      <div className="modal-buttons">
        {/* Reject has initial focus: trusting a key should be a deliberate choice. */}
        <button type="button" data-testid="prompt-reject" data-autofocus disabled={sending} onClick={reject}>
          {t('prompt.reject')}
        </button>
        <button
          type="button"
          className="primary"
          data-testid="prompt-accept"
          disabled={sending}
          onClick={() => void send({ accept: true })}
        >
          {t('prompt.accept')}
        </button>
      </div>
    </Modal>
  );
}

function SecretDialog({ prompt }: { prompt: SecretPrompt }) {
  const t = useT();
  const name = useHostName(prompt.hostId);
  const { sending, error, send } = useAnswer(prompt.promptId);
  const [value, setValue] = useState('');
  const [remember, setRemember] = useState(false);
  const cancel = () => void send({ accept: false });

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void send({ accept: true, value, ...(prompt.canRemember ? { remember } : {}) });
  };

  return (
    <Modal title={t(`prompt.secret.${prompt.purpose}`)} onCancel={cancel} testId="prompt-secret">
      <form className="form" onSubmit={onSubmit}>
        <p className="muted">{t('prompt.connectingTo', { name })}</p>
        {/* The question comes from ssh or the server (e.g. "user@host's password:"): shown verbatim. */}
        <label htmlFor="prompt-secret-input" className="prompt-message">
          {prompt.message}
        </label>
        <input
          id="prompt-secret-input"
          data-testid="prompt-secret-input"
          data-autofocus
          type={prompt.echo ? 'text' : 'password'}
          autoComplete="off"
          spellCheck={false}
          maxLength={4096}
          value={value}
          onChange={(e) => setValue(e.target.value)}
        />
        {prompt.canRemember && (
          <label className="checkbox">
            <input
              type="checkbox"
              data-testid="prompt-remember"
              checked={remember}
              onChange={(e) => setRemember(e.target.checked)}
            />
            {t('prompt.remember')}
          </label>
        )}
        {error && <ErrorText>{t('prompt.answerFailed', { message: formatError(t, error) })}</ErrorText>}
        <div className="modal-buttons">
          <button type="button" data-testid="prompt-cancel" disabled={sending} onClick={cancel}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="primary" data-testid="prompt-ok" disabled={sending}>
            {t('common.ok')}
          </button>
        </div>
      </form>
    </Modal>
  );
}
