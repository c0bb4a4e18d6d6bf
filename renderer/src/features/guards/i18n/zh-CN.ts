import type { guardsEn } from './en';

/** Simplified Chinese text of the guards (base images, hugepages). */
export const guardsZhCN: { readonly [K in keyof typeof guardsEn]: string } = {
  'guards.baseOf': '保留：它是 {users} 的基础映像',
  'guards.baseOfVm': '虚拟机“{name}”（{target}）',
  'guards.baseOfVolume': '卷“{path}”',
  'guards.volumeBaseOf': '此卷是 {users} 的基础映像（后备文件）。删除它会损坏它们：请先删除它们。',
  'guards.volumeBaseOfChecking': '正在检查是否有其他磁盘基于此卷…',
  'guards.volumeBaseOfUnknown': '无法检查是否有其他磁盘基于此卷：{message}',
  'guards.hugepages.title': '启动',
  'guards.hugepages.message': '以主机当前空闲的大页，这些虚拟机无法启动：',
  'guards.hugepages.line': '“{name}”：{reason}',
  'guards.hugepages.startOthers': '启动其他虚拟机',
  'guards.hugepages.startAnyway': '仍然尝试启动',
  'guards.hugepages.hint': '请在主机页面（调优标签）分配大页，或减少虚拟机的内存。',
};
