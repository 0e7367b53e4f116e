#!/usr/bin/env bash
# The benchmarks of docs/benchmarks.md, each run RUNS times against a fresh server on free ports.
#
#   bench/run.sh SCENARIO [RUNS]
#
#   fanout        embedded gateway, memory storage: 2,000 sockets in 20 groups, one publisher per group
#   fanout-redis  the same with Redis storage (a local redis-server, appendfsync everysec)
#   ack-redis     Redis storage, 1,000 publishes/s (20 groups x 50/s) with four sockets per group, so the
#                 publish-to-ack time is measured without the 100,000 deliveries/s fan-out competing for the cores
#   yardstick     the same load against the bare Kestrel broadcast server in LoadTest/
#   yardstick-node  the same load against the single-threaded in-memory Node.js chat server of bench/node/
#   direct        direct messages: 1,000 users in 500 pairs, 2 sockets each (2,000 sockets), the first socket of
#                 each user writing RATE messages/s to the other user (so RATE x 4,000 deliveries/s; the .NET load
#                 tool, whatever LOAD says): 500 conversations, one relay each, against fanout's 20
#   direct-redis  the same with Redis storage
#   large-group   5,000 sockets in one group, 20 messages/s
#   idle          10,000 idle authenticated sockets, each in one group: 1,000 users x 10 sockets in 100 groups,
#                 or SOCKETS_PER_USER sockets per user (4 gives the 2,500 users x 4 of Performance 2's target);
#                 the gateway logs at its default level (Information, or IDLE_LOG_LEVEL) here, the others at Warning
#   soak          50 users connecting, chatting, joining, leaving and dropping at random for SOAK_SECONDS
#                 (default 180), SOAK_ROUNDS times (default 2) against one server with Redis storage; reports
#                 leaked sockets and subscriptions, live heap before, after the first round and after the
#                 last, and acknowledged messages missing from history
#   overload      the fanout scenario offered RATE (default 50, choose about twice capacity) for 10 s, then
#                 LOWER_RATE (default 10) for 8 s with overload refusals on: reports the p99 of accepted
#                 messages at the high rate, the publishes refused `overloaded`, and latency 2 s after lowering
#   cluster       the fanout load spread over the two gateways of deploy/local-cluster.sh (two silos, Redis)
#
# LOAD=node generates the fanout scenarios' load with the Node.js generator of bench/node/ (one process, ws)
# instead of the .NET load tool: it costs a third of the CPU per frame, so pinned to one core it can load a
# server on the other; every pinned figure of record uses it. Its packages are installed on first use.
# RATE overrides the messages/s per publisher of the fanout scenarios (default 50). WARMUP sets the seconds of
# load before the 10 measured ones (default 3); 30 lets a pinned .NET server finish tiering its hot code up, so
# the run measures the steady state rather than the JIT. PIN=1 pins server and load tool to separate CPUs (see
# below); REDIS_CPUS pins the Redis server of the Redis scenarios (unpinned by default). Extra environment for
# the server process goes in SERVER_ENV (e.g. SERVER_ENV=DOTNET_gcServer=0). PROFILE=DIR records a CPU profile
# of the server with Linux perf (8 of the measured seconds, JIT symbols from the runtime's perf map) and writes
# its top symbols to DIR, for the single-server scenarios; profiling costs the run some CPU. TIMELINE=DIR (with
# LOAD=node) writes each run's measured deliveries by send time in 50 ms slots (count, mean and max latency) to DIR,
# which tells a p99 made of a few stalls from one made of a queue that builds up and drains. Each run's JSON goes
# to stdout, one line per run; a summary with medians goes to stderr.
# Build first:
# dotnet build OrleansChat.sln -c Release
set -euo pipefail

scenario=${1:?usage: bench/run.sh SCENARIO [RUNS]}
runs=${2:-3}
rate=${RATE:-50}
warmup=${WARMUP:-3}
root=$(cd "$(dirname "$0")/.." && pwd)
bin=Release/net10.0
# PIN=1 pins the server (gateway or yardstick) to SERVER_CPUS (default 0) and the load tool to LOAD_CPUS
# (default 1) with taskset, so that a run measures the server on its own core rather than how the two share
# the machine; every figure of record is taken this way.
server_pin=()
load_pin=()
if [[ -n ${PIN:-} ]]; then
  server_pin=(taskset -c "${SERVER_CPUS:-0}")
  load_pin=(taskset -c "${LOAD_CPUS:-1}")
fi
redis_pin=()
if [[ -n ${REDIS_CPUS:-} ]]; then
  redis_pin=(taskset -c "$REDIS_CPUS")
fi
# Warning keeps the console quiet under load; the idle scenario measures memory as a deployment runs, at the
# gateway's default level (IDLE_LOG_LEVEL to compare).
log_level=Warning
if [[ $scenario == idle ]]; then
  log_level=${IDLE_LOG_LEVEL:-Information}
