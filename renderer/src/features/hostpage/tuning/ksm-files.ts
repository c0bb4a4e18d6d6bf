/**
 * What each file of /sys/kernel/mm/ksm means, from the kernel's documentation (shortened,
 * https://docs.kernel.org/admin-guide/mm/ksm.html); kept in its words, like the file names.
 * Files a newer kernel adds show without one.
 */
export const KSM_FILE_HELP: Record<string, string> = {
  run: '0 = stop ksmd (merged pages stay merged), 1 = run ksmd, 2 = stop and unmerge every merged page.',
  pages_to_scan: 'How many pages ksmd scans before it sleeps.',
  sleep_millisecs: 'How long ksmd sleeps between scans.',
  merge_across_nodes: 'Whether pages of different NUMA nodes may be merged (1) or only within a node (0). Changeable only while nothing is merged.',
  max_page_sharing: 'The most pages that may share one KSM page (limits the cost of unmerging).',
  stable_node_chains_prune_millisecs: 'How often stale entries of the stable tree chains are pruned.',
  use_zero_pages: 'Merge empty pages with the kernel zero page instead of a KSM page.',
  pages_shared: 'KSM pages in use (each backs one or more pages).',
  pages_sharing: 'Pages that point at a KSM page: the memory saved is this × the page size.',
  pages_unshared: 'Pages ksmd checks but that are unique so far.',
  pages_volatile: 'Pages that change too fast to be merged.',
  pages_scanned: 'Pages scanned since ksmd started.',
  pages_skipped: 'Pages the smart scan skipped (they did not merge before).',
  full_scans: 'How many times every mergeable area has been scanned.',
  stable_node_chains: 'KSM pages that hit max_page_sharing and were chained.',
  stable_node_dups: 'Duplicated KSM pages in those chains.',
  general_profit: 'Memory saved minus the metadata KSM spends (bytes).',
  ksm_zero_pages: 'Empty pages merged with the zero page (use_zero_pages).',
  smart_scan: 'Skip pages that did not merge in earlier scans.',
  advisor_mode: 'The scan advisor: none, or scan-time (tunes pages_to_scan to reach a target scan time).',
  advisor_max_cpu: 'The scan-time advisor: the most CPU ksmd may use (%).',
  advisor_target_scan_time: 'The scan-time advisor: seconds for one full scan.',
  advisor_min_pages_to_scan: 'The scan-time advisor: the lower bound of pages_to_scan.',
  advisor_max_pages_to_scan: 'The scan-time advisor: the upper bound of pages_to_scan.',
};
