/**
 * Pool XML from the per-type form: the same elements `virsh pool-define-as` would write, per
 * https://libvirt.org/formatstorage.html and the examples in https://libvirt.org/storage.html.
 * Every value is escaped; nothing the user typed can add elements or attributes.
 */
import type { PoolSpec } from '../../shared/model/storage';
import { xmlEscape as x } from '../xml/dom';

/** Where each type's volumes appear on the host when the form does not say. */
const DEFAULT_TARGET: Partial<Record<PoolSpec['type'], string>> = {
  disk: '/dev',
  iscsi: '/dev/disk/by-path',
};

function sourceXml(spec: PoolSpec): string {
  switch (spec.type) {
    case 'dir':
      return '';
    case 'fs':
      return `<source><device path='${x(spec.device)}'/>${spec.format === 'auto' ? '' : `<format type='${x(spec.format)}'/>`}</source>`;
    case 'netfs':
      return (
        `<source><host name='${x(spec.host)}'/><dir path='${x(spec.sourcePath)}'/>` +
        `${spec.format === 'auto' ? '' : `<format type='${x(spec.format)}'/>`}` +
        // nfsvers mount option (virsh pool-define-as --source-protocol-ver)
        `${spec.protocolVersion ? `<protocol ver='${x(spec.protocolVersion)}'/>` : ''}</source>`
      );
    case 'logical':
      return `<source>${spec.devices.map((d) => `<device path='${x(d)}'/>`).join('')}<name>${x(spec.vgName)}</name><format type='lvm2'/></source>`;
    case 'disk':
      return `<source><device path='${x(spec.device)}'/><format type='${x(spec.format)}'/></source>`;
    case 'iscsi':
      return (
        `<source><host name='${x(spec.host)}'${spec.port ? ` port='${spec.port}'` : ''}/><device path='${x(spec.target)}'/>` +
        `${spec.initiator ? `<initiator><iqn name='${x(spec.initiator)}'/></initiator>` : ''}</source>`
      );
    case 'rbd':
      return (
        `<source><name>${x(spec.cephPool)}</name>` +
        spec.monitors.map((m) => `<host name='${x(m.host)}'${m.port ? ` port='${m.port}'` : ''}/>`).join('') +
        (spec.auth ? `<auth type='ceph' username='${x(spec.auth.username)}'><secret uuid='${x(spec.auth.secretUuid)}'/></auth>` : '') +
        '</source>'
      );
    case 'gluster':
      return `<source><host name='${x(spec.host)}'/><dir path='${x(spec.dir ?? '/')}'/><name>${x(spec.volume)}</name></source>`;
  }
}

function targetPath(spec: PoolSpec): string | undefined {
  if ('targetPath' in spec) return spec.targetPath;
  if (spec.type === 'logical') return `/dev/${spec.vgName}`;
  return DEFAULT_TARGET[spec.type];
}

/** The pool XML for `pool-define /dev/stdin --validate`, indented like libvirt's own output. */
export function poolXml(spec: PoolSpec, uuid: string): string {
  const target = targetPath(spec);
  const source = sourceXml(spec);
  return [
    `<pool type='${spec.type}'>`,
    `  <name>${x(spec.name)}</name>`,
    `  <uuid>${x(uuid)}</uuid>`,
    ...(source ? [`  ${source}`] : []),
    ...(target ? [`  <target>`, `    <path>${x(target)}</path>`, `  </target>`] : []),
    `</pool>`,
    '',
  ].join('\n');
}
