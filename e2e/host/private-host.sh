#!/usr/bin/env bash
# A second, independent libvirt host on this machine, for tests that need two hosts (migration,
# two connections): its own libvirtd, virtlogd and sshd in a private mount namespace, where
# /run/libvirt is a fresh tmpfs and /etc/libvirt, /var/lib/libvirt, /var/log/libvirt and
# /var/cache/libvirt are its own folders. The machine's libvirtd (the provisioned test host) is
# never stopped, restarted or reconfigured by this script.
#
#   private-host.sh start     start it (~0.3 s) and print private-host.json; fails when it runs
#   private-host.sh run       the same in the foreground: this process becomes the supervisor
#                             (the test helper runs this, so that it reaps the supervisor itself)
#   private-host.sh stop      stop it and every process it started; waits for them by pid
#   private-host.sh status    "running" (exit 0) or "stopped" (exit 3), with the pids
#   private-host.sh exec CMD  run CMD inside its mount namespace (e.g. exec virsh -c qemu:///system list)
#
# SIGUSR1 to the supervisor starts again whichever of libvirtd and sshd is not running (fault
# tests stop them by pid), and rewrites private-host.json with the new pids.
#
# --empty before the command selects a second instance, the empty-state check: the same steps
# with provisioning's own values (host UUID, migration address), over EMPTY tmpfs folders (no
# config copy, no cache, no sshd; ~2 s), so it proves that provisioning's host steps make
# everything libvirt needs on a brand-new machine.
#
# How: "run" takes the pid of the supervisor, makes itself a child subreaper (so the daemons,
# which detach, stay its descendants and are reaped: PID 1 on the test machines reaps nothing),
# and execs unshare --mount, which execs this script's __supervise step. That mounts the
# folders, runs provision.sh's host steps configure_libvirt and start_libvirt with its own pid
# files, host UUID and migration address, starts sshd on 127.0.0.2:2223 (default instance),
# writes private-host.json and waits. On SIGTERM it destroys its guests, stops the daemons and
# kills whatever else it still has (guests' QEMU, SSH sessions), then exits; the namespace and
# its tmpfs go with it. Requires a provisioned machine (provision.sh: users, keys, the guest).
set -euo pipefail

SELF="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")"
# The host steps, pid helpers and paths (sourced: provision.sh's main does not run).
# shellcheck source-path=SCRIPTDIR source=provision.sh
source "$(dirname "$SELF")/provision.sh"

INSTANCE=private
INSTANCE_ARGS=()
if [[ "${1:-}" == --empty ]]; then INSTANCE=empty; INSTANCE_ARGS=(--empty); shift; fi

if [[ "$INSTANCE" == private ]]; then
  PH_DIR="$STATE_DIR/private-host"
  PH_HOST_UUID=5d7e57a1-4057-4e2e-8d0c-127000000002
  PH_ADDRESS=127.0.0.2
  PH_SSH_PORT=2223
else
  # The empty-state check runs the host steps exactly as provisioning does (same host UUID,
  # migration address and qemu.conf as the machine's libvirtd): only the pid files differ.
  PH_DIR="$STATE_DIR/empty-host"
  PH_HOST_UUID="$LIBVIRT_HOST_UUID"
  PH_ADDRESS="$LIBVIRT_MIGRATION_ADDRESS"
  PH_SSH_PORT=''
fi
PH_RUN="$PH_DIR/run"                 # pid files and the ready marker
# The source name of its /run/libvirt tmpfs: what marks its processes in /proc/PID/mountinfo.
RUN_FS_NAME="virtdeck-$INSTANCE-host-run"
PH_SSH="$PH_DIR/ssh"
PH_LOG="$PH_DIR/supervisor.log"      # the supervisor's output (the host steps' log lines)
PH_JSON="$PH_DIR/private-host.json"  # what the tests read
SUPERVISOR_PID_FILE="$PH_RUN/supervisor.pid"
PH_SSHD_PID="$PH_RUN/sshd.pid"
PH_SSHD_CONFIG="$PH_SSH/sshd_config"
PH_HOST_KEY="$PH_SSH/ssh_host_ed25519_key"
PH_KNOWN_HOSTS="$PH_SSH/known_hosts"
# The folders it gets of its own: inside the namespace => backing folder (default instance).
PH_MOUNTS=(/etc/libvirt /var/lib/libvirt /var/log/libvirt /var/cache/libvirt)
backing_of() {
  case "$1" in
    /etc/libvirt) echo "$PH_DIR/etc" ;;
    /var/lib/libvirt) echo "$PH_DIR/lib" ;;
    /var/log/libvirt) echo "$PH_DIR/log" ;;
    /var/cache/libvirt) echo "$PH_DIR/cache" ;;
  esac
}

