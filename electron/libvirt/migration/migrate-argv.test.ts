import { describe, expect, it } from 'vitest';
import { MigrationOptions } from '../../../shared/model/migration';
import { migrateArgv, migrationUri } from './migrate-argv';

const U = '5d7e57a1-0000-4e2e-8d0c-7e57c0ff1501';
const opts = (o: Partial<MigrationOptions> = {}) => MigrationOptions.parse(o);
const target = { destUri: 'qemu+unix:///system?socket=/tmp/virtdeck-relay.x/libvirt-a.sock', migrateUri: 'tcp://10.0.0.2' };

describe('the virsh migrate line run on the source', () => {
  it('defaults: live, p2p through the relay, persistent on the destination and undefined on the source, data direct', () => {
    expect(migrateArgv(U, opts(), target)).toEqual(['migrate', '--live', '--p2p', '--persistent', '--undefinesource', '--domain', U, '--desturi', target.destUri, '--migrateuri', 'tcp://10.0.0.2']);
  });
  it('tunnelled (path 2) sends no --migrateuri: the data goes through the relay too', () => {
    expect(migrateArgv(U, opts({ path: 'relay-tunnelled', persistent: false }), target)).toEqual(['migrate', '--live', '--p2p', '--tunnelled', '--domain', U, '--desturi', target.destUri]);
  });
  it('every option as its flag; max downtime is not a migrate flag', () => {
    const a = migrateArgv(U, opts({ copyStorage: 'inc', bandwidthMiBps: 5, autoConverge: true, unsafe: true, maxDowntimeMs: 300 }), target);
    expect(a).toEqual(['migrate', '--live', '--p2p', '--persistent', '--undefinesource', '--copy-storage-inc', '--bandwidth', '5', '--auto-converge', '--unsafe', '--domain', U, '--desturi', target.destUri, '--migrateuri', 'tcp://10.0.0.2']);
    expect(a.join(' ')).not.toContain('downtime');
  });
  it('the data address: the user’s, else Virtdeck’s address for the destination unless that is loopback (then the destination names its own)', () => {
    expect(migrationUri(opts(), '127.0.0.2')).toBe('tcp://127.0.0.2');
    expect(migrationUri(opts(), '127.0.0.1')).toBeUndefined();
    expect(migrationUri(opts(), 'localhost')).toBeUndefined();
    expect(migrationUri(opts(), undefined)).toBeUndefined();
    expect(migrationUri(opts({ destAddress: 'fd00::2' }), '127.0.0.1')).toBe('tcp://[fd00::2]');
    expect(migrationUri(opts({ destAddress: 'dest.example' }), 'x')).toBe('tcp://dest.example');
  });
  it('refuses a destination address that could smuggle URI parts or flags', () => {
    for (const bad of ['-x', 'a b', 'h/../x', 'h?socket=/x', '$(id)']) expect(MigrationOptions.safeParse({ destAddress: bad }).success).toBe(false);
  });
});
