/**
 * Browser mode authenticates the WebSocket with a token the server prints as part of a URL.
 * It is moved out of the address bar (so it is not bookmarked, shared or left in history)
 * into sessionStorage, which survives reloads of this tab only.
 */
const storageKey = 'virtdeck.token';

/** Splits `?token=…` off a query string; returns the remaining query ('' or '?a=b'). */
export function splitToken(search: string): { token: string | null; rest: string } {
  const params = new URLSearchParams(search);
  const token = params.get('token');
  params.delete('token');
  const rest = params.toString();
  return { token: token || null, rest: rest ? `?${rest}` : '' };
}

export function takeTokenFromLocation(): string | null {
  const { token, rest } = splitToken(location.search);
  if (token !== null) {
    sessionStorage.setItem(storageKey, token);
    history.replaceState(history.state, '', `${location.pathname}${rest}${location.hash}`);
    return token;
  }
  return sessionStorage.getItem(storageKey);
}

export function webSocketUrl(loc: { protocol: string; host: string }, token: string | null): string {
  const scheme = loc.protocol === 'https:' ? 'wss' : 'ws';
  const query = token === null ? '' : `?token=${encodeURIComponent(token)}`;
  return `${scheme}://${loc.host}/api/ws${query}`;
}
