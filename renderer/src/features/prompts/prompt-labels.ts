/** ssh's own notation: the port is only shown, as [host]:port, when it is not 22. */
export function sshHostLabel(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

/** ssh-keygen -l prints "ED25519", "RSA", "ECDSA"…; the backend may send the wire name. */
export function keyTypeLabel(keyType: string): string {
  const k = keyType.toLowerCase();
  if (k.includes('ed25519')) return 'ED25519';
  if (k.includes('ed448')) return 'ED448';
  if (k.includes('ecdsa')) return 'ECDSA';
  if (k.includes('rsa')) return 'RSA';
  if (k.includes('dss') || k === 'dsa') return 'DSA';
  return keyType.toUpperCase();
}
