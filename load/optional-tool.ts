/**
 * Tools hubproof uses but does not bring: Chromium (the browser scenario), playwright-core (drives it),
 * redis-server (`--cluster N` of the embedded hub) and k6 (`load --engine k6`). What needs one that is
 * missing does not run and is reported not covered, with what was looked for and the one command that
 * installs the tool: a tool missing on the harness's side is never a failure of the hub.
 */
export type OptionalTool = 'chromium' | 'playwright-core' | 'redis-server' | 'k6';

/** The command that installs each tool (Debian/Ubuntu for system packages; k6 has no Debian package). */
export const INSTALL_COMMAND: Readonly<Record<OptionalTool, string>> = {
  chromium: 'apt-get install chromium',
  'playwright-core': 'npm install playwright-core',
  'redis-server': 'apt-get install redis-server',
  k6: "brew install k6, or apt-get install k6 from Grafana's repository (https://grafana.com/docs/k6/latest/set-up/install-k6/)",
};

export interface MissingTool {
  tool: OptionalTool;
  /** What was looked for and not found: `no Chromium at /usr/bin/chromium or /usr/bin/chromium-browser`. */
  why: string;
  /** INSTALL_COMMAND of the tool. */
  install: string;
}

export function missingTool(tool: OptionalTool, why: string): MissingTool {
  return { tool, why, install: INSTALL_COMMAND[tool] };
}

/** `needs Chromium: no Chromium at /usr/bin/chromium; install it: apt-get install chromium` */
export function missingToolText(m: MissingTool): string {
  return `needs ${m.tool === 'chromium' ? 'Chromium' : m.tool}: ${m.why}; install it: ${m.install}`;
}
