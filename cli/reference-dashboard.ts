/**
 * The reference hub's `/dashboard` page files, the page `hubproof client --driver dashboard` tests by
 * default. Located here because the CLI layer may reach the reference hub; conformance/ only gets the
 * folder (docs/client-conformance.md).
 */
import { fileURLToPath } from 'node:url';

export const REFERENCE_DASHBOARD_DIR = fileURLToPath(new URL('../reference-server/agent-presence/dashboard/', import.meta.url));
