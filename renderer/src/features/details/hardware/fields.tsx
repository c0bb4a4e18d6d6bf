/**
 * The fields every hardware form and the "Add hardware" dialog are made of (label + control),
 * and the footer they share: "apply now" or "after the next boot", "Show command", Apply.
 */
import type { ReactNode } from 'react';
import type { RequestArgs } from '../../../../../shared/contract';
import { useT } from '../../../i18n/I18nProvider';
import { CommandPreview } from '../../activity/CommandPreview';

interface Base {
  label: ReactNode;
  testId?: string;
  disabled?: boolean;
}

export function TextField({ label, value, onChange, testId, disabled, mono, placeholder, required, pattern, type }: Base & { value: string; onChange: (v: string) => void; mono?: boolean; placeholder?: string; required?: boolean; pattern?: string; type?: 'text' | 'password' }) {
  return (
    <label>
      {label}
      <input
        type={type ?? 'text'}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        disabled={disabled}
        placeholder={placeholder}
        required={required}
        pattern={pattern}
        className={mono ? 'mono' : undefined}
        autoComplete={type === 'password' ? 'new-password' : undefined}
        data-testid={testId}
      />
    </label>
  );
}

export function NumberField({ label, value, onChange, testId, disabled, min, max, step, placeholder }: Base & { value: string; onChange: (v: string) => void; min?: number; max?: number; step?: number; placeholder?: string }) {
  return (
    <label>
      {label}
      <input type="number" value={value} onChange={(e) => onChange(e.target.value)} disabled={disabled} min={min} max={max} step={step} placeholder={placeholder} data-testid={testId} />
    </label>
  );
}

/** Options are values shown as themselves, or [value, label] pairs. */
export type Options = readonly (string | readonly [string, string])[];

export function SelectField({ label, value, onChange, options, testId, disabled }: Base & { value: string; onChange: (v: string) => void; options: Options }) {
  return (
    <label>
      {label}
      <select value={value} onChange={(e) => onChange(e.target.value)} disabled={disabled} data-testid={testId}>
        {options.map((o) => {
          const [v, l] = typeof o === 'string' ? [o, o] : o;
          return (
            <option key={v} value={v}>
              {l}
            </option>
          );
        })}
      </select>
    </label>
  );
}

export function CheckField({ label, checked, onChange, testId, disabled }: Base & { checked: boolean; onChange: (v: boolean) => void }) {
  return (
    <label className="checkbox">
      <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} disabled={disabled} data-testid={testId} />
      {label}
    </label>
  );
}

interface FooterProps {
  /** The VM runs (it has a live config). */
  running: boolean;
  /**
   * What libvirt can change on the running VM for this form: offered as "apply now" (with a
   * hint saying what it covers); without it the form says the change waits for the next boot.
   */
  live?: { value: boolean; set: (v: boolean) => void; hint: string };
  busy: boolean;
  /** The request Apply sends (null while the form is incomplete): "Show command" previews exactly it. */
  args: RequestArgs<'details.edit'> | null;
}

/** The end of every hardware form: when it takes effect, the exact commands, and Apply. */
export function FormFooter({ running, live, busy, args }: FooterProps) {
  const t = useT();
  return (
    <>
      {running && live && <CheckField label={<>{t('details.hw.applyNow')} <span className="muted">{live.hint}</span></>} checked={live.value} onChange={live.set} testId="hw-live" />}
      {running && (!live || !live.value) && <p className="note">{t('details.hw.nextBoot')}</p>}
      <CommandPreview request="details.edit" args={args} />
      <div className="form-buttons">
        <button type="submit" className="primary" disabled={busy || args === null} data-testid="hw-apply">
          {t('details.hw.apply')}
        </button>
      </div>
    </>
  );
}
