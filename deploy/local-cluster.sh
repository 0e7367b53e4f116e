#!/usr/bin/env bash
# A whole OrleansChat cluster on this machine: redis-server, two silos and two client-mode gateways,
# all on free loopback ports.
#
#   deploy/local-cluster.sh start [STATE_DIR]   start everything, wait until both gateways are ready,
#                                               print their URLs (also written to STATE_DIR/cluster.env)
#   deploy/local-cluster.sh stop  [STATE_DIR]   stop every process by the PID it recorded
#   deploy/local-cluster.sh start-silo NAME [STATE_DIR]
#                                               start silo NAME (silo1, silo2, ...) again, joining the
#                                               running cluster, e.g. after it was killed
#
# STATE_DIR (default .local-cluster) holds each process's PID, log and the Redis data. The silos and
# gateways run from the build output of CONFIGURATION (default Release): build the solution first.
set -euo pipefail

command=${1:-}
state=${2:-.local-cluster}
root=$(cd "$(dirname "$0")/.." && pwd)
configuration=${CONFIGURATION:-Release}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start_process() { # name, then the command; environment comes from the caller
  local name=$1
  shift
  "$@" >"$state/$name.log" 2>&1 &
  echo $! >"$state/$name.pid"
}

wait_until() { # tries, seconds between tries, what failed (for the message), then the check command
  local tries=$1 pause=$2 failure=$3
  shift 3
  for _ in $(seq 1 "$tries"); do
    if "$@" >/dev/null 2>&1; then
      return 0
    fi
    sleep "$pause"
  done
  echo "$failure" >&2
  return 1
}

wait_ready() { # url
  wait_until 120 0.5 "gateway $1 did not become ready; see $state/*.log" curl -fsS "$1/readyz"
}

# A missing or failing redis-server must fail the start, not hang it.
wait_redis() { # port
  wait_until 100 0.1 "redis-server on port $1 did not answer; see $state/redis.log" redis-cli -p "$1" ping
}

silo_dll="$root/Silo/bin/$configuration/net10.0/OrleansChat.Silo.dll"
gateway_dll="$root/Gateway/bin/$configuration/net10.0/OrleansChat.Gateway.dll"

cluster_environment() { # redis port, cluster id
  export ConnectionStrings__Redis="127.0.0.1:$1"
  export Orleans__ClusterId="$2" Orleans__ServiceId="orleanschat-local"
  export Orleans__Endpoints__AdvertisedIPAddress=127.0.0.1
  export Logging__LogLevel__Default=Warning
}

start_silo() { # name: its HTTP address (health, metrics) is kept in $state/NAME.url
  local gateway_port
  gateway_port=$(free_port)
  echo "$gateway_port" >"$state/$1.gateway-port"
  echo "http://127.0.0.1:$(free_port)" >"$state/$1.url"
  Orleans__Endpoints__SiloPort=$(free_port) Orleans__Endpoints__GatewayPort=$gateway_port \
    start_process "$1" dotnet "$silo_dll" --urls "$(cat "$state/$1.url")" --contentRoot "$root/Silo"
}

wait_silo() { # name: a silo opens its client gateway port once it has joined the cluster
  wait_until 120 0.5 "silo $1 did not join the cluster; see $state/$1.log" \
    bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$0"' "$(cat "$state/$1.gateway-port")"
}

start() {
  mkdir -p "$state/redis"
  state=$(cd "$state" && pwd)
  for dll in "$silo_dll" "$gateway_dll"; do
    [[ -f $dll ]] || { echo "missing $dll: run 'dotnet build OrleansChat.sln -c $configuration' first" >&2; exit 1; }
  done

  local redis_port cluster_id
  redis_port=$(free_port)
  cluster_id="local-$(date +%s)"
  start_process redis redis-server --port "$redis_port" --bind 127.0.0.1 --dir "$state/redis" \
    --appendonly yes --appendfsync always --save ""
  wait_redis "$redis_port"

  cluster_environment "$redis_port" "$cluster_id"
  for silo in silo1 silo2; do
    start_silo "$silo"
  done

  local urls=()
  for gateway in gateway1 gateway2; do
    local url="http://127.0.0.1:$(free_port)"
    Gateway__Mode=client start_process "$gateway" dotnet "$gateway_dll" --urls "$url" --contentRoot "$root/Gateway"
    urls+=("$url")
  done
  for url in "${urls[@]}"; do wait_ready "$url"; done

  {
    echo "REDIS=127.0.0.1:$redis_port"
    echo "CLUSTER_ID=$cluster_id"
    echo "GATEWAY1=${urls[0]}"
    echo "GATEWAY2=${urls[1]}"
    echo "SILO1=$(cat "$state/silo1.url")"
    echo "SILO2=$(cat "$state/silo2.url")"
    for name in redis silo1 silo2 gateway1 gateway2; do
      echo "${name^^}_PID=$(cat "$state/$name.pid")"
    done
  } >"$state/cluster.env"
  cat "$state/cluster.env"
}

start_one_silo() { # name
  local name=$1
  state=$(cd "$state" && pwd)
  # shellcheck disable=SC1091
  source "$state/cluster.env"
  cluster_environment "${REDIS##*:}" "$CLUSTER_ID"
  start_silo "$name"
  wait_silo "$name"
  sed -i "s/^${name^^}_PID=.*/${name^^}_PID=$(cat "$state/$name.pid")/" "$state/cluster.env"
  sed -i "s|^${name^^}=.*|${name^^}=$(cat "$state/$name.url")|" "$state/cluster.env"
  cat "$state/cluster.env"
}

stop() {
  [[ -d $state ]] || return 0
  for name in gateway1 gateway2 silo1 silo2 redis; do
    if [[ -f $state/$name.pid ]]; then
      kill "$(cat "$state/$name.pid")" 2>/dev/null || true
    fi
  done
  for name in gateway1 gateway2 silo1 silo2 redis; do
    if [[ -f $state/$name.pid ]]; then
      local pid
      pid=$(cat "$state/$name.pid")
      for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
      rm -f "$state/$name.pid"
    fi
  done
}

case $command in
  start) start ;;
  stop) stop ;;
  start-silo)
    [[ -n ${2:-} ]] || { echo "start-silo needs a name" >&2; exit 2; }
    state=${3:-.local-cluster}
    start_one_silo "$2"
    ;;
  *) sed -n '2,15p' "$0"; exit 2 ;;
esac
