import { z } from 'zod';

/** Every failure that crosses the API boundary is one of these codes plus a human message. */
export const ErrorCode = z.enum([
  'invalid_args', // payload failed schema validation
  'not_found', // no such host, domain, prompt…
  'virsh', // virsh reported an error; message is virsh's own text
  'permission', // libvirt refused access (polkit, socket group…)
  'ssh_auth', // authentication failed
  'host_key_unknown_rejected', // the user declined a new host key
  'host_key_changed', // known_hosts has a different key: refused, never overridable
  'channel_refused', // sshd refused a new channel (MaxSessions)
  'timeout',
  'disconnected', // connection dropped while the command was in flight
  'cancelled',
  'unsupported',
  'internal',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const AppErrorShape = z.object({
  code: ErrorCode,
  message: z.string(),
  detail: z.string().optional(),
});
export type AppErrorShape = z.infer<typeof AppErrorShape>;

/** Thrown on both sides of the boundary; serialises to {code, message, detail}. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly detail?: string;
  constructor(code: ErrorCode, message: string, detail?: string) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    if (detail !== undefined) this.detail = detail;
  }
  toJSON(): AppErrorShape {
    return this.detail === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, detail: this.detail };
  }
  static from(e: unknown): AppError {
    if (e instanceof AppError) return e;
    const parsed = AppErrorShape.safeParse(e);
    if (parsed.success) return new AppError(parsed.data.code, parsed.data.message, parsed.data.detail);
    return new AppError('internal', e instanceof Error ? e.message : String(e));
  }
}
