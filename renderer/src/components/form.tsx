/**
 * Form controls with their labels, hints and errors wired for screen readers: every input has a visible <label>,
 * hints and errors are linked with aria-describedby, and an error marks the input aria-invalid.
 */
import { useId, useState } from 'react';
import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes } from 'react';
import { IconEye, IconEyeOff, IconSearch } from './icons.js';

interface FieldShell {
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
  className?: string;
}

function describedBy(id: string, hint: unknown, error: unknown): string | undefined {
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

function Shell({ id, label, hint, error, className, children }: FieldShell & { id: string; children: ReactNode }) {
  return (
    <div className={`field ${error ? 'field-invalid' : ''} ${className ?? ''}`.trim()}>
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      {children}
      {hint ? (
        <p className="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

type InputProps = FieldShell &
  Omit<InputHTMLAttributes<HTMLInputElement>, 'onChange' | 'value'> & { value: string; onChange: (v: string) => void };

export function TextField({ label, hint, error, className, value, onChange, ...rest }: InputProps) {
  const id = useId();
  return (
    <Shell id={id} label={label} hint={hint} error={error} className={className}>
      <input
        id={id}
        className="input"
        type="text"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        spellCheck={false}
        {...rest}
      />
    </Shell>
  );
}

/** A secret (password, key, token): masked, with a Show/Hide button; never autocompleted or spell-checked. */
export function SecretField({ label, hint, error, className, value, onChange, ...rest }: InputProps) {
  const id = useId();
  const [shown, setShown] = useState(false);
  return (
    <Shell id={id} label={label} hint={hint} error={error} className={className}>
      <div className="input-with-button">
        <input
          id={id}
          className="input mono-input"
          type={shown ? 'text' : 'password'}
          value={value}
          onChange={(e) => onChange(e.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy(id, hint, error)}
          autoComplete="off"
          spellCheck={false}
          {...rest}
        />
        <button
          type="button"
          className="button button-small button-ghost"
          aria-pressed={shown}
          aria-controls={id}
          onClick={() => setShown((v) => !v)}
        >
          {shown ? <IconEyeOff /> : <IconEye />}
          {shown ? 'Hide' : 'Show'}
          <span className="visually-hidden"> {typeof label === 'string' ? label : 'value'}</span>
        </button>
      </div>
    </Shell>
  );
}

type SelectProps = FieldShell &
  Omit<SelectHTMLAttributes<HTMLSelectElement>, 'onChange' | 'value'> & {
    value: string;
    onChange: (v: string) => void;
    options: ReadonlyArray<{ value: string; label: string }>;
    /** A first, empty choice ("Choose…"). */
    placeholder?: string;
  };

export function SelectField({
  label,
  hint,
  error,
  className,
  value,
  onChange,
  options,
  placeholder,
  ...rest
}: SelectProps) {
  const id = useId();
  const known = options.some((o) => o.value === value);
  return (
    <Shell id={id} label={label} hint={hint} error={error} className={className}>
      <select
        id={id}
        className="select"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        {...rest}
      >
        {placeholder !== undefined ? <option value="">{placeholder}</option> : null}
        {/* A saved value the lookups no longer offer stays visible instead of silently changing. */}
        {!known && value ? <option value={value}>{value} (not found)</option> : null}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </Shell>
  );
}

export function NumberField({
  label,
  hint,
  error,
  className,
  value,
  onChange,
  suffix,
  ...rest
}: InputProps & { suffix?: string }) {
  const id = useId();
  return (
    <Shell id={id} label={label} hint={hint} error={error} className={className}>
      <div className="input-with-suffix">
        <input
          id={id}
          className="input input-number"
          type="number"
          inputMode="numeric"
          value={value}
          onChange={(e) => onChange(e.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy(id, hint, error)}
          {...rest}
        />
        {suffix ? (
          <span className="input-suffix" aria-hidden="true">
            {suffix}
          </span>
        ) : null}
      </div>
    </Shell>
  );
}

export function CheckboxField({
  label,
  hint,
  checked,
  onChange,
  disabled,
}: {
  label: ReactNode;
  hint?: ReactNode;
  checked: boolean;
  onChange: (v: boolean) => void;
  disabled?: boolean;
}) {
  const id = useId();
  return (
    <div className="check-field">
      <input
        id={id}
        type="checkbox"
        className="checkbox"
        checked={checked}
        disabled={disabled}
        onChange={(e) => onChange(e.target.checked)}
        aria-describedby={hint ? `${id}-hint` : undefined}
      />
      <div>
        <label htmlFor={id}>{label}</label>
        {hint ? (
          <p className="field-hint" id={`${id}-hint`}>
            {hint}
          </p>
        ) : null}
      </div>
    </div>
  );
}

/** An on/off switch (a button with role="switch"): for settings that take effect as they are flipped. */
export function Switch({
  checked,
  onChange,
  label,
  disabled,
  describedBy: desc,
}: {
  checked: boolean;
  onChange: (v: boolean) => void;
  label: string;
  disabled?: boolean;
  describedBy?: string;
}) {
  return (
    <button
      type="button"
      role="switch"
      aria-checked={checked}
      aria-label={label}
      aria-describedby={desc}
      className="switch"
      disabled={disabled}
      onClick={() => onChange(!checked)}
    >
      <span className="switch-track" aria-hidden="true">
        <span className="switch-thumb" />
      </span>
      <span className="switch-text" aria-hidden="true">
        {checked ? 'On' : 'Off'}
      </span>
    </button>
  );
}

/** A search box with its (visually hidden) label; `wide` for a filter bar's main search. */
export function SearchBox({
  label,
  placeholder,
  value,
  onChange,
  wide,
}: {
  label: string;
  placeholder: string;
  value: string;
  onChange: (v: string) => void;
  wide?: boolean;
}) {
  const id = useId();
  return (
    <div className={wide ? 'search search-wide' : 'search'}>
      <IconSearch />
      <label className="visually-hidden" htmlFor={id}>
        {label}
      </label>
      <input
        id={id}
        className="input input-search"
        type="search"
        placeholder={placeholder}
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
    </div>
  );
}

/** An error that belongs to a form: shown next to it, announced when it appears. */
export function FormError({ message }: { message: string | undefined }) {
  if (!message) return null;
  return (
    <p className="form-error" role="alert">
      {message}
    </p>
  );
}

/** The foot of a credential form: its error, and the submit button that saves and then tests the connection. */
export function SaveAndTest({ error, busy }: { error: string | undefined; busy: boolean }) {
  return (
    <>
      <FormError message={error} />
      <div className="button-row">
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? 'Saving and testing…' : 'Save and test'}
        </button>
      </div>
    </>
  );
}

/** A short success line, announced politely. */
export function FormSuccess({ message }: { message: string | undefined }) {
  return (
    <p className="form-success" role="status" aria-live="polite">
      {message ?? ''}
    </p>
  );
}