# Log lines carry the milliseconds since "run" began (PH_T0, passed on to the supervisor).
log() {
  local t=''
  [[ -n "${PH_T0:-}" ]] && t=" +$((($(date +%s%N) - PH_T0) / 1000000))ms"
  printf '[private-host:%s%s] %s\n' "$INSTANCE" "$t" "$*" >&2
}

supervisor_pid() { pid_from "$SUPERVISOR_PID_FILE"; }
supervisor_running() { pid_runs "$(supervisor_pid)" private-host.sh; }
mnt_ns_of() { readlink "/proc/$1/ns/mnt" 2> /dev/null || true; }
addr_in_use() { (exec 3<> "/dev/tcp/$1/$2") 2> /dev/null; }

# ---------------------------------------------------------------------------------------------
# Setup, outside the namespace (idempotent; kept files are only written when they differ)

require_provisioned() {
  [[ "$(id -u)" == 0 ]] || die "run as root"
  [[ -f "$STATE_DIR/env.json" && -f "$USER_KEY" && -f "$GUEST_DIR/domain.xml" ]] ||
    die "the machine is not provisioned: run e2e/host/provision.sh first"
  if ! id "$TEST_USER" > /dev/null 2>&1 || ! id "$NOGROUP_USER" > /dev/null 2>&1; then
    die "users $TEST_USER/$NOGROUP_USER missing: run e2e/host/provision.sh first"
  fi
}

setup_sshd_files() {
  install -d -m 700 "$PH_SSH"
  if [[ ! -f "$PH_HOST_KEY" ]]; then
    ssh-keygen -q -t ed25519 -N '' -C "virtdeck-test-private-host" -f "$PH_HOST_KEY"
    changed "private host's sshd host key"
  fi
  # It runs in the private host's mount namespace, so its sessions reach that host's libvirtd.
  sshd_config_text "sshd of the Virtdeck private test host (written by e2e/host/private-host.sh)." \
    "$PH_SSH_PORT" "$PH_ADDRESS" "$PH_HOST_KEY" "$PH_SSHD_PID" | write_file "$PH_SSHD_CONFIG" 644
  printf '[%s]:%s %s\n' "$PH_ADDRESS" "$PH_SSH_PORT" "$(cut -d' ' -f1-2 "$PH_HOST_KEY.pub")" |
    write_file "$PH_KNOWN_HOSTS" 644
  install -d -m 755 /run/sshd
  /usr/sbin/sshd -t -f "$PH_SSHD_CONFIG" || die "sshd rejects $PH_SSHD_CONFIG"
}

# copy_tree SRC DEST [tar exclude options]: a copy that tolerates files the machine's libvirtd
# adds or removes meanwhile (tar exit 1 means "a file changed while read").
copy_tree() {
  local src="$1" dest="$2" rc=0
  shift 2
  install -d -m 755 "$dest"
  [[ -d "$src" ]] || return 0
  tar -C "$src" --anchored --no-wildcards-match-slash "$@" --ignore-failed-read \
    --warning=no-file-changed --warning=no-file-removed --warning=no-failed-read \
    -cf - . | tar -C "$dest" -xpf - || rc=$?
  [[ "$rc" -le 1 ]] || die "cannot copy $src to $dest"
}

# Each start begins from the machine's current config and a clean state: the config is copied
# again (without the first host's guest definitions and without autostarted networks and
# pools, which would start on both hosts), /var/lib/libvirt and /var/log/libvirt start empty
# (the first host's disk images and logs are not this host's; the host steps make the folders
# libvirt needs). /var/cache/libvirt is kept from start to start (first copied from the
# machine's): with QEMU's capabilities cached, libvirtd is ready in ~0.3 s instead of probing
# QEMU for ~2 s. A stopped host's folders are kept until the next start, to be read.
prepare_folders() {
  rm -rf "${PH_DIR:?}/etc" "${PH_DIR:?}/lib" "${PH_DIR:?}/log"
  copy_tree /etc/libvirt "$PH_DIR/etc" --exclude='./qemu/*.xml' --exclude='./qemu/*.xml.new' \
    --exclude=./qemu/autostart --exclude=./qemu/networks/autostart --exclude=./storage/autostart
  [[ -d "$PH_DIR/cache" ]] || copy_tree /var/cache/libvirt "$PH_DIR/cache"
  install -d -m 755 "$PH_DIR/lib" "$PH_DIR/log"
}

