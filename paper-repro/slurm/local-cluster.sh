#!/usr/bin/env bash
# A real, single-node Slurm cluster in one folder, for trying sweeps and for the ScaleOut tests.
#   local-cluster.sh start DIR [CPUS]   writes DIR/slurm.conf, starts munged, slurmctld and slurmd (as root)
#   local-cluster.sh stop DIR           stops the three daemons started in DIR
# Needs Debian's slurm-wlm and munge (`apt-get install slurm-wlm munge`). Use the cluster with
#   SLURM_CONF=DIR/slurm.conf sbatch ... / squeue / sacct-less `scontrol show job`.
# Everything (key, socket, state, logs, pid files) stays inside DIR; ports are chosen free at start.
set -euo pipefail
cmd=${1:?start or stop}; dir=${2:?cluster folder}
mkdir -p "$dir"; dir=$(cd "$dir" && pwd)

stop() {
    for name in slurmd slurmctld munged; do
        pidfile="$dir/$name.pid"
        [ -s "$pidfile" ] || continue
        pid=$(cat "$pidfile")
        kill "$pid" 2>/dev/null || true
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$pid" 2>/dev/null || true
        rm -f "$pidfile"
    done
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

start() {
    local cpus=${1:-$(nproc)} host; host=$(hostname -s)
    for tool in munged slurmctld slurmd sbatch; do
        command -v "$tool" >/dev/null || { echo "missing $tool: apt-get install slurm-wlm munge" >&2; exit 1; }
    done
    [ "$(id -u)" = 0 ] || { echo "slurmd must run as root" >&2; exit 1; }
    stop
    # The daemons outlive this script: close descriptors inherited from the caller (a pipe, or the socket through
    # which Foundation's Process watches its child) so that nobody waiting on them waits for the cluster to stop.
    for fd in /proc/$$/fd/*; do
        fd=${fd##*/}
        [ "$fd" -gt 2 ] 2>/dev/null && eval "exec $fd>&-" 2>/dev/null || true
    done
    chmod 700 "$dir"; mkdir -p "$dir/state" "$dir/spool"
    [ -s "$dir/munge.key" ] || { head -c 1024 /dev/urandom > "$dir/munge.key"; chmod 400 "$dir/munge.key"; }
    munged --force --socket="$dir/munge.socket" --key-file="$dir/munge.key" --pid-file="$dir/munged.pid" \
           --log-file="$dir/munged.log" --seed-file="$dir/munge.seed"
    cat > "$dir/slurm.conf" <<CONF
ClusterName=imine-local
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmdUser=root
SlurmctldPort=$(free_port)
SlurmdPort=$(free_port)
AuthType=auth/munge
AuthInfo=socket=$dir/munge.socket
CredType=cred/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
MpiDefault=none
ReturnToService=2
SlurmdTimeout=30
InactiveLimit=0
MinJobAge=600
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=1000 State=UNKNOWN
PartitionName=local Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
    export SLURM_CONF="$dir/slurm.conf"
    slurmctld -i -f "$SLURM_CONF"
    slurmd -f "$SLURM_CONF"
    for _ in $(seq 100); do
        state=$(sinfo -h -N -o %t 2>/dev/null || true)
        case "$state" in idle*|mix*|alloc*) echo "slurm ready: SLURM_CONF=$SLURM_CONF ($host, $cpus CPUs)"; return 0 ;; esac
        sleep 0.2
    done
    echo "slurm did not become ready; logs in $dir" >&2; tail -5 "$dir"/*.log >&2; exit 1
}

case "$cmd" in
    start) start "${3:-}" ;;
    stop) stop ;;
    *) echo "usage: $0 start|stop DIR [CPUS]" >&2; exit 2 ;;
esac
