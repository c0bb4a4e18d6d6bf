/**
 * The renderer is served from app://virtdeck/, a privileged standard + secure scheme, not from
 * file://: that lets the GrantFileProtocolExtraPrivileges fuse go off (file:// pages get no
 * extra powers), gives the app a real origin for CSP 'self' and permission checks, and means
 * the page can read exactly the built renderer folder and nothing else on disk.
 * https://www.electronjs.org/docs/latest/api/protocol#protocolhandlescheme-handler
 */
import { protocol } from 'electron';
import { CONTENT_SECURITY_POLICY } from '../core/csp';
import { readStatic } from '../web/static-files';

export const APP_SCHEME = 'app';
export const APP_HOST = 'virtdeck';
/** The one page the windows may show (console windows add a #console=… hash). */
export const APP_PAGE = `${APP_SCHEME}://${APP_HOST}/index.html`;

/** True for any URL of the app's own origin (app://virtdeck). Node's URL gives custom schemes no origin, so protocol and host are compared. */
export function isAppOrigin(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST && u.username === '' && u.password === '' && u.port === '';
  } catch {
    return false;
  }
}

/** Exactly the app's page: the whole URL, apart from the in-page #route, must match. */
export function isAppPage(url: string): boolean {
  if (!isAppOrigin(url)) return false;
  const u = new URL(url);
  u.hash = '';
  return u.href === APP_PAGE;
}

/**
 * Must run before the app is ready (Electron reads privileged schemes at start-up). No
 * corsEnabled: without it no other origin can read app:// responses; the page's own module
 * scripts are same-origin.
 */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

/** Serves GET app://virtdeck/<file> from `rendererDir`; anything outside it, another host or method is a 404. */
export function serveRenderer(rendererDir: string): void {
  protocol.handle(APP_SCHEME, (req) => rendererResponse(rendererDir, req));
}

export async function rendererResponse(rendererDir: string, req: Request): Promise<Response> {
  const notFound = () => new Response('not found', { status: 404, headers: { 'content-type': 'text/plain' } });
  if (req.method !== 'GET' || !isAppOrigin(req.url)) return notFound();
  const file = await readStatic(rendererDir, new URL(req.url).pathname);
  if (!file) return notFound();
  return new Response(new Uint8Array(file.body), {
    headers: { 'content-type': file.type, 'content-security-policy': CONTENT_SECURITY_POLICY, 'x-content-type-options': 'nosniff' },
  });
}
