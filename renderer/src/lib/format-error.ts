import { AppError, ErrorCode } from '../../../shared/errors';
import type { AppErrorShape } from '../../../shared/errors';
import type { Translate } from '../i18n/translate';

/** Plain data for stores: never keep Error instances in state. */
export function toErrorShape(e: unknown): AppErrorShape {
  return AppError.from(e).toJSON();
}

/**
 * virsh's (and libvirt's) own text is the most useful thing to show, so it is shown verbatim.
 * Other codes get a translated framing ("SSH authentication failed") in front of the backend's text.
 */
export function formatError(t: Translate, error: { code: string; message: string }): string {
  if (error.code === 'virsh') return error.message;
  const code = ErrorCode.safeParse(error.code);
  if (!code.success) return error.message;
  const framing = t(`error.${code.data}`);
  return error.message ? t('error.withMessage', { framing, message: error.message }) : framing;
}
