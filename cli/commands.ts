/** The subcommand table. Each command lives in its own module and is loaded only when run. */

export interface Command {
  name: string;
  summary: string;
  help: string;
  run(argv: string[]): Promise<number>;
}

const lazy =
  (load: () => Promise<{ run(argv: string[]): Promise<number> }>) =>
  async (argv: string[]): Promise<number> =>
    (await load()).run(argv);

export const COMMANDS: Command[] = [
  {
    name: 'spec',
    summary: 'List the requirements hubproof certifies (filter by id prefix)',
    help: `Usage: hubproof spec [--json] [--why] [--level L] [selector…]

Lists the requirement registry. Selectors are id prefixes at any depth:
  hubproof spec pusher/presence sync/ordering/2
  hubproof spec --why pusher/heartbeat/3

Options:
  --json       Print the requirements as a JSON array (source, basis and dependsOn included)
  --why        Under each rule, print its source, its basis (the quoted sentence or how the
               rule follows from the source), the rules its cases need first, and where
               the reference hub implements it (file:line)
  --level L    Only MUST, SHOULD or MAY
  -h, --help   Show this help
`,
    run: lazy(() => import('./spec-command.ts')),
  },
  {
    name: 'hub',
    summary: 'Start the reference hub on 127.0.0.1',
    help: `Usage: hubproof hub [--port N] [--host H] [--config file.json] [--data-dir DIR] [--target-out file.json]
       hubproof hub --redis redis://HOST:PORT [--redis-prefix P] [options]
       hubproof hub --cluster N [options]

Starts the reference hub (profiles pusher, sync, agent-presence) and prints its URLs and credentials.
With --redis, this process is one node of a hub whose state lives in that Redis: start as many as you
like (each on its own port) and they behave as one hub. With --cluster N, starts a private redis-server
(from PATH) and N nodes, prints every node's URLs, writes one N-node target, and stops all of it on exit.
A single hub restarts in place on SIGHUP: connections closed with 4200, the same port and data, and the
--target-out file written again once it listens (so "restart": {"command": "kill -HUP <pid>"} works).

Options:
  --port N             Port to listen on; 0 picks a free one (default 6001; --cluster: N, N+1, …)
  --host H             Address to bind (default 127.0.0.1)
  --config FILE        JSON config (see reference-server/config.ts); validated, bad fields exit 2
  --data-dir DIR       Where the SQLite database lives (default .hubproof/data; unused with Redis)
  --redis URL          Share the hub's state through this Redis (needs persistence: appendonly yes)
  --redis-prefix P     Key prefix in Redis (default hubproof:{app id}); hubs sharing a Redis need their own
  --cluster N          Start redis-server and N nodes (needs redis-server: apt-get install redis-server)
  --target-out FILE    Write a target file pointing the harness at this hub (all nodes with --cluster)
  -h, --help           Show this help
`,
    run: lazy(() => import('./hub-command.ts')),
  },
  {
    name: 'init',
    summary: 'Probe a hub from its URL and write a target file for it',
    help: `Usage: hubproof init ws://HOST:PORT [ws://… one per node] --app-id ID --key KEY --secret SECRET [options]

Probes the hub from outside and writes a target file (validated like every --target) with what it found:
which profiles answer (pusher: pusher:connection_established; sync: the channel history endpoint;
agent-presence: GET /api/presence and /ws/broadcasts, both behind agent tokens), the announced
activity_timeout, whether the HTTP API accepts the credentials (a signed GET /apps/ID/channels), signin,
what GET /api/hub advertises (webhooks among it), and every node's reachability. What cannot be seen from
outside (restart.command, process.pid, webhooks.listen, …) is left as a note under "_todo", saying why it
matters. Bad credentials or an unreachable node: exit 2 with one Error: line saying which.

Options:
  --app-id ID            The Pusher app id (HTTP API: /apps/ID/…)
  --key KEY              The app key (WebSocket: /app/KEY)
  --secret SECRET        The app secret (signs HTTP API requests, private channels and signin)
  --agent-token A        IDENTIFIER:TOKEN[:PROJECTS] of an agent (repeatable; e.g.
                         claude-backend-001:token-backend-0001:1,2); without one the sync and
                         agent-presence endpoints can only be seen to exist, not tested
  --http URL             The HTTP base of a node when it is not the ws URL's (ws→http, wss→https);
                         repeatable, in the order of the nodes
  --name NAME            The target's name (default: GET /api/hub's name, else HOST:PORT)
  --out FILE             Where to write the target (default target.json)
  --force                Replace --out if it exists
  -h, --help             Show this help
`,
    run: lazy(() => import('./init-command.ts')),
  },
  {
    name: 'conform',
    summary: 'Run the conformance suite against a hub',
    help: `Usage: hubproof conform [--target file.json] [selector…] [options]

Runs the conformance cases whose requirement id starts with a selector (all by default).
Without --target it starts the embedded reference hub in its own process, with timings short enough
for the heartbeat, idle and stale rules to run in seconds.

Options:
  --target FILE     Target file describing the hub
  --strict          Also run SHOULD cases; a miss is reported non-strict
  --seed N          fast-check seed (printed on every run; replays a failure)
  --num-runs N      fast-check runs per property (default 10)
  --path P          fast-check replay path (with --seed) to rerun one failure
  --expect FILE     Known deviations (JSON: case or requirement id → reason, link): a listed
                    failure is expected-fail and does not fail the run; a listed pass is fixed
  --fail-on-fixed   A listed deviation that now passes fails the run (keeps the file honest)
  --concurrency N   Cases run at once (default 4; 1 = one at a time); cases that
                    need the hub to themselves (restarts, latency bounds) run alone
  --hub-down-wait S Without restart.command, how long to wait for a hub that went
                    down to answer again before the remaining cases are blocked (default 30)
  --max-timer-wait S
                    The longest hub timer (offline_after, heartbeat_timeout) a case waits
                    out; a longer one skips its case, naming it (default 600)
  --race-tries N    How often a race case (pusher/cluster/7) repeats its race (default: as many
                    tries as fit in 30 s after the first, each timed; 3 to 20)
  --dry-run         List the cases that would run, then exit
  --json FILE       Write the full JSON report
  --junit FILE      Write JUnit XML (one testsuite per section)
  --html DIR        Write the HTML report
  --markdown FILE   Write a Markdown summary (verdict, failures by root cause with replay
                    commands) for a pull request or $GITHUB_STEP_SUMMARY
  --cluster N       Embedded hub as N nodes sharing a private redis-server (cluster cases run)
  -h, --help        Show this help
`,
    run: lazy(() => import('./conform-command.ts')),
  },
  {
    name: 'client',
    summary: 'Run the client conformance suite against a Pusher client library or an agent-presence dashboard',
    help: `Usage: hubproof client [selector…] [--driver pusher-js|laravel-echo|dashboard|"<command>"] [--client-path DIR]
                      [--client-url URL] [options]

Judges a Pusher client library (profile pusher-client: reconnects per close code, pings and pong
timeouts, re-subscribing with fresh auth, presence bookkeeping, client events, unknown frames). hubproof
plays the hub: a scripted Pusher server on 127.0.0.1, one per case, closing, going silent, restarting,
refusing auth or sending odd frames on cue. The client runs inside a driver program that takes commands
on stdin and reports what the application sees on stdout (docs/client-driver-protocol.md); each case
judges from both ends. Selectors are id prefixes (pusher-client/reconnect) or case ids.
With --driver dashboard it judges an agent-presence dashboard instead (profile presence-client: token,
catch-up from GET /api/presence after every reconnect, one row per agent, back-off, refused tokens):
the page runs in Chromium against a scripted /ws/broadcasts and GET /api/presence.

Options:
  --profile P        pusher-client (default) or sync-client (agents of the sync API: back-off, heartbeat,
                     idempotent retries, catch-up from history, leave); selectors sync-client/… imply it
  --driver D         pusher-js (default: the pusher-js hubproof depends on, Node build), laravel-echo
                     (Echo's pusher connector over pusher-js), dashboard (the reference hub's
                     /dashboard page in Chromium), or a command line speaking the protocol; with
                     sync-client: reference-agent (default: hubproof's own reference agent) or an agent
                     driver command
  --client-path DIR  With pusher-js or laravel-echo: load that library from DIR, an installed copy
                     (e.g. a folder where you ran npm install pusher-js@7.0.0, or the package itself)
  --client-url URL   With dashboard: test the page at URL (e.g. http://127.0.0.1:8080/dashboard) instead;
                     its files are fetched from there and served beside the scripted stream
  --strict           Also run SHOULD cases; a miss is reported non-strict
  --expect FILE      Known deviations (client case or requirement id → reason); see docs/known-deviations.md
  --fail-on-fixed    A listed deviation that now passes fails the run
  --concurrency N    Cases at once (default 4; each is a driver process and a small hub)
  --dry-run          List the cases that would run, then exit
  --json FILE        Write the full JSON report
  --junit FILE       Write JUnit XML (one testsuite per section)
  --html DIR         Write the HTML report
  -h, --help         Show this help
`,
    run: lazy(() => import('./client-command.ts')),
  },
  {
    name: 'load',
    summary: 'Run a load scenario against a hub',
    help: `Usage: hubproof load [--target file.json] [--scenario name[,name…]|all] [options]

Open-model load: sends follow a fixed schedule and latency is measured from the scheduled send time at
every subscriber (HDR histograms), always beside reach, lost, duplicated and out-of-order counts and the
driver's own CPU and event-loop lag. A breached SLO exits 1; figures from a saturated driver are marked
invalid (exit 2) instead of being blamed on the hub. Without --target it benchmarks the embedded
reference hub, started as a child process so its memory is its own.

Scenarios: connections, fanout, presence, agents (the default set), capacity (the highest rate held at
p99 < 50 ms with reach 1: ramp, re-run a step that misses, bisect to --set capacity:resolution=0.1),
browser (K Chromium pages, default 5: scheduled send → applied in the page DOM beside the wire; needs
Chromium, skipped with the reason without it; --set page=hub runs the target's own /dashboard),
storm (200 pusher-js clients through a hub restart with downtime: reconnects per second, time until every
subscription is restored, events lost across it; --set outageS=2, stopSignal=SIGKILL; docs/storm.md).

Options:
  --target FILE           Target file describing the hub; several (--target A --target B) with
                          --scenario capacity compare the hubs: their searches interleaved, a ratio
  --repeat N              Run the capacity search N times: median and range (side by side: N rounds)
  --scenario LIST         Comma-separated scenario names, or all (default: connections,fanout,presence,agents)
  --duration T            Measured time per scenario after its warm-up: seconds, or 90s, 30m, 2h
                          (soak: hours for real use; docs/soak.md)
  --rate N                Events or updates per second
  --subscribers N         Subscribers (or dashboards) per channel
  --set KEY=VALUE         Override any scenario field, e.g. --set thresholds.p99Ms=20 (repeatable);
                          NAME:KEY=VALUE for scenario NAME only, e.g. --set browser:rate=200
  --hub MODE              Embedded hub: auto, child or in-process (default auto = child)
  --cluster N             Embedded hub as N nodes sharing a private redis-server
  --json FILE             Write the JSON report
  --html DIR              Write the HTML report with charts
  --markdown FILE         Write a Markdown summary (verdict, breaches, SLO table) for $GITHUB_STEP_SUMMARY
  --quiet                 No progress line
  --max-driver-lag MS     Driver event-loop/send lag above which figures are invalid (default 20)
  --max-driver-cpu SHARE  Driver CPU share of its cores above which figures are invalid (default 0.9)
  --max-machine-cpu SHARE Whole-machine CPU share above which a local run is invalid (default 0.95)
  --engine node|k6        Who generates the load: the Node driver (default) or k6 v2+ from PATH, running
                          load/k6/<scenario>.ts (fanout, presence, agents) with the same scenario numbers
  --shard I/N             Run shard I (0-based) of N of the test: its share of the subscribers, channels
                          and sends; the N shards meet on the hub and start together. Merge their --json
                          reports with hubproof merge (docs/load-sharding.md)
  --shard-wait S          Seconds to wait for every shard to announce itself (default 120)
  --run-id ID             Tells concurrent runs of the same sharded test apart
  -h, --help              Show this help
`,
    run: lazy(() => import('./load-command.ts')),
  },
  {
    name: 'merge',
    summary: 'Merge the load reports of one test from many generators into one',
    help: `Usage: hubproof merge REPORT… [--json FILE] [--html DIR]

Combines the reports of one load test run by several generators (hubproof load --shard I/N on many
machines, the k6 instances of a k6-operator TestRun, or both) into one report of the same shape as a
hubproof load report: counts add up, latency percentiles come from the merged histograms (exact to the
histograms' precision), thresholds and the verdict are evaluated on the merged figures.

A REPORT is a JSON report (hubproof load --json, a k6 script's OUT file) or a log holding one (kubectl
logs of k6 with -e OUT=-, or of hubproof load --json /dev/stdout). Reports of different tests (target,
scenarios or any scenario field), missing or repeated shards are refused with exit 2 and the reason.

Exit codes as hubproof load: 0 every threshold held, 1 a threshold was breached, 2 figures invalid or the
reports cannot be merged.

Options:
  --json FILE    Write the merged JSON report
  --html DIR     Write the merged HTML report with charts
  -h, --help     Show this help
`,
    run: lazy(() => import('./merge-command.ts')),
  },
  {
    name: 'certify',
    summary: 'Conformance suite plus a short load run, one report',
    help: `Usage: hubproof certify [--target file.json] [--out dir] [--strict] [--seed N] [--load-duration s] [selector…]

Runs the conformance suite and a short load run (fanout, presence, agents, connections, and browser:
Chromium pages sized to the machine, 1 at 250 updates/s on 2 cores, skipped with the reason without
Chromium) against one hub and writes one
report to --out: certify.json (the matrix of requirements and SLOs), junit.xml and
index.html. Without --target it starts one embedded reference hub for both parts, in its own process
(so load figures measure it apart from the load generator) and with the short timings of conform.

Exit code is a CI gate: 0 certified (no MUST failed, every SLO held), 1 a MUST failed or an SLO was
breached, 2 the harness could not run, or no verdict (load figures invalid because the generator
saturated, or every selected MUST was skipped). MUSTs the target cannot run (no restart.command, a
single node: try --cluster 2) are listed as not covered.

Options:
  --target FILE         Target file describing the hub
  --out DIR             Report directory (default reports/out)
  --markdown FILE       Also write a Markdown summary (verdict, failures by root cause with replay
                        commands, the SLO table) for a pull request or $GITHUB_STEP_SUMMARY
  --strict              Also run SHOULD cases; a SHOULD miss then fails certification
  --seed N              fast-check seed of the conformance run (printed; replays a failure)
  --num-runs N          fast-check runs per property (default 10)
  --max-timer-wait S    The longest hub timer a conformance case waits out (default 600)
  --only SELECTOR       Certify only requirements under this id prefix (repeatable; same as positionals)
  --expect FILE         Known deviations (see docs/known-deviations.md): verdict CONFORMANT WITH N KNOWN
                        DEVIATIONS, never CERTIFIED, while a listed MUST fails
  --fail-on-fixed       A listed deviation that now passes fails certification
  --load-duration S     Seconds measured per load scenario (default 3)
  --soak                Add the soak scenario (growth, return to baseline, reaping; docs/soak.md) at its
                        default 90 s after warm-up, or --soak-duration T (90s, 30m, 2h)
  --scenario LIST       Load scenarios, comma-separated (default fanout,presence,agents,connections,browser)
  --set KEY=VALUE       Scenario override as in \`hubproof load --set\` (repeatable), e.g. thresholds.p99Ms=20
                        or browser:rate=1000 (one scenario only)
  --max-driver-lag MS   Load generator loop/send lag p99 above which figures are invalid (default 20)
  --max-driver-cpu X    Load generator CPU share above which figures are invalid (default 0.9)
  --max-machine-cpu X   Machine CPU share above which figures are invalid (default 0.95)
  --cluster N           Certify the embedded hub as N nodes sharing a private redis-server
  -h, --help            Show this help
`,
    run: lazy(() => import('./certify-command.ts')),
  },
  {
    name: 'bench',
    summary: 'Benchmark the reference hub against a bare ws broadcast server',
    help: `Usage: hubproof bench [--json file] [--quick] [--driver] [options]

A benchmark, not a test: measures the reference hub and a bare ws broadcast server in the same run and
prints hub/bare ratios: deliveries/s and p50/p99 propagation at 1000 updates/s × 100 subscribers, the
highest rate held at p99 < 50 ms (the capacity search, run for every server interleaved, each figure the
median with its range), and RSS per 1000 idle subscribed connections.

Options:
  --json FILE         Where to write the figures (default reports/out/bench.json)
  --repeat N          Capacity searches per server (default 3)
  --quick             Shorter steps (3 s), one capacity search, 500 connections for the memory figure
  --driver            Measure the load driver's own ceiling against the bare server instead (the server in
                      its own process, coalescing each socket's writes per loop turn)
  --pin               With --driver: server on the last core, driver on the others (taskset)
  --subscribers N     Subscribers for the fixed-load step (default 100; --driver search: 500)
  --start-rate N      First rate of the --driver search (default 100 events/s)
  --verbose           Show every second's progress line too (steps and phases are always shown, on stderr)
  -h, --help          Show this help
`,
    run: lazy(() => import('./bench-command.ts')),
  },
];

export function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  const lines = COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return `Usage: hubproof <command> [options]

Conformance and load testing for real-time WebSocket hubs (Pusher protocol 7, agent-sync, agent-presence).

Commands:
${lines.join('\n')}

Run \`hubproof <command> --help\` for a command's options.
Exit codes: 0 ok, 1 a requirement or threshold failed, 2 the harness could not run.
`;
}
