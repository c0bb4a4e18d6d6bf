/** Pure parsers for virsh output (libvirt 9.0 formats). See each module for the why and the docs links. */
export { parseListUuidName, parseUuidList, type UuidName } from './list';
export { parseDomstatsRaw, domstatsNumber, type DomstatsRecord } from './domstats';
export { domainStateFromCode, domainStateFromText, isKnownDomainStateCode, parseDomstateReason, type DomstateReason } from './domainState';
export { parseKeyValueTable, parseDominfo, type Dominfo } from './keyValue';
export { parseVirshError, type VirshError, type VirshErrorKind } from './error';
export { parseEventLine, type VirshEvent } from './event';
export { parseDomblklist, parseDomifaddr, type BlockDevice, type InterfaceAddress } from './vsh-table';
export { parseObjectEventLine, type ObjectEvent } from './object-event';