# The first online CPU. libvirt keeps the host CPU's CPUID data with the cached QEMU
# capabilities and probes QEMU again when they differ; on these VMs a CPUID leaf differs
# between the CPUs (the x2APIC id), so a libvirtd that starts on another CPU than last time
# spends ~2 s probing. Pinned to one CPU, it finds its cache valid. (Guests are not pinned:
# libvirt sets QEMU's own CPU affinity.)
first_cpu() {
  local online
  online="$(cat /sys/devices/system/cpu/online 2> /dev/null || echo 0)"
  online="${online%%[,-]*}"
  echo "${online:-0}"
}

# ---------------------------------------------------------------------------------------------
# Inside the namespace: the supervisor

# Refuses to go on unless this process is in a mount namespace other than the one "run" was
# started in (PID 1's cannot be read here): everything below mounts over libvirt's folders.
assert_private_namespace() {
  local mine host
  mine="$(mnt_ns_of $$)"
  host="$(cat "$PH_RUN/host-mntns" 2> /dev/null || true)"
  [[ -n "$mine" && -n "$host" && "$mine" != "$host" ]] ||
    die "not in a private mount namespace (mine: $mine, the launcher's: $host): refusing to mount"
}

mount_folders() {
  local m
  # (The mount points themselves are made on the machine if missing: empty folders.)
  install -d -m 755 /run/libvirt
  mount -t tmpfs -o mode=755,size=64m "$RUN_FS_NAME" /run/libvirt
  RUN_MOUNTED=1
  for m in "${PH_MOUNTS[@]}"; do
    install -d -m 755 "$m"
    if [[ "$INSTANCE" == empty ]]; then
      mount -t tmpfs -o mode=755,size=256m "vd-$INSTANCE" "$m"
    else
      mount --bind "$(backing_of "$m")" "$m"
    fi
  done
}

