import type { ChannelLane } from './channel-limiter';
import type { Readable, Writable } from 'node:stream';

/** A running program on the host: the long-lived virsh session, an event stream, a console. */
export interface ProcessHandle {
  readonly stdin: Writable;
  readonly stdout: Readable;
  readonly stderr: Readable;
  /**
   * Resolves when the program has exited (or its channel closed). Never rejects. Like Node's
   * 'close', it waits for stdout/stderr to be read to the end: read them (or kill()).
   */
  readonly exited: Promise<ExitInfo>;
  kill(): void;
  /** Programs started with a pty: new window size (rows first, like ssh2's setWindow). */
  resize?(rows: number, cols: number): void;
}

export interface ExitInfo {
  code: number | null;
  signal?: string | null;
  /** Set when the transport itself went away (SSH drop) rather than the program exiting. */
  lost?: boolean;
}

export interface PtyOptions {
  rows: number;
  cols: number;
  term?: string;
}

export interface SpawnOptions {
  /** Interactive programs (virsh console) refuse to run without a controlling TTY. */
  pty?: PtyOptions;
  /** Long-lived programs (watchers, consoles, transfers) may not take the channels kept for short commands. */
  lane?: ChannelLane;
  /** How long to wait for a free SSH channel, and a way to stop waiting. */
  waitTimeoutMs?: number;
  signal?: AbortSignal;
  /** Told when the spawn has to wait for a free channel, and when it stops waiting. */
  onWait?(waiting: boolean, message: string): void;
}

/**
 * How argv reaches the host: directly as a child process (no shell) or as an exec channel on
 * the host's one SSH connection. Everything above this interface is transport-agnostic.
 */
export interface Transport {
  readonly kind: 'local' | 'ssh';
  spawn(argv: readonly string[], opts?: SpawnOptions): Promise<ProcessHandle>;
  /** Ends every program started through this transport. */
  close(): void;
}
