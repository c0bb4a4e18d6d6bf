/**
 * Hides secrets in text that is shown or logged but not run: the XML a `define` feeds on stdin
 * carries graphics passwords (`passwd='…'`, because virsh dumps with --security-info). The
 * "Show command" preview and the activity log show it with the value replaced; what runs keeps
 * the real value.
 */
export const REDACTED = '********';

/** An attribute named exactly `passwd` (not passwdValidTo), either quote style. */
const PASSWD_ATTR = /(\spasswd\s*=\s*)(?:'[^']*'|"[^"]*")/g;

/**
 * A crypt(3) password hash ($1$, $5$, $6$, $y$, $2b$…), as cloud-init user-data carries one
 * (`passwd:`): a hash can be cracked offline, so it is hidden like the password itself.
 */
const CRYPT_HASH = /\$(?:1|2[abxy]?|5|6|7|y|gy)\$[./0-9A-Za-z$=,]{8,}/g;

export function redactSecrets(text: string): string {
  return text
    .replace(PASSWD_ATTR, (m: string, lead: string) => {
      const q = m.slice(lead.length, lead.length + 1);
      return `${lead}${q}${REDACTED}${q}`;
    })
    .replace(CRYPT_HASH, REDACTED);
}
