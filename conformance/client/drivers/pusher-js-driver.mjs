#!/usr/bin/env node
// @ts-check
/**
 * The shipped pusher-js driver of `hubproof client --driver pusher-js [--client-path DIR]`: pusher-js's
 * Node build, the copy hubproof depends on or the installed copy at DIR. Speaks the client driver
 * protocol (docs/client-driver-protocol.md) on stdin/stdout.
 */
import { driverArgs, orExit, serveDriver } from './driver-io.mjs';
import { loadLibrary } from './load-library.mjs';
import { pusherClass } from './pusher-js-class.mjs';
import { pusherJsHandlers } from './pusher-js-clients.mjs';

const args = await orExit(() => driverArgs(process.argv.slice(2)));
// `pusher-js/node` is the Node build in every release since 3.1 (`main` pointed at the web build until 4.x).
const lib = await orExit(() => loadLibrary('pusher-js', args['client-path'], 'node.js'));
const { shutdown, ...handlers } = pusherJsHandlers(pusherClass(lib.module));
serveDriver({ driver: 'pusher-js', library: 'pusher-js', version: lib.version }, handlers, shutdown);
