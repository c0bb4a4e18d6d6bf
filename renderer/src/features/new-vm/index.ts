/** The New VM wizard: mount <NewVmWizard/> and useNewVmEntry() once in the app; open it with openNewVm(hostId?). */
export { NewVmWizard } from './NewVmWizard';
export { openNewVm } from './wizard-store';
export { InstallBar } from './InstallBar';
export { PhaseBadge } from './PhaseBadge';
export { NewVmButton } from './NewVmButton';
export { useNewVmEntry } from './use-new-vm-entry';
