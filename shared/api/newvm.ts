/**
 * NEW VM CONTRACT — the wizard (renderer/src/features/new-vm) talks to the backend only through these.
 *
 * Flow: capabilities → osList (+ detectOs when the source is an ISO) → osDefaults(osId) to prefill
 * memory/CPUs/disk → plan(spec) on every change of the Finish page (debounced) → create(spec).
 *
 * newvm.capabilities {hostId} → NewVmCapabilities (shared/model/newvm.ts):
 *   arch, hostCpus, hostMemoryKiB: the host's limits (warn when vcpus > hostCpus).
 *   domainTypes / defaultDomainType: 'kvm' when libvirt offers it (domcapabilities --virttype kvm
 *   works), else 'qemu' (TCG). libvirt cannot tell a KVM that hangs (seen on the test machine).
 *   machines[]: name (alias like 'q35'), canonical ('pc-q35-7.2'), isDefault, firmware ['bios','efi']
 *     as `virsh domcapabilities --machine NAME` says (firmware differs per machine), and whether
 *     Secure Boot can be off / on. Offer UEFI only where firmware includes 'efi'.
 *   cpuModes: what domcapabilities supports for the default type.
 *   pools[]: uuid, name, type, active, available (decimal string bytes, null when inactive), targetPath.
 *   networks[]: uuid, name, active (an inactive one is a plan problem), bridge.
 *   bridges[]: host bridges (for NetworkChoice 'bridge'); interfaces[]: all (for 'direct' macvtap).
 *   osinfo: available (osinfo-db found on the host), version (db version), count (OS entries).
 *
 * newvm.osList {hostId, includeEol?} → {source: 'osinfo'|'builtin', dbVersion, os: OsEntry[]}
 *   Sorted newest release first. Built-in families ('generic-linux', 'win10', 'win11',
 *   'generic') are appended unless the db has that id itself, so the list is never empty. EOL entries only with includeEol.
 *
 * newvm.osDefaults {hostId, osId|null} → {defaults: OsDefaults, note: string|null}
 *   recMemoryMiB (osinfo recommended, else 2× minimum, as virtinst does), recVcpus, recStorageBytes,
 *   diskBus/nicModel/video, virtioRng/balloon, q35, windows. `note` says when an unknown id was
 *   replaced (e.g. "debian12 is not in this host's osinfo-db (0.20221130): using debian11").
 *
 * newvm.detectOs {hostId, media: MediaRef} → {volumeId, publisher, osId|null, osName|null, note}
 *   Reads the ISO's primary volume descriptor (2 KiB at offset 32768) from the host and matches it
 *   against osinfo's <iso> rules. osId null = unknown: use the generic family.
 *
 * newvm.plan {hostId, spec: NewVmSpec} → {
 *   uuid            the UUID the VM will get (pass it back in spec.uuid to create for identical steps),
 *   xml             the install configuration (what runs first; with on_reboot=destroy when there is an install phase),
 *   finalXml        the configuration after the install phase (null when there is none: import / manual),
 *   commands        CommandLine[] exactly as create runs them (vol-create-as…, define, start, define final, autostart),
 *   virtInstall     the equivalent `virt-install …` line (shell-quoted) for users to learn and script,
 *   os              the OsDefaults used, and osNote (as osDefaults.note),
 *   problems[]      {field, message}: each blocks create (name taken, pool too small, network inactive,
 *                   firmware missing, XML refused by the validator…). Empty = ready.
 * }
 * The spec (NewVmSpec): name (any name but '/', NUL, line breaks), uuid?, source (iso | import |
 *   kernel | tree | pxe | manual; MediaRef = pool volume or absolute host path; tree = install
 *   tree URL fetched into install-only volumes, pxe = network boot: see shared/api/netinstall.ts), osId, memoryMiB, vcpus, cpuset?,
 *   storage (new volume in a pool | existing | none), network (virtual network | bridge | direct
 *   macvtap | user | none; mac optional), domainType?, machine?, firmware bios|efi, secureBoot,
 *   autostart, customize (define the install configuration only, marked "customizing").
 *
 * newvm.create {hostId, spec} → {uuid, name, phase, undone: string[]}
 *   Validates again (any problem → AppError 'invalid_args' with the problems' messages, nothing
 *   created), then creates volumes → define → start → define final → autostart. A failing step
 *   undoes the earlier ones in reverse; the error's message ends with "Undone: …" and its `detail`
 *   is JSON {"undone": string[]} (what was undone, in order).
 *   phase: 'customizing' (customize=true: defined, not started; open the details editor on uuid),
 *   'installing' (running the install configuration; Virtdeck restarts it into the final one when
 *   it powers off), 'done' (no install phase: import / manual).
 *
 * newvm.beginInstall {hostId, uuid} → {phase}: starts a "customizing" VM (its current definition
 *   is the install configuration) and defines the final one.
 * newvm.cancel {hostId, uuid} → {undone: string[]}: undefines a "customizing" VM and deletes the
 *   volumes the wizard created for it (recorded in its metadata). Refused for other VMs.
 *
 * Source "cloud" (shared/model/cloud-init.ts): a cloud image volume becomes the disk (qcow2
 *   overlay on it when linked, else a copy; grown to storage.sizeBytes; storage must be 'new'),
 *   and a NoCloud seed ISO (label cidata) built by Virtdeck is uploaded as "<name>-cidata.iso"
 *   to the same pool and attached as a CD-ROM for the first boot only: the final configuration
 *   has no such drive, and the seed volume is deleted when the first boot ends (the guest
 *   powers off or reboots). plan.seed shows the files; bad user-data (not YAML, no
 *   "#cloud-config" header, refused by the host's `cloud-init schema`) is a problem on field
 *   "cloudInit". The password is hashed ($6$) by the backend and never shown or logged.
 * newvm.localSshKeys {} → [{file, key, comment}]: ~/.ssh/*.pub of the user running Virtdeck.
 *
 * newvm.phases {hostId} → [{uuid, name, phase: 'customizing'|'installing'}]: the host's VMs the
 *   wizard made that are still being customized or installed (from their <metadata>, also after
 *   a restart of Virtdeck), for the row marker and the "Begin installation / Cancel" bar.
 *   Refetch on newvm.phase and domains.changed.
 *
 * Event newvm.phase {hostId, uuid, name, phase, message}: the install phase moved on (e.g. the
 *   installer powered off and Virtdeck started the final configuration: phase 'done'); also after
 *   a reconnect finished a phase that ended while Virtdeck was closed. Invalidation: refetch.
 */
