/**
 * A VM's libvirt job (a migration, a backup-begin…): its figures, and cancelling it. One job at
 * a time per VM, so the same three commands serve every kind. Parsed by virsh/parse/jobinfo.ts.
 * https://libvirt.org/manpages/virsh.html#domjobinfo https://libvirt.org/manpages/virsh.html#domjobabort
 */
export const jobInfoArgv = (uuid: string) => ['domjobinfo', '--domain', uuid, '--rawstats'];
/** `--keep-completed`: reading the figures would otherwise discard them (the user may ask virsh too). */
export const completedJobArgv = (uuid: string) => ['domjobinfo', '--domain', uuid, '--completed', '--keep-completed', '--rawstats'];
export const abortArgv = (uuid: string) => ['domjobabort', '--domain', uuid];
