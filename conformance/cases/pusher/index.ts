/** The pusher profile's cases, one module per requirement section, in registry order. */
import type { Case } from '../../types.ts';
import { authCases } from './auth.ts';
import { badInputCases } from './bad-input.ts';
import { cacheCases } from './cache.ts';
import { channelNameCases } from './channel-names.ts';
import { clientEventCases } from './client-events.ts';
import { closeCodeCases } from './close-codes.ts';
import { clusterCases } from './cluster.ts';
import { connectionCases } from './connection.ts';
import { encryptedCases } from './encrypted.ts';
import { heartbeatCases } from './heartbeat.ts';
import { httpApiCases } from './http-api.ts';
import { httpAuthCases } from './http-auth.ts';
import { presenceCases } from './presence.ts';
import { shutdownCases } from './shutdown.ts';
import { signinCases } from './signin.ts';
import { subscribeCases } from './subscribe.ts';
import { webhookCases } from './webhooks.ts';

export const pusherCases: Case[] = [
  ...connectionCases,
  ...heartbeatCases,
  ...closeCodeCases,
  ...channelNameCases,
  ...subscribeCases,
  ...authCases,
  ...presenceCases,
  ...clientEventCases,
  ...httpApiCases,
  ...httpAuthCases,
  ...cacheCases,
  ...encryptedCases,
  ...signinCases,
  ...webhookCases,
  ...badInputCases,
  ...clusterCases,
  // Last: restarting the hub must not disturb the other cases.
  ...shutdownCases,
];
