/**
 * Where `bench --driver` puts the bare server and the driver: on a machine of two or more cores, each on
 * cores of its own (`taskset`), so one cannot take the other's CPU and the figures say whose core ran out.
 * Without `taskset` (or on one core) both float over every core, and the report says so.
 */
import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';

export interface Placement {
  /** 'pinned': server and driver on disjoint cores; 'shared': both free to use every core. */
  mode: 'pinned' | 'shared';
  serverCores: number[] | null;
  driverCores: number[] | null;
  /** Why the processes share the cores, when they do. */
  reason?: string;
}

/** Pins every thread of `pid` (threads it creates later inherit the mask) to `cores`; false when taskset failed. */
export function pin(pid: number, cores: number[]): boolean {
  try {
    execFileSync('taskset', ['-a', '-p', '-c', cores.join(','), String(pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * The server on the last core, this process (the driver) on the others; `undo` gives the driver every
 * core back. Call before the driver starts its worker threads.
 */
export function placeApart(serverPid: number): { placement: Placement; undo: () => void } {
  const cores = availableParallelism();
  const all = Array.from({ length: cores }, (_, i) => i);
  const shared = (reason: string) => ({
    placement: { mode: 'shared' as const, serverCores: null, driverCores: null, reason },
    undo: () => {},
  });
  if (cores < 2) return shared('one core');
  const server = [cores - 1];
  const driver = all.slice(0, -1);
  if (!pin(serverPid, server)) return shared('taskset not available');
  if (!pin(process.pid, driver)) {
    pin(serverPid, all);
    return shared('taskset could not pin the driver');
  }
  return { placement: { mode: 'pinned', serverCores: server, driverCores: driver }, undo: () => void pin(process.pid, all) };
}
