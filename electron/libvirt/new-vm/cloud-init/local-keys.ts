/**
 * The public keys of the user running Virtdeck (~/.ssh/*.pub), offered by the cloud-init step
 * so the new VM accepts the same logins. Only .pub files are read; private keys never are.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { LocalSshKey } from '../../../../shared/model/cloud-init';
import { SshPublicKey } from '../../../../shared/model/cloud-init';

export async function localSshKeys(dir: string): Promise<LocalSshKey[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const out: LocalSshKey[] = [];
  for (const name of names.filter((n) => n.endsWith('.pub')).sort()) {
    const file = join(dir, name);
    const st = await stat(file).catch(() => null);
    if (!st?.isFile() || st.size > 64 * 1024) continue;
    const text = await readFile(file, 'utf8').catch(() => '');
    for (const line of text.split('\n').map((l) => l.trim())) {
      if (!SshPublicKey.safeParse(line).success) continue;
      out.push({ file, key: line, comment: line.split(' ').slice(2).join(' ') });
    }
  }
  return out;
}