fi
load_tool_dll="$root/LoadTest/bin/$bin/OrleansChat.LoadTest.dll"
load_tool=("${load_pin[@]}" dotnet "$load_tool_dll")
work=$(mktemp -d)
server_pid=""
redis_pid=""
trap 'status=$?; [[ $status == 0 ]] || tail -n 20 "$work"/*.log >&2; stop_server; stop_redis; rm -rf "$work"' EXIT

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

wait_for() { # url
  for _ in $(seq 1 300); do
    curl -s -o /dev/null "$1" && return 0
    sleep 0.2
  done
  echo "$1 did not answer; see $work/server.log" >&2
  exit 1
}

start_gateway() { # extra gateway arguments...
  local port
  port=$(free_port)
  url="http://127.0.0.1:$port"
  # shellcheck disable=SC2086
  env ${SERVER_ENV:-} ${PROFILE:+DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0} "${server_pin[@]}" dotnet "$root/Gateway/bin/$bin/OrleansChat.Gateway.dll" --urls "$url" --contentRoot "$root/Gateway" \
    --Orleans:Endpoints:SiloPort="$(free_port)" --Logging:LogLevel:Default="$log_level" \
    --Limits:Enabled=false "$@" >"$work/server.log" 2>&1 &
  server_pid=$!
  wait_for "$url/readyz"
}

start_yardstick() {
  url="http://127.0.0.1:$(free_port)"
  # shellcheck disable=SC2086
  env ${PROFILE:+DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0} "${server_pin[@]}" dotnet "$load_tool_dll" yardstick --urls "$url" >"$work/server.log" 2>&1 &
  server_pid=$!
  wait_for "$url"
}

start_node_yardstick() {
  local port
  port=$(free_port)
  url="http://127.0.0.1:$port"
  [[ -d $root/bench/node/node_modules ]] || (cd "$root/bench/node" && npm ci --no-audit --no-fund >/dev/null)
  "${server_pin[@]}" node "$root/bench/node/yardstick.mjs" --port "$port" >"$work/server.log" 2>&1 &
  server_pid=$!
  wait_for "$url"
}

stop_server() {
  if [[ -n $server_pid ]]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=""
  fi
}

start_redis() {
  local port
  port=$(free_port)
  mkdir -p "$work/redis"
  "${redis_pin[@]}" redis-server --port "$port" --bind 127.0.0.1 --dir "$work/redis" --appendonly yes --appendfsync everysec --save "" >"$work/redis.log" 2>&1 &
  redis_pid=$!
  until redis-cli -p "$port" ping >/dev/null 2>&1; do sleep 0.1; done
  redis="127.0.0.1:$port"
}

stop_redis() {
  if [[ -n $redis_pid ]]; then
    kill "$redis_pid" 2>/dev/null || true
    wait "$redis_pid" 2>/dev/null || true
    redis_pid=""
  fi
}

node_load() { # the Node.js generator, its packages installed on first use
  [[ -d $root/bench/node/node_modules ]] || (cd "$root/bench/node" && npm ci --no-audit --no-fund >/dev/null)
  "${load_pin[@]}" node "$root/bench/node/fanout.mjs" "$@"
}

output_path() { # DIR: the path, without extension, of this run's file in DIR (made if missing)
  mkdir -p "$1"
  echo "$1/$scenario-rate$rate-$(date +%H%M%S)"
}

fanout() { # url, then extra load tool arguments
  local target=$1
  shift
  if [[ ${LOAD:-} == node ]]; then
    local timeline=()
    if [[ -n ${TIMELINE:-} ]]; then
      timeline=(--timeline "$(output_path "$TIMELINE").txt")
    fi
    node_load --url "$target" --duration 10 --warmup "$warmup" "$@" "${timeline[@]}" 2>"$work/load.log" &
  else
    "${load_tool[@]}" fanout --url "$target" --duration 10 --warmup "$warmup" "$@" 2>"$work/load.log" &
  fi
  local load_pid=$!
  if [[ -n ${PROFILE:-} && -n $server_pid ]]; then
    profile
  fi
  wait "$load_pid"
}

profile() { # a CPU profile of the server (perf, 8 of the 10 measured seconds) and its top symbols, into $PROFILE
  until grep -q measuring "$work/load.log" 2>/dev/null; do sleep 0.2; done
  local name
  name=$(output_path "$PROFILE")
  perf record -F 999 -g -p "$server_pid" -o "$name.perf.data" -- sleep 8 2>/dev/null
  perf report -i "$name.perf.data" --no-children --sort dso,sym --stdio -g none --percent-limit 0.3 >"$name.self.txt" 2>/dev/null
  perf report -i "$name.perf.data" --children --sort sym --stdio -g none --percent-limit 1 >"$name.children.txt" 2>/dev/null
}

