/** Text of the guards that say "no" before the user clicks: base images and hugepage-backed VMs. */
export const guardsEn = {
  'guards.baseOf': 'kept: base of {users}',
  'guards.baseOfVm': 'VM “{name}” ({target})',
  'guards.baseOfVolume': 'volume “{path}”',
  'guards.volumeBaseOf': 'This volume is the base (backing file) of {users}. Deleting it would break them: delete those first.',
  'guards.volumeBaseOfChecking': 'Checking whether other disks are built on this volume…',
  'guards.volumeBaseOfUnknown': 'Could not check whether other disks are built on this volume: {message}',
  'guards.hugepages.title': 'Start',
  'guards.hugepages.message': 'These VMs will not start with the hugepages free on the host now:',
  'guards.hugepages.line': '“{name}”: {reason}',
  'guards.hugepages.startOthers': 'Start the others',
  'guards.hugepages.startAnyway': 'Try to start anyway',
  'guards.hugepages.hint': 'Allocate hugepages on the host page (Tuning tab), or lower the VM’s memory.',
} as const;
