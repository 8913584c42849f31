#!/usr/bin/env node
// @ts-check
/**
 * `node selftest/client-mutants/mutant-driver.mjs --mutant NAME`: the shipped pusher-js driver with the
 * mutant's patches (patches.mjs) applied to each live instance and channel. Run by `hubproof client
 * --driver "<this command>"`, like any third-party driver.
 */
import { driverArgs, serveDriver } from '../../conformance/client/drivers/driver-io.mjs';
import { loadLibrary } from '../../conformance/client/drivers/load-library.mjs';
import { pusherClass } from '../../conformance/client/drivers/pusher-js-class.mjs';
import { pusherJsHandlers } from '../../conformance/client/drivers/pusher-js-clients.mjs';
import { mutantHooks } from './patches.mjs';

const args = driverArgs(process.argv.slice(2));
const mutant = args.mutant ?? 'base';
const lib = loadLibrary('pusher-js', undefined);
const { shutdown, ...handlers } = pusherJsHandlers(pusherClass(lib.module), mutantHooks(mutant));
serveDriver({ driver: `mutant ${mutant}`, library: 'pusher-js', version: lib.version }, handlers, shutdown);
