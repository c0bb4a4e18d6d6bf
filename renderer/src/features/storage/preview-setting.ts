import { useCallback, useState } from 'react';

const KEY = 'virtdeck.previewBeforeRun';

/** The preference as stored now (for code outside React, e.g. the VM list's command runner). */
export function previewBeforeRunNow(): boolean {
  try {
    return localStorage.getItem(KEY) === '1';
  } catch {
    return false;
  }
}

/**
 * "Show commands before running": one-click actions (start, stop, refresh…) then open a
 * confirmation with their virsh command lines first. A view preference, kept in localStorage.
 */
export function usePreviewBeforeRun(): [boolean, (on: boolean) => void] {
  const [on, setOn] = useState(() => {
    try {
      return localStorage.getItem(KEY) === '1';
    } catch {
      return false;
    }
  });
  const set = useCallback((value: boolean) => {
    setOn(value);
    try {
      localStorage.setItem(KEY, value ? '1' : '0');
    } catch {
      // not remembered; still applies now
    }
  }, []);
  return [on, set];
}