import { z } from 'zod';
import { HostId } from '../model/host';
import { DomainUuid } from '../model/domain';
import { InstallPhase, MediaRef, NewVmCapabilities, NewVmSpec, OsDefaults, OsEntry, PlanProblem } from '../model/newvm';
import { LocalSshKey, SeedPreview } from '../model/cloud-init';
import { CommandLine } from './commands';
import { onHost, type EventTable, type RequestTable } from './common';

export const NewVmPlan = z.object({
  uuid: DomainUuid,
  xml: z.string(),
  finalXml: z.string().nullable(),
  commands: z.array(CommandLine),
  virtInstall: z.string(),
  os: OsDefaults,
  osNote: z.string().nullable(),
  problems: z.array(PlanProblem),
  /** Source "cloud": the seed's files as they will be written (password hash hidden). */
  seed: SeedPreview.nullable().default(null),
  /** Notes on the source that do not block (network install: where the kernel comes from, a kernel without checksum over plain http; PXE: the network has no TFTP/BOOTP). */
  sourceNotes: z.array(z.string()).default([]),
});
export type NewVmPlan = z.infer<typeof NewVmPlan>;

const onSpec = z.object({ hostId: HostId, spec: NewVmSpec }).strict();
const onVm = z.object({ hostId: HostId, uuid: DomainUuid }).strict();

export const newVmRequests = {
  'newvm.capabilities': { args: onHost, result: NewVmCapabilities },
  'newvm.osList': {
    args: z.object({ hostId: HostId, includeEol: z.boolean().default(false) }).strict(),
    result: z.object({ source: z.enum(['osinfo', 'builtin']), dbVersion: z.string().nullable(), os: z.array(OsEntry) }),
  },
  'newvm.osDefaults': {
    args: z.object({ hostId: HostId, osId: z.string().max(100).nullable() }).strict(),
    result: z.object({ defaults: OsDefaults, note: z.string().nullable() }),
  },
  'newvm.detectOs': {
    args: z.object({ hostId: HostId, media: MediaRef }).strict(),
    result: z.object({ volumeId: z.string().nullable(), publisher: z.string().nullable(), osId: z.string().nullable(), osName: z.string().nullable(), note: z.string().nullable() }),
  },
  'newvm.plan': { args: onSpec, result: NewVmPlan },
  'newvm.create': {
    args: onSpec,
    result: z.object({ uuid: DomainUuid, name: z.string(), phase: InstallPhase, undone: z.array(z.string()) }),
  },
  'newvm.beginInstall': { args: onVm, result: z.object({ phase: InstallPhase }) },
  'newvm.cancel': { args: onVm, result: z.object({ undone: z.array(z.string()) }) },
  /** This computer's SSH public keys (~/.ssh/*.pub) for the cloud-init step; never the host's. */
  'newvm.localSshKeys': { args: z.object({}).strict(), result: z.array(LocalSshKey) },
  'newvm.phases': {
    args: onHost,
    result: z.array(z.object({ uuid: DomainUuid, name: z.string(), phase: z.enum(['customizing', 'installing']) })),
  },
} as const satisfies RequestTable;

export const newVmEvents = {
  'newvm.phase': z.object({ hostId: HostId, uuid: DomainUuid, name: z.string(), phase: InstallPhase, message: z.string().nullable() }),
} as const satisfies EventTable;
