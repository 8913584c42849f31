/** Every dashboard case (profile presence-client), in run order; ids `<requirement>#<n>` as for client cases. */
import type { DashboardCase } from '../dashboard-case.ts';
import { connectAndUpdateCases } from './connect-and-update.ts';
import { reconnectCases } from './reconnect.ts';
import { refusalCases } from './refusal.ts';
import { robustnessCases } from './robustness.ts';

export const DASHBOARD_CASES: readonly DashboardCase[] = [...connectAndUpdateCases, ...reconnectCases, ...refusalCases, ...robustnessCases];
