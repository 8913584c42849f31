#!/usr/bin/env node
// @ts-check
/**
 * The shipped agent driver of `hubproof client --profile sync-client` (`--driver reference-agent`, the
 * default there): hubproof's own reference agent (reference-agent.mjs), speaking the agent driver
 * protocol (docs/client-driver-protocol.md, "Agent drivers") on stdin/stdout.
 */
import { emit, serveDriver } from './driver-io.mjs';
import { agentHandlers, ReferenceAgent } from './reference-agent.mjs';

const { shutdown, ...handlers } = agentHandlers(ReferenceAgent, emit);
serveDriver({ driver: 'reference-agent', library: 'hubproof reference agent', version: '1' }, handlers, shutdown);