# The pids of all live processes below PID $1, at any depth (not this function's own subshell).
descendants_of() {
  local root="$1" pid stat state ppid kid
  local -A kids=()
  local -a queue=("$root")
  for pid in /proc/[0-9]*; do
    pid="${pid#/proc/}"
    [[ "$pid" == "$BASHPID" ]] && continue
    # (Not "$(< file)": under set -e, that kills this subshell when the process just exited.)
    { read -r stat < "/proc/$pid/stat"; } 2> /dev/null || continue
    # Fields after "(comm) ": state, ppid. comm may hold spaces and parentheses.
    stat="${stat##*) }"
    state="${stat%% *}"
    stat="${stat#* }"
    ppid="${stat%% *}"
    [[ "$state" != Z ]] && kids[$ppid]+=" $pid"
  done
  while ((${#queue[@]})); do
    pid="${queue[0]}"
    queue=("${queue[@]:1}")
    for kid in ${kids[$pid]:-}; do
      echo "$kid"
      queue+=("$kid")
    done
  done
}

# wait_gone SECONDS PID...: true when all are gone (or zombies) within SECONDS.
wait_gone() {
  local secs="$1" i p left
  shift
  for ((i = 0; i < secs * 10; i++)); do
    left=0
    for p in "$@"; do pid_alive "$p" && left=1; done
    [[ "$left" == 0 ]] && return 0
    sleep 0.1
  done
  return 1
}

SHUTTING_DOWN=0
RUN_MOUNTED=0
shutdown_host() {
  local rc=$? dom pid
  [[ "$SHUTTING_DOWN" == 1 ]] && return 0
  SHUTTING_DOWN=1
  trap - TERM INT HUP USR1
  rm -f "$PH_RUN/ready"
  log "stopping"
  # Guests first, through libvirt, so it cleans up after them. Only once /run/libvirt is ours:
  # before that, this socket is the machine's libvirtd.
  if [[ "$RUN_MOUNTED" == 1 && -S /run/libvirt/libvirt-sock ]]; then
    while read -r dom; do
      [[ -z "$dom" ]] && continue
      log "destroying guest $dom"
      timeout 20 virsh -q -c "$LIBVIRT_URI" destroy "$dom" > /dev/null 2>&1 || log "could not destroy $dom"
    done < <(timeout 10 virsh -q -c "$LIBVIRT_URI" list --name 2> /dev/null || true)
  fi
  local -a daemons=()
  for pid in "$(pid_from "$PH_SSHD_PID")" "$(pid_from "$LIBVIRTD_PID_FILE")" "$(pid_from "$VIRTLOGD_PID_FILE")"; do
    if [[ -n "$pid" ]] && pid_alive "$pid"; then kill -TERM "$pid" 2> /dev/null || true; daemons+=("$pid"); fi
  done
  log "stopping daemons: ${daemons[*]}"
  ((${#daemons[@]} == 0)) || wait_gone 10 "${daemons[@]}" || kill -KILL "${daemons[@]}" 2> /dev/null || true
  # Whatever is left below us (QEMU of a guest libvirt did not stop, SSH sessions, sleep).
  local -a rest
  mapfile -t rest < <(descendants_of $$)
  if ((${#rest[@]})); then
    log "stopping what is left: ${rest[*]}"
    kill -TERM "${rest[@]}" 2> /dev/null || true
    wait_gone 3 "${rest[@]}" || kill -KILL "${rest[@]}" 2> /dev/null || true
  fi
  mapfile -t rest < <(descendants_of $$)
  ((${#rest[@]} == 0)) || wait_gone 5 "${rest[@]}" || log "still running: ${rest[*]}"
  # (No bare "wait": it could block on a job. Bash reaps adopted children as their SIGCHLD
  # arrives, which the waits above gave it time for.)
  log "stopped"
  exit "$rc"
}

write_json() {
  local -a keys=(INSTANCE SSH_HOST SSH_PORT SSH_USER SSH_NOGROUP_USER SSH_KEY SSH_KNOWN_HOSTS
    SSH_HOST_KEY_PUB LIBVIRT_URI HOST_UUID MIGRATION_ADDRESS SUPERVISOR_PID LIBVIRTD_PID
    VIRTLOGD_PID SSHD_PID ROOT STATE_DIR)
  local -A v=(
    [INSTANCE]="$INSTANCE" [SSH_HOST]="$PH_ADDRESS" [SSH_PORT]="${PH_SSH_PORT:-0}"
    [SSH_USER]="$TEST_USER" [SSH_NOGROUP_USER]="$NOGROUP_USER" [SSH_KEY]="$USER_KEY"
    [SSH_KNOWN_HOSTS]="$PH_KNOWN_HOSTS" [SSH_HOST_KEY_PUB]="$PH_HOST_KEY.pub"
    [LIBVIRT_URI]="$LIBVIRT_URI" [HOST_UUID]="$PH_HOST_UUID" [MIGRATION_ADDRESS]="$PH_ADDRESS"
    [SUPERVISOR_PID]="$$" [LIBVIRTD_PID]="$(pid_from "$LIBVIRTD_PID_FILE")"
    [VIRTLOGD_PID]="$(pid_from "$VIRTLOGD_PID_FILE")" [SSHD_PID]="$(pid_from "$PH_SSHD_PID")"
    [ROOT]="/proc/$$/root" [STATE_DIR]="$PH_DIR"
  )
  local k sep='' value
  {
    printf '{'
    for k in "${keys[@]}"; do
      value="$(json_string "${v[$k]}")"
      case "$k" in SSH_PORT | *_PID) value="${v[$k]:-0}" ;; esac
      printf '%s\n  "%s": %s' "$sep" "$k" "$value"
      sep=','
    done
    printf '\n}\n'
  } > "$PH_JSON.tmp"
  mv -f "$PH_JSON.tmp" "$PH_JSON"
}

start_sshd() {
  /usr/sbin/sshd -f "$PH_SSHD_CONFIG" -E "$PH_SSH/sshd.log"
  local i
  for ((i = 0; i < 50; i++)); do addr_in_use "$PH_ADDRESS" "$PH_SSH_PORT" && break; sleep 0.1; done
  addr_in_use "$PH_ADDRESS" "$PH_SSH_PORT" || die "sshd does not listen on $PH_ADDRESS:$PH_SSH_PORT"
}

RESTARTS=0
restart_daemons() {
  [[ "$SHUTTING_DOWN" == 1 ]] && return 0 # stopping: nothing may start again
  LIBVIRT_CONF_CHANGED=0
  start_libvirt
  if [[ -n "$PH_SSH_PORT" ]] && ! pid_runs "$(pid_from "$PH_SSHD_PID")" sshd; then start_sshd; fi
  write_json
  RESTARTS=$((RESTARTS + 1))
  echo "$RESTARTS" > "$PH_RUN/restarts.tmp"
  mv -f "$PH_RUN/restarts.tmp" "$PH_RUN/restarts"
  log "restart $RESTARTS: libvirtd $(pid_from "$LIBVIRTD_PID_FILE")${PH_SSH_PORT:+, sshd $(pid_from "$PH_SSHD_PID")}"
}

supervise() {
  assert_private_namespace
  # provision.sh's host steps, with this host's own files: never the machine's pid files.
  LIBVIRTD_PID_FILE="$PH_RUN/libvirtd.pid"
  VIRTLOGD_PID_FILE="$PH_RUN/virtlogd.pid"
  trap shutdown_host EXIT
  trap 'exit 0' TERM INT HUP
  if [[ "$INSTANCE" == private ]]; then
    LIBVIRTD_PREFIX=(taskset -c "$(first_cpu)")
    LIBVIRT_HOST_UUID="$PH_HOST_UUID"
    LIBVIRT_MIGRATION_ADDRESS="$PH_ADDRESS"
    # Its own VNC/websocket/migration port ranges, so the two hosts never pick the same port.
    QEMU_CONF_EXTRA='remote_display_port_min = 15900
remote_display_port_max = 15999
remote_websocket_port_min = 15700
remote_websocket_port_max = 15799
migration_port_min = 49300
migration_port_max = 49363'
  fi
  mount_folders
  configure_libvirt
  start_libvirt
  if [[ -n "$PH_SSH_PORT" ]]; then
    addr_in_use "$PH_ADDRESS" "$PH_SSH_PORT" && die "$PH_ADDRESS:$PH_SSH_PORT is already in use"
    start_sshd
  fi
  write_json
  # Fault tests stop a daemon (libvirtd, sshd) by its pid, then send SIGUSR1: this starts again
  # whatever is not running, as a child of this supervisor (which reaps it), rewrites the json
  # with the new pids and counts the restarts in run/restarts.
  trap restart_daemons USR1
  : > "$PH_RUN/ready"
  log "ready: libvirtd $(pid_from "$LIBVIRTD_PID_FILE"), virtlogd $(pid_from "$VIRTLOGD_PID_FILE")${PH_SSH_PORT:+, sshd $(pid_from "$PH_SSHD_PID") on $PH_ADDRESS:$PH_SSH_PORT}"
  # Wait for SIGTERM; "wait" returns at once for a trapped signal, and reaps adopted daemons.
  sleep infinity &
  while :; do wait "$!" || true; done
}

# ---------------------------------------------------------------------------------------------
# Commands

lock() {
  mkdir -p "$PH_DIR"
  exec 8> "$PH_DIR/.lock"
  flock -w 60 8 || die "another private-host.sh holds $PH_DIR/.lock"
}

cmd_run() {
  require_provisioned
  umask 022
  lock
  supervisor_running && die "already running (supervisor pid $(supervisor_pid)); stop it first"
  [[ -z "$PH_SSH_PORT" ]] || setup_sshd_files
  [[ "$INSTANCE" == empty ]] || prepare_folders
  rm -rf "$PH_RUN"
  install -d -m 755 "$PH_RUN"
  rm -f "$PH_JSON"
  echo "$$" > "$SUPERVISOR_PID_FILE"
  mnt_ns_of $$ > "$PH_RUN/host-mntns"
  # This run's log, and the one before.
  if [[ -f "$PH_LOG" ]]; then mv -f "$PH_LOG" "$PH_LOG.1"; fi
  exec >> "$PH_LOG" 2>&1 8>&-
  export PH_T0
  PH_T0="$(date +%s%N)"
  log "starting ($(date -u +%FT%TZ))"
  # This pid stays the supervisor's through both execs. The subreaper bit survives execve.
  local prctl
  case "$(uname -m)" in x86_64) prctl=157 ;; aarch64) prctl=167 ;; *) die "prctl syscall number for $(uname -m)?" ;; esac
  exec perl -e 'syscall($ARGV[0], 36, 1, 0, 0, 0) == 0 or die "prctl(PR_SET_CHILD_SUBREAPER): $!\n"; shift; exec @ARGV or die "exec: $!\n"' "$prctl" \
    unshare --mount --propagation private -- bash "$SELF" "${INSTANCE_ARGS[@]}" __supervise
}

# wait_ready LAUNCHER-PID: until the ready marker appears, or both the launched process and
# the supervisor whose pid it wrote are gone.
wait_ready() {
  local launched="$1" i
  for ((i = 0; i < 300; i++)); do
    [[ -f "$PH_RUN/ready" ]] && return 0
    if ! pid_alive "$launched" && ! pid_alive "$(supervisor_pid)"; then return 1; fi
    sleep 0.1
  done
  return 1
}

cmd_start() {
  local start sup
  start="$(date +%s%N)"
  # The supervisor's pid file is written by "run" before it execs; wait for it to appear.
  rm -f "$PH_RUN/ready" 2> /dev/null || true
  setsid bash "$SELF" "${INSTANCE_ARGS[@]}" run < /dev/null > /dev/null 2>> "$PH_DIR.start.err" &
  sup=$!
  if ! wait_ready "$sup"; then
    log "did not start; $PH_LOG says:"
    tail -n 30 "$PH_LOG" >&2 || true
    cat "$PH_DIR.start.err" >&2 2> /dev/null || true
    rm -f "$PH_DIR.start.err"
    cmd_stop > /dev/null 2>&1 || true
    exit 1
  fi
  rm -f "$PH_DIR.start.err"
  log "started in $((($(date +%s%N) - start) / 1000000)) ms"
  cat "$PH_JSON"
}

cmd_stop() {
  local sup pid p
  [[ -d "$PH_DIR" ]] || { echo stopped; return 0; }
  lock
  sup="$(supervisor_pid)"
  local -a left=()
  if supervisor_running; then
    kill -TERM "$sup"
    wait_gone 40 "$sup" || { log "supervisor $sup did not stop: killing it"; kill -KILL "$sup" 2> /dev/null || true; }
  fi
  # A supervisor that was SIGKILLed left its daemons (now PID 1's): stop them by their pid
  # files, and every other process that has this host's /run/libvirt tmpfs in view: the rest
  # of its namespace, and guests' QEMU, which libvirt runs in mount namespaces of their own
  # below it (so they are found by that mount, not by namespace). No other process has it.
  for p in "$PH_SSHD_PID" "$PH_RUN/libvirtd.pid" "$PH_RUN/virtlogd.pid"; do
    pid="$(pid_from "$p")"
    if [[ -n "$pid" ]] && pid_runs "$pid" "$(basename "$p" .pid)"; then left+=("$pid"); fi
  done
  for p in $(grep -l -s -E "^[^ ]+ [^ ]+ [^ ]+ [^ ]+ /run/libvirt .* - tmpfs $RUN_FS_NAME " /proc/[0-9]*/mountinfo); do
    pid="${p#/proc/}"
    pid="${pid%/mountinfo}"
    if pid_alive "$pid" && [[ " ${left[*]} " != *" $pid "* ]]; then left+=("$pid"); fi
  done
  if ((${#left[@]})); then
    for pid in "${left[@]}"; do
      log "killing leftover $pid: $(tr '\0' ' ' < "/proc/$pid/cmdline" 2> /dev/null || true)"
    done
    kill -KILL "${left[@]}" 2> /dev/null || true
    wait_gone 10 "${left[@]}" || die "still running: ${left[*]}"
  fi
  rm -f "$PH_RUN/ready" "$SUPERVISOR_PID_FILE" "$PH_JSON"
  echo stopped
}

cmd_status() {
  if supervisor_running && [[ -f "$PH_RUN/ready" ]]; then
    echo "running: supervisor $(supervisor_pid)"
    cat "$PH_JSON"
    return 0
  fi
  if supervisor_running; then echo "starting: supervisor $(supervisor_pid)"; return 0; fi
  echo stopped
  return 3
}

cmd_exec() {
  supervisor_running || die "not running"
  exec nsenter -t "$(supervisor_pid)" -m -- "$@"
}

case "${1:-}" in
  start) cmd_start ;;
  run) cmd_run ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  exec) shift; cmd_exec "$@" ;;
  __supervise) supervise ;;
  *) echo "usage: $0 [--empty] start|run|stop|status|exec CMD..." >&2; exit 2 ;;
esac
