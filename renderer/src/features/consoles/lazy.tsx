import { lazy } from 'react';

/**
 * noVNC and xterm.js are most of the renderer's weight and only needed once a console opens:
 * they load as separate chunks on first use.
 */
export const VncConsole = lazy(() => import('./VncConsole').then((m) => ({ default: m.VncConsole })));
export const SerialConsole = lazy(() => import('./SerialConsole').then((m) => ({ default: m.SerialConsole })));
