/** The agent-presence profile's cases, by section, in run order. */
import type { Case } from '../../types.ts';
import { apiCases } from './api.ts';
import { presenceBadInputCases } from './bad-input.ts';
import { limitCases } from './limits.ts';
import { performanceCases } from './performance.ts';
import { persistenceCases } from './persistence.ts';
import { statusCases } from './status.ts';
import { streamCases } from './stream.ts';

export const agentPresenceCases: Case[] = [
  ...streamCases,
  ...apiCases,
  ...statusCases,
  ...persistenceCases,
  ...limitCases,
  ...performanceCases,
  ...presenceBadInputCases,
];