gateway_gauges() { # the gateway's open sockets, relayed groups and GC heap now, read from its meters by dotnet-counters
  # and, after a full collection that dotnet-gcdump makes it run, its live objects
  (cd "$root" && dotnet tool restore >/dev/null)
  (cd "$root" && dotnet tool run dotnet-counters collect -p "$server_pid" --counters OrleansChat.Gateway,System.Runtime --format json \
    -o "$work/counters.json" --duration 00:00:05 >/dev/null)
  (cd "$root" && dotnet tool run dotnet-gcdump collect -p "$server_pid" -o "$work/heap.gcdump" >/dev/null 2>&1 &&
    dotnet tool run dotnet-gcdump report "$work/heap.gcdump" >"$work/heap.txt" 2>/dev/null)
  python3 - "$work/counters.json" "$work/heap.txt" <<'PY'
import json, sys
last = {}
for event in json.load(open(sys.argv[1]))["Events"]:
    last[(event["name"].split(" ")[0], str(event.get("tags", "")))] = event["value"]
def total(name):
    values = [value for (key, _), value in last.items() if key == name]
    return sum(values) if values else None
heap = total("dotnet.gc.last_collection.heap.size")
live = {line.split()[-1]: int(line.split()[0].replace(",", "")) for line in open(sys.argv[2]) if "GC Heap" in line}
print(json.dumps({"openSockets": total("orleanschat.sockets.open"), "relayedGroups": total("orleanschat.groups.relayed"),
                  "gcHeapMiB": None if heap is None else round(heap / 1048576, 1),
                  "liveHeapMiB": round(live["bytes"] / 1048576, 1) if "bytes" in live else None,
                  "liveObjects": live.get("objects")}))
PY
}

fanout_load=(--sockets 2000 --groups 20 --rate "$rate" --connect-rate 1000)
direct_load=(--direct --sockets 2000 --sockets-per-user 2 --rate "$rate" --connect-rate 1000)

run_once() {
  case $scenario in
    fanout)
      start_gateway
      fanout "$url" "${fanout_load[@]}" --server-pid "$server_pid"
      stop_server ;;
    overload)
      start_gateway
      fanout "$url" "${fanout_load[@]}" --lower-rate "${LOWER_RATE:-10}" --lower-duration 8 --server-pid "$server_pid"
      stop_server ;;
    fanout-redis)
      start_redis
      start_gateway --ConnectionStrings:Redis="$redis"
      fanout "$url" "${fanout_load[@]}" --server-pid "$server_pid"
      stop_server
      stop_redis ;;
    direct)
      start_gateway
      LOAD=dotnet fanout "$url" "${direct_load[@]}" --server-pid "$server_pid"
      stop_server ;;
    direct-redis)
      start_redis
      start_gateway --ConnectionStrings:Redis="$redis"
      LOAD=dotnet fanout "$url" "${direct_load[@]}" --server-pid "$server_pid"
      stop_server
      stop_redis ;;
    ack-redis)
      start_redis
      start_gateway --ConnectionStrings:Redis="$redis"
      fanout "$url" --sockets 80 --groups 20 --sockets-per-user 1 --rate "$rate" --connect-rate 1000 --server-pid "$server_pid"
      stop_server
      stop_redis ;;
    yardstick)
      start_yardstick
      fanout "$url" "${fanout_load[@]}" --server-pid "$server_pid"
      stop_server ;;
    yardstick-node)
      start_node_yardstick
      fanout "$url" "${fanout_load[@]}" --server-pid "$server_pid"
      stop_server ;;
    large-group)
      start_gateway
      fanout "$url" --sockets 5000 --groups 1 --rate 20 --connect-rate 2000 --server-pid "$server_pid"
      stop_server ;;
    idle)
      start_gateway
      "${load_tool[@]}" connections --url "$url" --sockets 10000 --groups 100 --sockets-per-user "${SOCKETS_PER_USER:-10}" \
        --connect-rate 2500 --hold 5 --server-pid "$server_pid" 2>"$work/load.log"
      stop_server ;;
    soak)
      # Clients connecting, chatting and dropping at random against Redis storage; afterwards the gateway must
      # hold no sockets and no group subscriptions, and history must hold every acknowledged message. Idle
      # grains are collected after 30 s instead of 15 minutes, and the load tool holds for 50 s after its last
      # socket closes, so the heap read afterwards shows what outlives the idle activations. SOAK_ROUNDS
      # rounds (default 2) run against the same server: memory that grows round after round is a leak, memory
      # that stays where the first round left it is pools and tables sized to their high-water mark.
      start_redis
      start_gateway --ConnectionStrings:Redis="$redis" --Orleans:GrainCollection:CollectionAge=00:00:30 \
        --Orleans:GrainCollection:CollectionQuantum=00:00:05
      gateway_gauges >"$work/gauges-before.json"
      local round
      for round in $(seq 1 "${SOAK_ROUNDS:-2}"); do
        rm -f "$work/load-$round.log" # an earlier run's would say "settled" at once
        "${load_tool[@]}" soak --url "$url" --users "${SOAK_USERS:-50}" --groups 5 --duration "${SOAK_SECONDS:-180}" --hold 50 \
          --seed "$round" --server-pid "$server_pid" >"$work/soak-$round.json" 2>"$work/load-$round.log" &
        local load_pid=$!
        until grep -q settled "$work/load-$round.log" 2>/dev/null; do sleep 0.5; done
        gateway_gauges >"$work/gauges-$round.json"
        wait "$load_pid"
      done
      python3 - "$work" "${SOAK_ROUNDS:-2}" <<'PY'
