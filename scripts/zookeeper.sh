#!/usr/bin/env bash
# Start and stop a throwaway ZooKeeper (Debian's package) on loopback for the demo, tests and benchmarks.
#
#   scripts/zookeeper.sh install                              install Debian's zookeeper when its classes are missing
#   scripts/zookeeper.sh start [--port P] [--dir D]           standalone server; prints the connect string
#   scripts/zookeeper.sh start-ensemble [--port P] [--dir D]  3 nodes: client ports P..P+2, quorum P+3..P+5,
#                                                             election P+6..P+8; prints the connect string
#   scripts/zookeeper.sh stop [--dir D] [--keep]              stops only the pids this script wrote in D, then
#                                                             removes D (--keep: keep the data for a restart)
#   scripts/zookeeper.sh status [--dir D]                     prints each node's `srvr` mode
#
# Defaults: --port 2181 (start-ensemble: 2281), --dir .zk/<port> under the repository (gitignored).
# Everything binds 127.0.0.1; Java logs go to D/.../zookeeper.log, never to the terminal.
set -euo pipefail

ZK_JAR=/usr/share/java/zookeeper.jar
# The jar's manifest names its own dependencies; add one SLF4J binding so logging is deterministic
# (/usr/share/java/* holds several bindings and the JVM would pick one at random).
CLASSPATH_EXTRA=/usr/share/java/slf4j-log4j12.jar:/usr/share/java/log4j-1.2.jar
READY_TIMEOUT_S=${ZK_READY_TIMEOUT_S:-15}
STOP_TIMEOUT_S=10
REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

die() {
  echo "zookeeper.sh: $*" >&2
  exit 1
}

cmd_install() {
  if [[ -f $ZK_JAR ]] && command -v java >/dev/null 2>&1; then
    return 0
  fi
  [[ $(id -u) -eq 0 ]] || die "ZooKeeper is missing and installing it needs root (apt-get install -y zookeeper)"
  echo "zookeeper.sh: installing Debian's zookeeper package" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq zookeeper >/dev/null
  [[ -f $ZK_JAR ]] || die "apt-get install zookeeper did not provide $ZK_JAR"
}

# Sends a four-letter word to 127.0.0.1:$1 and prints the answer (empty when the server does not answer).
four_letter() {
  local port=$1 word=$2
  timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$port && printf '%s' '$word' >&3 && cat <&3" 2>/dev/null || true
}

# Writes one node's config, log4j config and (for an ensemble) myid into its directory.
write_node_config() {
  local dir=$1 client_port=$2 myid=${3:-} servers=${4:-}
  mkdir -p "$dir/data"
  cat >"$dir/zoo.cfg" <<EOF
tickTime=500
initLimit=20
syncLimit=10
dataDir=$dir/data
clientPort=$client_port
clientPortAddress=127.0.0.1
admin.enableServer=false
4lw.commands.whitelist=ruok,srvr,mntr,stat
# Small session timeouts let tests observe expiry in seconds; production uses its own server.
minSessionTimeout=1000
maxSessionTimeout=60000
maxClientCnxns=0
autopurge.purgeInterval=0
EOF
  if [[ -n $servers ]]; then
    printf '%s\n' "$servers" >>"$dir/zoo.cfg"
    echo "$myid" >"$dir/data/myid"
  fi
  cat >"$dir/log4j.properties" <<EOF
log4j.rootLogger=INFO, FILE
log4j.appender.FILE=org.apache.log4j.FileAppender
log4j.appender.FILE.File=$dir/zookeeper.log
log4j.appender.FILE.layout=org.apache.log4j.PatternLayout
log4j.appender.FILE.layout.ConversionPattern=%d{ISO8601} %-5p [%t:%C{1}@%L] - %m%n
EOF
}

# Launches one node in the background and records its pid in $dir/zookeeper.pid.
launch_node() {
  local dir=$1
  if [[ -f $dir/zookeeper.pid ]] && is_our_server "$(cat "$dir/zookeeper.pid")" "$dir"; then
    die "a ZooKeeper started from $dir is already running (pid $(cat "$dir/zookeeper.pid"))"
  fi
  # setsid detaches it from the caller's terminal and process group, so ^C on a test run does not kill it
  # half-way; stop is the one way it ends.
  setsid java -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto \
    -Dlog4j.configuration="file:$dir/log4j.properties" -Dzookeeper.jmx.log4j.disable=true \
    -Dzookeeper.admin.enableServer=false \
    -cp "$dir:$ZK_JAR:$CLASSPATH_EXTRA" org.apache.zookeeper.server.quorum.QuorumPeerMain "$dir/zoo.cfg" \
    </dev/null >>"$dir/zookeeper.out" 2>&1 &
  echo $! >"$dir/zookeeper.pid"
}

# True when pid $1 is alive and is the java process started with $2/zoo.cfg (guards against pid reuse).
is_our_server() {
  local pid=$1 dir=$2
  [[ $pid =~ ^[0-9]+$ ]] && [[ -r /proc/$pid/cmdline ]] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF "$dir/zoo.cfg"
}

