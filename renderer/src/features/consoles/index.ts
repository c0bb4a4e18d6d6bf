/** What the rest of the app uses from consoles. */
export { ConsolesView, popOut } from './ConsolesView';
export { ConsoleWindow } from './ConsoleWindow';
export { parseConsoleHash, consoleHash, type ConsoleRoute } from './console-route';
export { openConsole, closeConsole, useConsolesStore } from './console-store';
/** Lazily loaded single consoles (wrap in <Suspense>), e.g. for a Console tab in the VM details. */
export { SerialConsole, VncConsole } from './lazy';