import json, sys
work, rounds = sys.argv[1], int(sys.argv[2])
runs = [json.load(open(f"{work}/soak-{r}.json")) for r in range(1, rounds + 1)]
gauges = [json.load(open(f"{work}/gauges-{r}.json")) for r in range(1, rounds + 1)]
result = runs[-1]
for key in ("sessions", "acknowledged", "failedSessions", "checkedInHistory", "missingFromHistory"):
    result[key] = sum(run[key] for run in runs)
result["rounds"] = rounds
result["before"] = json.load(open(f"{work}/gauges-before.json"))
result["afterFirstRound"], result["afterwards"] = gauges[0], gauges[-1]
print(json.dumps(result))
PY
      stop_server
      stop_redis ;;
    cluster)
      # The gateways inherit this environment: abuse limits off, as in start_gateway.
      Limits__Enabled=false "$root/deploy/local-cluster.sh" start "$work/cluster" >/dev/null
      # shellcheck disable=SC1091
      source "$work/cluster/cluster.env"
      fanout "$GATEWAY1,$GATEWAY2" "${fanout_load[@]}"
      "$root/deploy/local-cluster.sh" stop "$work/cluster" ;;
    *)
      echo "unknown scenario $scenario" >&2
      exit 2 ;;
  esac
}

# run_once runs in this shell (not a pipeline's subshell) so that the exit trap knows its PIDs.
for _ in $(seq 1 "$runs"); do
  run_once >"$work/run.json"
  python3 -c 'import json, sys; print(json.dumps(json.load(sys.stdin)))' <"$work/run.json" | tee -a "$work/results.jsonl"
done

python3 - "$work/results.jsonl" >&2 <<'PY'
import json, statistics, sys
runs = [json.loads(line) for line in open(sys.argv[1])]
def median(path):
    values = []
    for run in runs:
        value = run
        for key in path.split("."):
            value = value.get(key) if isinstance(value, dict) else None
        if isinstance(value, (int, float)):
            values.append(value)
    return statistics.median(values) if values else None
keys = ["acknowledged", "missingFromHistory", "server.rssBeforeMiB", "server.rssAfterMiB", "afterwards.openSockets",
        "afterwards.relayedGroups", "before.gcHeapMiB", "afterwards.gcHeapMiB", "before.liveHeapMiB", "afterwards.liveHeapMiB", "before.liveObjects", "afterwards.liveObjects", "afterFirstRound.liveHeapMiB", "afterFirstRound.liveObjects", "deliveriesPerSecond", "deliveryLatencyMs.p50", "deliveryLatencyMs.p99", "deliveryLatencyMs.max",
        "ackLatencyMs.p50", "ackLatencyMs.p99", "acked", "errors.overloaded", "closedByServer",
        "lowered.settlingLatencyMs.p99", "lowered.settledLatencyMs.p50", "lowered.settledLatencyMs.p99", "connectsPerSecond", "server.rssPerSocketKiB",
        "server.cpuSecondsWhileMeasuring", "server.cpuSecondsPer1000Deliveries", "runtime.allocatedBytesPerDelivery",
        "runtime.gcCollections.gen0", "runtime.gcCollections.gen1", "runtime.gcCollections.gen2", "runtime.gcPauseMs",
        "runtime.threadPoolQueue.mean", "runtime.threadPoolQueue.max"]
print(f"{len(runs)} runs, medians: " + ", ".join(f"{k}={median(k)}" for k in keys if median(k) is not None))
# Any lost, duplicated or reordered delivery is a bug, so these are totals over all runs, not medians.
totals = {k: sum(run.get(k, 0) for run in runs) for k in ["lost", "duplicates", "outOfOrder", "gaps", "connectErrors"]}
print("totals over all runs: " + ", ".join(f"{k}={v}" for k, v in totals.items()))
PY