# Waits (bounded) until every port answers `srvr` with a Mode, i.e. serves requests (for an ensemble: has a quorum).
wait_serving() {
  local deadline=$((SECONDS + READY_TIMEOUT_S)) port dir
  local -a ports=("${@:2}")
  dir=$1
  for port in "${ports[@]}"; do
    while :; do
      if [[ $(four_letter "$port" ruok) == imok ]] && four_letter "$port" srvr | grep -q '^Mode: '; then
        break
      fi
      if ((SECONDS >= deadline)); then
        echo "zookeeper.sh: ZooKeeper on 127.0.0.1:$port not serving after ${READY_TIMEOUT_S}s; log tail:" >&2
        tail -n 20 "$dir"/zookeeper.log "$dir"/*/zookeeper.log 2>/dev/null >&2 || true
        return 1
      fi
      sleep 0.1
    done
  done
}

abs_dir() {
  mkdir -p "$1"
  (cd "$1" && pwd)
}

# Reads --port P and --dir D into the caller's local $port and $dir (bash locals are dynamically scoped).
parse_port_dir() {
  local command=$1
  shift
  while (($#)); do
    case $1 in
      --port) port=$2; shift 2 ;;
      --dir) dir=$2; shift 2 ;;
      *) die "$command: unknown argument $1" ;;
    esac
  done
}

cmd_start() {
  local port=2181 dir=
  parse_port_dir start "$@"
  cmd_install
  dir=$(abs_dir "${dir:-$REPO_ROOT/.zk/$port}")
  write_node_config "$dir" "$port"
  launch_node "$dir"
  if ! wait_serving "$dir" "$port"; then
    cmd_stop --dir "$dir" --keep
    exit 1
  fi
  echo "127.0.0.1:$port"
}

cmd_start_ensemble() {
  local port=2281 dir= i servers=
  parse_port_dir start-ensemble "$@"
  cmd_install
  dir=$(abs_dir "${dir:-$REPO_ROOT/.zk/ensemble-$port}")
  for i in 1 2 3; do
    servers+="server.$i=127.0.0.1:$((port + 2 + i)):$((port + 5 + i))"$'\n'
  done
  for i in 1 2 3; do
    write_node_config "$dir/node$i" "$((port + i - 1))" "$i" "$servers"
    launch_node "$dir/node$i"
  done
  if ! wait_serving "$dir" "$port" "$((port + 1))" "$((port + 2))"; then
    cmd_stop --dir "$dir" --keep
    exit 1
  fi
  echo "127.0.0.1:$port,127.0.0.1:$((port + 1)),127.0.0.1:$((port + 2))"
}

cmd_stop() {
  local dir= keep=0 pidfile pid node deadline
  while (($#)); do
    case $1 in
      --dir) dir=$2; shift 2 ;;
      --port) dir=$REPO_ROOT/.zk/$2; shift 2 ;;
      --keep) keep=1; shift ;;
      *) die "stop: unknown argument $1" ;;
    esac
  done
  dir=${dir:-$REPO_ROOT/.zk/2181}
  [[ -d $dir ]] || return 0
  dir=$(cd "$dir" && pwd)
  for pidfile in "$dir/zookeeper.pid" "$dir"/node*/zookeeper.pid; do
    [[ -f $pidfile ]] || continue
    pid=$(cat "$pidfile")
    node=$(dirname "$pidfile")
    if is_our_server "$pid" "$node"; then
      kill -TERM "$pid" 2>/dev/null || true
      deadline=$((SECONDS + STOP_TIMEOUT_S))
      while is_our_server "$pid" "$node" && ((SECONDS < deadline)); do sleep 0.1; done
      if is_our_server "$pid" "$node"; then kill -KILL "$pid" 2>/dev/null || true; fi
    fi
    rm -f "$pidfile"
  done
  if ((keep == 0)); then rm -rf "$dir"; fi
}

cmd_status() {
  local dir=${2:-$REPO_ROOT/.zk/2181} cfg port
  [[ ${1:-} == --dir || -z ${1:-} ]] || die "status: unknown argument $1"
  for cfg in "$dir/zoo.cfg" "$dir"/node*/zoo.cfg; do
    [[ -f $cfg ]] || continue
    port=$(sed -n 's/^clientPort=//p' "$cfg")
    echo "127.0.0.1:$port $(four_letter "$port" srvr | sed -n 's/^Mode: //p')"
  done
}

case ${1:-} in
  install) cmd_install ;;
  start) shift; cmd_start "$@" ;;
  start-ensemble) shift; cmd_start_ensemble "$@" ;;
  stop) shift; cmd_stop "$@" ;;
  status) shift; cmd_status "$@" ;;
  *) die "usage: $0 install | start [--port P] [--dir D] | start-ensemble [--port P] [--dir D] | stop [--dir D] [--keep] | status [--dir D]" ;;
esac
