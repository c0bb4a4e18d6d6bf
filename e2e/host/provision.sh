#!/usr/bin/env bash
# Provision THIS machine (Debian 12, run as root) as the Virtdeck end-to-end test host:
#   - libvirt's qemu:///system, started by hand (no systemd on the test machines),
#   - a private sshd on 127.0.0.1 for the test user, with its own config and keys,
#   - a tiny TCG test guest that boots a busybox initramfs on a Debian cloud kernel,
#   - /var/lib/virtdeck-test/env and env.json describing all of it for the tests.
# Idempotent: a re-run with nothing to do takes a few seconds and changes nothing.
# See README.md beside this file.
set -euo pipefail
# "cmd | write_file ..." must run write_file in this shell, so WROTE and CHANGES survive.
shopt -s lastpipe

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

STATE_DIR=/var/lib/virtdeck-test
KERNEL_DIR="$STATE_DIR/kernel"   # the extracted cloud kernel package (never installed on the host)
GUEST_DIR="$STATE_DIR/guest"     # what the test guest boots, and the XML it was defined from
SSH_DIR="$STATE_DIR/ssh"         # sshd config, host key, user keys, password

LIBVIRT_URI=qemu:///system
TEST_USER=vdtest
# A user who can log in but is NOT in group libvirt: the permission-error tests need one.
NOGROUP_USER=vdnolibvirt
# A user in group libvirt whose sudo rule allows exactly Virtdeck's fixed root commands (tuning).
SUDO_USER_NAME=vdsudo
KEY_PASSPHRASE=vd-pass-phrase
SSH_PORT_FIRST=2222
SSH_PORT_LAST=2299

# The libvirt daemons' pid files, and what makes this host distinct from the private host
# (private-host.sh) that runs on the same machine: its host UUID (libvirt refuses to migrate a
# guest "to the same host" when both report the same one) and the loopback address incoming
# migrations listen on (qemu.conf migration_address and migration_host). That cannot be
# 127.0.0.1: libvirt rejects it ("migration_host must not be the address of the local
# machine") and the QEMU driver then does not load. Any other 127.x address is on lo.
# private-host.sh sources this file and sets these to its own values before the host steps.
LIBVIRTD_PID_FILE=/run/libvirtd.pid
VIRTLOGD_PID_FILE=/run/virtlogd.pid
LIBVIRT_HOST_UUID=5d7e57a1-4057-4e2e-8d0c-127000000001
LIBVIRT_MIGRATION_ADDRESS=127.0.1.1
# Extra "key = value" lines for the qemu.conf block (the private host's own port ranges).
QEMU_CONF_EXTRA=''
# Words put before "libvirtd -d" (the private host pins it to one CPU: see private-host.sh).
LIBVIRTD_PREFIX=()

GUEST_NAME=vd-test-guest
# Domains the tests create must use this prefix; provisioning removes leftovers.
TEST_DOMAIN_PREFIX=vd-test-
GUEST_UUID=5d7e57a1-0000-4e2e-8d0c-7e57c0ffee01
GUEST_MAC=52:54:00:56:44:01
GUEST_MEMORY_MIB=128
# Everything the guest writes on ttyS0 (truncated at each start), attached console or not.
GUEST_SERIAL_LOG=/var/log/libvirt/qemu/vd-test-guest-serial.log
GUEST_BANNER='VIRTDECK-TEST-GUEST READY'
GUEST_CTRL_ALT_DEL_LINE='VIRTDECK-CTRL-ALT-DEL'
GUEST_POWER_BUTTON_LINE='VIRTDECK-POWER-BUTTON'   # printed by guest-root/etc/acpi/PWRF/00000080
# console=tty1 last makes it /dev/console, so busybox init's own chatter stays off the serial
# line the tests read; quiet/loglevel keep kernel messages off it too.
GUEST_CMDLINE='console=ttyS0 console=tty1 quiet loglevel=3'
# Modules the guest loads (dependencies are added from modules.dep): the balloon and NIC need
# virtio_pci; the ACPI power button needs button + evdev for busybox acpid.
GUEST_MODULES=(virtio_pci virtio_net virtio_balloon button evdev)

# swtpm: libvirt refuses to define an emulated TPM whose version swtpm cannot report.
# procps: pgrep/pkill in the tests; strace: the contract fuzz checks where the server writes.
# grub-*, xorriso, mtools: the New VM test ISO; ovmf: UEFI guests; osinfo-db: OS defaults;
# virtinst: the test that pastes the wizard's virt-install line.
# debian-installer-12-netboot-amd64, curl: New VM network install and PXE (see ensure_netinstall_media).
PACKAGES=(
  libvirt-daemon libvirt-daemon-driver-qemu libvirt-clients qemu-system-x86 qemu-utils
  libxml2-utils iptables dnsmasq-base openssh-server chromium busybox-static cpio
  swtpm swtpm-tools
  procps strace
  grub-pc-bin grub-efi-amd64-bin xorriso mtools ovmf osinfo-db
  virtinst
  sudo ksmtuned
  debian-installer-12-netboot-amd64 curl
)

CHANGES=0
WROTE=0

log() { printf '[provision] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
changed() { CHANGES=$((CHANGES + 1)); log "changed: $*"; }

virsh_() { virsh -q -c "$LIBVIRT_URI" "$@"; }

# write_file PATH MODE < content: replaces PATH only when the content differs, so re-runs
# leave files (and their mtimes) alone. Sets WROTE=1 when it wrote, else 0.
write_file() {
  local path="$1" mode="$2" tmp
  mkdir -p "$(dirname "$path")"
  tmp="$(mktemp "$path.tmp.XXXXXX")"
  cat > "$tmp"
  if [[ -f "$path" ]] && cmp -s "$tmp" "$path"; then
    rm -f "$tmp"
    WROTE=0
  else
    chmod "$mode" "$tmp"
    mv -f "$tmp" "$path"
    WROTE=1
    changed "wrote $path"
  fi
  if [[ "$(stat -c '%a' "$path")" != "$mode" ]]; then
    chmod "$mode" "$path"
    changed "chmod $mode $path"
  fi
}

# set_conf_block FILE < "key = value" lines: keeps our settings in one marked block at the end
# of a libvirt config file, and comments out earlier active lines for the same keys (libvirt
# takes the first occurrence of a key, so a stray earlier line would win over the block).
set_conf_block() {
  local file="$1" body keys
  body="$(cat)"
  keys="$(sed -n 's/^\([a-z_]*\) *=.*/\1/p' <<< "$body" | paste -sd '|')"
  {
    if [[ -f "$file" ]]; then
      awk -v keys="^[ \t]*(${keys})[ \t]*=" '
        /^# BEGIN virtdeck-test/ { skip = 1; next }
        /^# END virtdeck-test/   { skip = 0; next }
        skip { next }
        $0 ~ keys { print "#virtdeck-test# " $0; next }
        { print }' "$file"
    fi
    echo '# BEGIN virtdeck-test (managed by e2e/host/provision.sh; edits here are overwritten)'
    printf '%s\n' "$body"
    echo '# END virtdeck-test'
  } | write_file "$file" 644
}

# Zombies count as dead: on this host PID 1 may not reap daemons that exited.
pid_alive() {
  [[ -n "${1:-}" ]] && kill -0 "$1" 2> /dev/null &&
    [[ "$(awk '{ print $3 }' "/proc/$1/stat" 2> /dev/null)" != Z ]]
}
pid_from() { if [[ -f "$1" ]]; then tr -dc '0-9' < "$1"; fi; }
# pid_runs PID WORD: the process is alive and its command line contains WORD (guards
# against a stale pid file whose number was reused by something else).
pid_runs() {
  local cmdline
  pid_alive "$1" || return 1
  cmdline="$(tr '\0' ' ' < "/proc/$1/cmdline" 2> /dev/null)" || return 1
  [[ "$cmdline" == *"$2"* ]]
}

# ---------------------------------------------------------------------------------------------
# 1. Packages and the guest kernel

missing_packages() {
  local p
  for p in "$@"; do
    [[ "$(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2> /dev/null)" == ii* ]] || echo "$p"
  done
}

apt_lists_present() { compgen -G '/var/lib/apt/lists/*_Packages*' > /dev/null; }

# Stop package postinst scripts from starting services (openssh-server would start the system
# sshd on 0.0.0.0:22); this host runs its own daemons by hand. Only when no policy exists yet.
POLICY_RC=/usr/sbin/policy-rc.d
POLICY_RC_OURS=0
block_service_starts() {
  if [[ ! -e "$POLICY_RC" ]]; then
    printf '#!/bin/sh\nexit 101\n' > "$POLICY_RC"
    chmod 755 "$POLICY_RC"
    POLICY_RC_OURS=1
  fi
}
unblock_service_starts() {
  if [[ "$POLICY_RC_OURS" == 1 ]]; then rm -f "$POLICY_RC"; POLICY_RC_OURS=0; fi
}

ensure_packages() {
  local missing
  mapfile -t missing < <(missing_packages "${PACKAGES[@]}")
  [[ ${#missing[@]} -eq 0 ]] && return 0
  log "installing: ${missing[*]}"
  apt_lists_present || apt-get update
  block_service_starts
  export DEBIAN_FRONTEND=noninteractive
  # A failure is most often stale lists (an old version gone from the mirror): update, retry.
  if ! apt-get install -y --no-install-recommends "${missing[@]}"; then
    apt-get update
    apt-get install -y --no-install-recommends "${missing[@]}"
  fi
  unblock_service_starts
  changed "installed ${missing[*]}"
}

# The versioned package the linux-image-cloud-amd64 metapackage points at right now.
# (awk reads all input: an early exit could fail the pipeline under pipefail.)
cloud_kernel_package() {
  apt-cache depends linux-image-cloud-amd64 2> /dev/null |
    awk '/Depends: linux-image-[0-9]/ && !found { found = $2 } END { print found }'
}

# download_kernel DIR: fetches the current cloud kernel .deb into DIR; prints its name.
download_kernel() {
  local pkg
  pkg="$(cloud_kernel_package)"
  [[ -n "$pkg" ]] || return 1
  log "fetching $pkg"
  (cd "$1" && apt-get download -q "$pkg" >&2) || return 1
  echo "$pkg"
}

# Debian's cloud kernel boots fast under TCG and has virtio/ACPI as modules we can pick.
# It is only unpacked into the state dir, never installed as the host's kernel.
ensure_kernel() {
  if [[ -f "$KERNEL_DIR/VERSION" ]]; then
    KVER="$(cat "$KERNEL_DIR/VERSION")"
    if [[ -f "$KERNEL_DIR/boot/vmlinuz-$KVER" && -f "$KERNEL_DIR/lib/modules/$KVER/modules.dep" ]]; then
      return 0
    fi
  fi
  local pkg tmp new moddir
  apt_lists_present || apt-get update
  tmp="$(mktemp -d)"
  # apt-get download runs as _apt when it can write the target folder; avoids a warning.
  if id _apt > /dev/null 2>&1; then chown _apt "$tmp"; fi
  # Stale lists may name a kernel the mirror no longer has: update and ask again.
  if ! pkg="$(download_kernel "$tmp")"; then
    apt-get update
    pkg="$(download_kernel "$tmp")" || die "cannot download the Debian cloud kernel"
  fi
  new="$KERNEL_DIR.new"
  rm -rf "$new"
  mkdir -p "$new/unpacked"
  dpkg-deb -x "$tmp"/*.deb "$new/unpacked"
  rm -rf "$tmp"
  # Debian 12 ships /lib/modules; merged-/usr releases ship /usr/lib/modules.
  for moddir in "$new/unpacked/lib/modules" "$new/unpacked/usr/lib/modules"; do
    [[ -d "$moddir" ]] && break
  done
  [[ -d "$moddir" ]] || die "no modules in $pkg"
  KVER="$(ls "$moddir")"
  [[ "$KVER" != *$'\n'* ]] || die "several kernel versions in $pkg"
  mkdir -p "$new/boot" "$new/lib/modules"
  mv "$new/unpacked/boot/vmlinuz-$KVER" "$new/unpacked/boot/config-$KVER" "$new/boot/"
  mv "$moddir/$KVER" "$new/lib/modules/$KVER"
  rm -rf "$new/unpacked"
  # The package has no modules.dep (depmod runs at install time); busybox's depmod makes one
  # without needing kmod on the host.
  busybox depmod -b "$new" "$KVER"
  [[ -f "$new/lib/modules/$KVER/modules.dep" ]] || die "depmod did not produce modules.dep"
  echo "$KVER" > "$new/VERSION"
  rm -rf "$KERNEL_DIR"
  mv "$new" "$KERNEL_DIR"
  changed "unpacked kernel $KVER into $KERNEL_DIR"
}

# ---------------------------------------------------------------------------------------------
# 2. libvirt, without systemd

configure_libvirt() {
  getent group libvirt > /dev/null || { groupadd --system libvirt; changed "group libvirt"; }
  if ! id libvirt-qemu > /dev/null 2>&1; then
    useradd --system --user-group --no-create-home --home-dir /var/lib/libvirt \
      --shell /usr/sbin/nologin libvirt-qemu
    changed "user libvirt-qemu"
  fi
  # Every folder the daemons and the test guest write to. A package install normally makes
  # some of them, but an older machine may have them for other reasons: make them all here,
  # so a brand-new machine works the same (the guest's serial log lives in .../qemu).
  install -d -m 755 /var/log/libvirt /var/lib/libvirt /var/run/libvirt /var/cache/libvirt
  install -d -m 700 /var/log/libvirt/qemu /var/lib/libvirt/qemu /var/cache/libvirt/qemu
  install -d -m 711 /var/lib/libvirt/images

  # Guests run as root with no security driver or cgroups: the test machines have neither
  # AppArmor nor a systemd-managed cgroup tree, and this is a throwaway test host.
  # Migrations listen on (and are told to connect to) this host's own loopback address.
  {
    cat <<EOF
user = "root"
group = "root"
swtpm_user = "root"
swtpm_group = "root"
security_driver = "none"
cgroup_controllers = [ ]
migration_address = "$LIBVIRT_MIGRATION_ADDRESS"
migration_host = "$LIBVIRT_MIGRATION_ADDRESS"
EOF
    if [[ -n "$QEMU_CONF_EXTRA" ]]; then printf '%s\n' "$QEMU_CONF_EXTRA"; fi
  } | set_conf_block /etc/libvirt/qemu.conf
  LIBVIRT_CONF_CHANGED="$WROTE"
  # No polkit/dbus here: members of group libvirt get the socket with no auth (vdtest over SSH).
  # host_uuid: a fixed value of our own, not the one libvirt reads from the machine, which the
  # private host on this machine would share.
  set_conf_block /etc/libvirt/libvirtd.conf <<EOF
unix_sock_group = "libvirt"
unix_sock_ro_perms = "0777"
unix_sock_rw_perms = "0770"
auth_unix_ro = "none"
auth_unix_rw = "none"
host_uuid = "$LIBVIRT_HOST_UUID"
EOF
  [[ "$WROTE" == 1 ]] && LIBVIRT_CONF_CHANGED=1
  return 0
}

libvirt_responds() { virsh -c "$LIBVIRT_URI" version > /dev/null 2>&1; }

start_libvirt() {
  local pid i
  pid="$(pid_from "$VIRTLOGD_PID_FILE")"
  if ! pid_runs "$pid" virtlogd; then
    virtlogd -d -p "$VIRTLOGD_PID_FILE" 9>&-
    changed "started virtlogd"
  fi

  pid="$(pid_from "$LIBVIRTD_PID_FILE")"
  if pid_runs "$pid" libvirtd && [[ "$LIBVIRT_CONF_CHANGED" == 1 ]]; then
    # Running guests survive a libvirtd restart; the new config needs one.
    log "restarting libvirtd for its new configuration"
    kill "$pid"
    for ((i = 0; i < 100; i++)); do pid_alive "$pid" || break; sleep 0.1; done
    pid_alive "$pid" && die "libvirtd (pid $pid) did not stop"
  fi
  if ! pid_runs "$pid" libvirtd; then
    "${LIBVIRTD_PREFIX[@]}" libvirtd -d -p "$LIBVIRTD_PID_FILE" 9>&-
    changed "started libvirtd"
  fi
  # "libvirtd -d" returns once it wrote its pid file (removed again when it exits).
  pid="$(pid_from "$LIBVIRTD_PID_FILE")"
  local deadline=$((SECONDS + 30))
  while ((SECONDS < deadline)); do
    if libvirt_responds; then
      # The daemons make /run/libvirt 0700; the test user must get through it to libvirt-sock.
      chmod 755 /var/run/libvirt
      return 0
    fi
    # It exits when a driver fails to load (e.g. a qemu.conf value it rejects): say so at
    # once instead of polling on (each virsh try then takes seconds).
    if ! pid_alive "$pid"; then
      tail -n 5 /var/log/libvirt/libvirtd.log >&2 2> /dev/null || true
      die "libvirtd exited at start (see /var/log/libvirt/libvirtd.log)"
    fi
    sleep 0.1
  done
  die "libvirtd does not answer on $LIBVIRT_URI (see /var/log/libvirt)"
}

# ---------------------------------------------------------------------------------------------
# 3. Test user and the private sshd on 127.0.0.1

SSHD_CONFIG="$SSH_DIR/sshd_config"
SSHD_PID="$SSH_DIR/sshd.pid"
SSHD_LOG="$SSH_DIR/sshd.log"
HOST_KEY="$SSH_DIR/ssh_host_ed25519_key"
USER_KEY="$SSH_DIR/id_ed25519"
USER_KEY_PASS="$SSH_DIR/id_ed25519_pass"
PASSWORD_FILE="$SSH_DIR/password"
KNOWN_HOSTS="$SSH_DIR/known_hosts"

ensure_test_user() {
  local home
  if ! id "$TEST_USER" > /dev/null 2>&1; then
    useradd --create-home --shell /bin/bash --groups libvirt "$TEST_USER"
    changed "user $TEST_USER"
  fi
  if [[ "$(getent passwd "$TEST_USER" | cut -d: -f7)" != /bin/bash ]]; then
    usermod --shell /bin/bash "$TEST_USER"
    changed "shell of $TEST_USER"
  fi
  if [[ " $(id -nG "$TEST_USER") " != *" libvirt "* ]]; then
    usermod --append --groups libvirt "$TEST_USER"
    changed "$TEST_USER joins group libvirt"
  fi
  home="$(getent passwd "$TEST_USER" | cut -d: -f6)"
  install -d -m 700 -o "$TEST_USER" -g "$TEST_USER" "$home/.ssh"

  mkdir -p "$SSH_DIR"
  chmod 700 "$SSH_DIR"
  if [[ ! -f "$USER_KEY" ]]; then
    ssh-keygen -q -t ed25519 -N '' -C "$TEST_USER@virtdeck-test" -f "$USER_KEY"
    changed "key $USER_KEY"
  fi
  if [[ ! -f "$USER_KEY_PASS" ]]; then
    ssh-keygen -q -t ed25519 -N "$KEY_PASSPHRASE" -C "$TEST_USER@virtdeck-test (passphrase)" \
      -f "$USER_KEY_PASS"
    changed "key $USER_KEY_PASS"
  fi
  cat "$USER_KEY.pub" "$USER_KEY_PASS.pub" | write_file "$home/.ssh/authorized_keys" 600
  chown "$TEST_USER:$TEST_USER" "$home/.ssh/authorized_keys"

  # A generated password, so password and keyboard-interactive logins can be tested. We
  # remember the shadow hash we set: a re-run re-sets it only if someone changed it.
  if [[ ! -s "$PASSWORD_FILE" ]]; then
    local pw
    pw="$(head -c 32 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')"
    (umask 077; printf '%s' "${pw:0:20}" > "$PASSWORD_FILE")
    changed "password file $PASSWORD_FILE"
  fi
  chmod 600 "$PASSWORD_FILE"
  local hash
  hash="$(getent shadow "$TEST_USER" | cut -d: -f2)"
  if [[ ! -f "$SSH_DIR/password.hash" || "$hash" != "$(cat "$SSH_DIR/password.hash")" ]]; then
    printf '%s:%s\n' "$TEST_USER" "$(cat "$PASSWORD_FILE")" | chpasswd
    getent shadow "$TEST_USER" | cut -d: -f2 > "$SSH_DIR/password.hash"
    chmod 600 "$SSH_DIR/password.hash"
    changed "password of $TEST_USER"
  fi
}

port_in_use() { (exec 3<> "/dev/tcp/127.0.0.1/$1") 2> /dev/null; }
sshd_running() { pid_runs "$(pid_from "$SSHD_PID")" "$SSHD_CONFIG"; }

choose_ssh_port() {
  local stored p
  local -a candidates=()
  stored="$(cat "$SSH_DIR/port" 2> /dev/null || true)"
  # Our own sshd already holds the stored port: keep it.
  if [[ -n "$stored" ]] && sshd_running; then SSH_PORT="$stored"; return 0; fi
  [[ -n "$stored" ]] && candidates+=("$stored")
  mapfile -t -O "${#candidates[@]}" candidates < <(seq "$SSH_PORT_FIRST" "$SSH_PORT_LAST")
  SSH_PORT=''
  for p in "${candidates[@]}"; do
    if ! port_in_use "$p"; then SSH_PORT="$p"; break; fi
  done
  [[ -n "$SSH_PORT" ]] || die "no free port in $SSH_PORT_FIRST-$SSH_PORT_LAST for sshd"
  printf '%s\n' "$SSH_PORT" | write_file "$SSH_DIR/port" 644
}

# sshd_config_text COMMENT PORT ADDRESS HOST_KEY PID_FILE: the config of a test sshd (this host's
# and the private host's). UsePAM yes makes keyboard-interactive ask for the password like a
# real server does.
sshd_config_text() {
  cat <<EOF
# $1
Port $2
ListenAddress $3
HostKey $4
PidFile $5
AllowUsers $TEST_USER $NOGROUP_USER $SUDO_USER_NAME
PermitRootLogin no
PubkeyAuthentication yes
AuthorizedKeysFile .ssh/authorized_keys
PasswordAuthentication yes
KbdInteractiveAuthentication yes
UsePAM yes
AllowStreamLocalForwarding yes
AllowTcpForwarding yes
MaxSessions 10
MaxStartups 50:30:100
# A client that vanished (SIGKILLed app, dropped network) is noticed within ~15 s, and its
# channels, with the commands they run, are hung up.
ClientAliveInterval 5
ClientAliveCountMax 3
PrintMotd no
X11Forwarding no
LogLevel VERBOSE
Subsystem sftp /usr/lib/openssh/sftp-server
EOF
}

start_sshd() {
  local pid i
  if [[ ! -f "$HOST_KEY" ]]; then
    ssh-keygen -q -t ed25519 -N '' -C "virtdeck-test-host" -f "$HOST_KEY"
    changed "sshd host key"
  fi
  choose_ssh_port
  # Own config: the system's /etc/ssh is left alone.
  sshd_config_text "Private sshd for Virtdeck end-to-end tests (written by e2e/host/provision.sh)." \
    "$SSH_PORT" 127.0.0.1 "$HOST_KEY" "$SSHD_PID" | write_file "$SSHD_CONFIG" 644
  local config_changed="$WROTE"
  # sshd's privilege separation directory (normally made by its init script); -t wants it too.
  install -d -m 755 /run/sshd
  /usr/sbin/sshd -t -f "$SSHD_CONFIG" || die "sshd rejects $SSHD_CONFIG"
  printf '[127.0.0.1]:%s %s\n' "$SSH_PORT" "$(cut -d' ' -f1-2 "$HOST_KEY.pub")" |
    write_file "$KNOWN_HOSTS" 644

  pid="$(pid_from "$SSHD_PID")"
  if sshd_running && [[ "$config_changed" == 1 ]]; then
    log "restarting our sshd for its new configuration"
    kill "$pid"
    for ((i = 0; i < 50; i++)); do pid_alive "$pid" || break; sleep 0.1; done
  fi
  if ! sshd_running; then
    /usr/sbin/sshd -f "$SSHD_CONFIG" -E "$SSHD_LOG" 9>&-
    changed "started sshd on 127.0.0.1:$SSH_PORT"
  fi
  for ((i = 0; i < 50; i++)); do
    port_in_use "$SSH_PORT" && return 0
    sleep 0.1
  done
  die "sshd does not listen on 127.0.0.1:$SSH_PORT (see $SSHD_LOG)"
}

# ssh_check SECRET SSH-ARGS...: runs ssh against our sshd, checking its host key against our
# known_hosts. SECRET (password or key passphrase) comes from SSH_ASKPASS: no terminal needed.
ssh_check() {
  local secret="$1"; shift
  local askpass
  askpass="$(mktemp)"
  printf '#!/bin/sh\nprintf "%%s\\n" %q\n' "$secret" > "$askpass"
  chmod 700 "$askpass"
  local rc=0
  SSH_ASKPASS="$askpass" SSH_ASKPASS_REQUIRE=force DISPLAY=none \
    ssh -p "$SSH_PORT" -o UserKnownHostsFile="$KNOWN_HOSTS" -o StrictHostKeyChecking=yes \
    -o IdentitiesOnly=yes -o IdentityAgent=none -o ConnectTimeout=10 -o NumberOfPasswordPrompts=1 \
    "$@" < /dev/null || rc=$?
  rm -f "$askpass"
  return "$rc"
}

verify_ssh() {
  local out
  out="$(ssh_check '' -o BatchMode=yes -i "$USER_KEY" "$TEST_USER@127.0.0.1" \
    virsh -c "$LIBVIRT_URI" list --all --name)" || die "key login or virsh over SSH failed"
  grep -qx "$GUEST_NAME" <<< "$out" || die "virsh over SSH does not list $GUEST_NAME"
  [[ "$(ssh_check "$KEY_PASSPHRASE" -i "$USER_KEY_PASS" -o PreferredAuthentications=publickey \
    "$TEST_USER@127.0.0.1" echo ok)" == ok ]] || die "login with the passphrase key failed"
  [[ "$(ssh_check "$(cat "$PASSWORD_FILE")" -o PubkeyAuthentication=no \
    -o PreferredAuthentications=password "$TEST_USER@127.0.0.1" echo ok)" == ok ]] ||
    die "password login failed"
  [[ "$(ssh_check "$(cat "$PASSWORD_FILE")" -o PubkeyAuthentication=no \
    -o PreferredAuthentications=keyboard-interactive "$TEST_USER@127.0.0.1" echo ok)" == ok ]] ||
    die "keyboard-interactive login failed"
  log "ssh ok: key, passphrase key, password and keyboard-interactive; vdtest reaches libvirt"
}

# ---------------------------------------------------------------------------------------------
# 4. The guest's kernel and busybox initramfs

# resolve_modules NAME...: prints module files (relative to the modules dir) in load order,
# dependencies first. Built-in modules are skipped.
declare -A MOD_FILE MOD_DEPS MOD_SEEN
resolve_modules() {
  local moddir="$KERNEL_DIR/lib/modules/$KVER" path deps name
  while IFS=: read -r path deps; do
    name="${path##*/}"   # no basename: a fork per line of modules.dep is slow
    name="${name%%.ko*}"
    name="${name//-/_}"
    MOD_FILE[$name]="$path"
    MOD_DEPS[$name]="$deps"
  done < "$moddir/modules.dep"
  for name in "$@"; do resolve_one "$name"; done
}
resolve_one() {
  local name="${1//-/_}" dep depname
  [[ -n "${MOD_SEEN[$name]:-}" ]] && return 0
  MOD_SEEN[$name]=1
  if [[ -z "${MOD_FILE[$name]:-}" ]]; then
    if grep -qE "/${name//_/[-_]}\.ko" "$KERNEL_DIR/lib/modules/$KVER/modules.builtin"; then return 0; fi
    die "module $name is neither built in nor a module of $KVER"
  fi
  for dep in ${MOD_DEPS[$name]}; do
    depname="${dep##*/}"
    resolve_one "${depname%%.ko*}"
  done
  echo "${MOD_FILE[$name]}"
}

# copy_module SRC DEST: busybox insmod loads plain .ko only, so compressed modules are
# unpacked at build time.
copy_module() {
  case "$1" in
    *.ko) cp "$1" "$2" ;;
    *.ko.xz) xz -dc "$1" > "$2" ;;
    *.ko.zst) zstd -qdc "$1" > "$2" ;;
    *.ko.gz) gzip -dc "$1" > "$2" ;;
    *) die "unknown module format: $1" ;;
  esac
}

build_guest_root() {
  local root="$1" mod file mods
  mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,dev,proc,sys,tmp,run,root,var/log,etc,lib/modules}
  cp /bin/busybox "$root/bin/busybox"
  # Only sh is linked here (for the #! lines); /init installs the other applet links.
  ln -s busybox "$root/bin/sh"
  cp -R "$HERE/guest-root/." "$root/"
  chmod 755 "$root/init" "$root/etc/rc" "$root/etc/ctrlaltdel" "$root/etc/acpi/PWRF/00000080"
  printf '%s\n' "$GUEST_BANNER" > "$root/etc/virtdeck-banner"
  printf '%s\n' "$GUEST_CTRL_ALT_DEL_LINE" > "$root/etc/virtdeck-ctrl-alt-del"
  # Captured first so that a failed resolution stops the script.
  mods="$(resolve_modules "${GUEST_MODULES[@]}")"
  : > "$root/etc/modules.list"
  while read -r mod; do
    file="${mod##*/}"
    file="${file%%.ko*}.ko"
    copy_module "$KERNEL_DIR/lib/modules/$KVER/$mod" "$root/lib/modules/$file"
    echo "$file" >> "$root/etc/modules.list"
  done <<< "$mods"
  # The kernel opens /dev/console before /init mounts devtmpfs.
  mknod -m 600 "$root/dev/console" c 5 1
}

# Builds the guest tree every run (well under a second) and hashes it; the cpio is rewritten
# only when that hash changes, i.e. when busybox, the kernel modules or guest-root/ changed.
ensure_initramfs() {
  local stage hash initrd="$GUEST_DIR/initrd.cpio.gz"
  mkdir -p "$GUEST_DIR"
  stage="$(mktemp -d)"
  build_guest_root "$stage/root"
  hash="$(tar -C "$stage/root" --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner \
    -cf - . | sha256sum | cut -d' ' -f1)"
  if [[ ! -f "$initrd" || "$hash" != "$(cat "$GUEST_DIR/initrd.sha256" 2> /dev/null)" ]]; then
    (cd "$stage/root" && find . -print0 | LC_ALL=C sort -z |
      cpio --null --create --format=newc --owner=0:0 --quiet) | gzip -9n > "$initrd.tmp"
    mv -f "$initrd.tmp" "$initrd"
    echo "$hash" > "$GUEST_DIR/initrd.sha256"
    changed "built $initrd"
  fi
  rm -rf "$stage"
  if ! cmp -s "$KERNEL_DIR/boot/vmlinuz-$KVER" "$GUEST_DIR/vmlinuz"; then
    cp "$KERNEL_DIR/boot/vmlinuz-$KVER" "$GUEST_DIR/vmlinuz"
    changed "copied kernel $KVER to $GUEST_DIR/vmlinuz"
  fi
}

# ---------------------------------------------------------------------------------------------
# 4b. Install media for the New VM tests: the test kernel + initramfs as a hybrid ISO (BIOS and
# UEFI, via grub-mkrescue), plus a copy whose volume ID osinfo-db knows (detection tests).
# Rebuilt only when the kernel, initramfs or grub.cfg change (grub-mkrescue output itself is not
# byte-reproducible, so the inputs' hash decides).
TEST_ISO="$GUEST_DIR/test-install.iso"
TEST_ISO_VOLID='VIRTDECK_TEST'
TEST_ISO_KNOWN="$GUEST_DIR/test-install-debian11.iso"
TEST_ISO_KNOWN_VOLID='Debian 11.0.0 amd64 n'
build_iso() {
  local out="$1" volid="$2" stage
  stage="$(mktemp -d)"
  mkdir -p "$stage/boot/grub"
  cp "$GUEST_DIR/vmlinuz" "$stage/boot/vmlinuz"
  cp "$GUEST_DIR/initrd.cpio.gz" "$stage/boot/initrd.cpio.gz"
  grub_cfg > "$stage/boot/grub/grub.cfg"
  grub-mkrescue -o "$out.tmp" "$stage" -- -volid "$volid" > /dev/null 2>&1 || { rm -rf "$stage"; die "grub-mkrescue failed for $out"; }
  mv -f "$out.tmp" "$out"
  rm -rf "$stage"
}
grub_cfg() {
  printf '%s\n' 'set timeout=0' 'set default=0' 'serial --unit=0 --speed=115200' 'terminal_output serial console' \
    "menuentry 'Virtdeck test guest' {" "  linux /boot/vmlinuz $GUEST_CMDLINE" '  initrd /boot/initrd.cpio.gz' '}'
}
ensure_test_iso() {
  local hash
  hash="$( (cat "$GUEST_DIR/vmlinuz" "$GUEST_DIR/initrd.cpio.gz"; grub_cfg; echo "$TEST_ISO_VOLID/$TEST_ISO_KNOWN_VOLID") | sha256sum | cut -d' ' -f1)"
  if [[ -f "$TEST_ISO" && -f "$TEST_ISO_KNOWN" && "$hash" == "$(cat "$GUEST_DIR/test-iso.sha256" 2> /dev/null)" ]]; then return 0; fi
  build_iso "$TEST_ISO" "$TEST_ISO_VOLID"
  build_iso "$TEST_ISO_KNOWN" "$TEST_ISO_KNOWN_VOLID"
  chmod 644 "$TEST_ISO" "$TEST_ISO_KNOWN"
  echo "$hash" > "$GUEST_DIR/test-iso.sha256"
  changed "built $TEST_ISO and $TEST_ISO_KNOWN"
}

# The test ISO as a volume of a pool of its own, for tests that pick "an ISO already on the host".
MEDIA_POOL=vd-test-media
MEDIA_DIR="$STATE_DIR/media"
MEDIA_VOLUME='test install.iso'
ensure_media_pool() {
  mkdir -p "$MEDIA_DIR"
  if ! cmp -s "$TEST_ISO" "$MEDIA_DIR/$MEDIA_VOLUME"; then
    cp "$TEST_ISO" "$MEDIA_DIR/$MEDIA_VOLUME.tmp"
    mv -f "$MEDIA_DIR/$MEDIA_VOLUME.tmp" "$MEDIA_DIR/$MEDIA_VOLUME"
    chmod 644 "$MEDIA_DIR/$MEDIA_VOLUME"
    changed "copied the test ISO into $MEDIA_DIR"
  fi
  if ! virsh_ pool-info "$MEDIA_POOL" > /dev/null 2>&1; then
    virsh_ pool-define-as "$MEDIA_POOL" dir --target "$MEDIA_DIR" > /dev/null
    changed "defined pool $MEDIA_POOL"
  fi
  if [[ "$(virsh_ pool-info "$MEDIA_POOL" | awk '/^State:/ {print $2}')" != running ]]; then
    virsh_ pool-start "$MEDIA_POOL" > /dev/null
    changed "started pool $MEDIA_POOL"
  fi
  virsh_ pool-autostart "$MEDIA_POOL" > /dev/null
  virsh_ pool-refresh "$MEDIA_POOL" > /dev/null
}

# ---------------------------------------------------------------------------------------------
# 4c. Cloud image for the New VM "cloud image" source (cloud-init seeds built by Virtdeck).
# A variant of the busybox test system that does what cloud-init's NoCloud datasource does, as
# far as the tests need: /etc/cloud-rc loads the CD-ROM modules (the test kernel has IDE and
# virtio-scsi but no AHCI), mounts the CD labelled cidata, takes the host name from meta-data, prints
# "VIRTDECK-CLOUD seed hostname=… instance-id=… user=… keys=N" on ttyS0 (or
# "VIRTDECK-CLOUD no seed"), and honours user-data's power_state mode (reboot/poweroff), the
# cloud-config key that ends a first boot. It is a real disk image: the kernel and this
# initramfs behind GRUB (grub-mkrescue's hybrid image boots from a hard disk under BIOS),
# converted to qcow2, so the VM boots it from its disk like a distribution's cloud image.
# Rebuilt only when its inputs change.
CLOUD_IMAGE="$GUEST_DIR/cloud-image.qcow2"
CLOUD_IMAGE_MODULES=(cdrom sr_mod isofs ata_piix virtio_scsi)
cloud_rc() {
  cat << 'EOF'
#!/bin/sh
# Cloud image test system: the NoCloud datasource, reduced to what the Virtdeck tests check.
say() { echo "VIRTDECK-CLOUD $*" > /dev/ttyS0; }
mkdir -p /mnt/seed
found=
# This busybox has no blkid and no mount LABEL=: the label is read from the ISO9660 primary
# volume descriptor (volume identifier at byte 32808), as blkid does.
label() { dd if="$1" bs=1 skip=32808 count=32 2> /dev/null | tr -d ' \000'; }
for i in 1 2 3 4 5 6 7 8 9 10; do
  for dev in /dev/sr* /dev/hd? /dev/sd? /dev/vd?; do
    [ -b "$dev" ] || continue
    if [ "$(label "$dev")" = cidata ] && mount -t iso9660 -o ro "$dev" /mnt/seed 2> /dev/null; then found="$dev"; break 2; fi
  done
  sleep 0.5
done
if [ -z "$found" ]; then
  say "no seed (drives: $(cd /sys/block && echo *))"
  exit 0
fi
md=/mnt/seed/meta-data
ud=/mnt/seed/user-data
iid="$(sed -n 's/^instance-id: *//p' "$md")"
hn="$(sed -n 's/^local-hostname: *//p' "$md")"
[ -n "$hn" ] && hostname "$hn"
user="$(sed -n 's/^ *- *name: *//p' "$ud" | head -n 1)"
keys="$(grep -c 'ssh-[a-z0-9]* AAAA' "$ud")"
say "seed hostname=$hn instance-id=$iid user=$user keys=$keys header=$(head -n 1 "$ud") on ${found#/dev/}"
mode="$(sed -n '/^power_state:/,/^[^ ]/s/^ *mode: *//p' "$ud")"
umount /mnt/seed
case "$mode" in
  reboot) say "power_state reboot"; (sleep 1; reboot -f) & ;;
  poweroff) say "power_state poweroff"; (sleep 1; poweroff -f) & ;;
esac
EOF
}
cloud_grub_cfg() {
  printf '%s\n' 'set timeout=0' 'set default=0' 'serial --unit=0 --speed=115200' 'terminal_output serial console' \
    "menuentry 'Virtdeck cloud image' {" "  linux /boot/vmlinuz $GUEST_CMDLINE" '  initrd /boot/initrd.cpio.gz' '}'
}
ensure_cloud_image() {
  local stage hash
  local -a saved=("${GUEST_MODULES[@]}")
  stage="$(mktemp -d)"
  GUEST_MODULES+=("${CLOUD_IMAGE_MODULES[@]}")
  build_guest_root "$stage/root"
  GUEST_MODULES=("${saved[@]}")
  cloud_rc > "$stage/root/etc/cloud-rc"
  chmod 755 "$stage/root/etc/cloud-rc"
  echo '/etc/cloud-rc' >> "$stage/root/etc/rc"
  hash="$( (tar -C "$stage/root" --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -cf - .; cat "$GUEST_DIR/vmlinuz"; cloud_grub_cfg) | sha256sum | cut -d' ' -f1)"
  if [[ -f "$CLOUD_IMAGE" && "$hash" == "$(cat "$GUEST_DIR/cloud-image.sha256" 2> /dev/null)" ]]; then
    rm -rf "$stage"
    return 0
  fi
  mkdir -p "$stage/iso/boot/grub"
  (cd "$stage/root" && find . -print0 | LC_ALL=C sort -z |
    cpio --null --create --format=newc --owner=0:0 --quiet) | gzip -9n > "$stage/iso/boot/initrd.cpio.gz"
  cp "$GUEST_DIR/vmlinuz" "$stage/iso/boot/vmlinuz"
  cloud_grub_cfg > "$stage/iso/boot/grub/grub.cfg"
  grub-mkrescue -o "$stage/disk.img" "$stage/iso" -- -volid VIRTDECK_CLOUD > /dev/null 2>&1 || { rm -rf "$stage"; die "grub-mkrescue failed for the cloud image"; }
  qemu-img convert -f raw -O qcow2 "$stage/disk.img" "$CLOUD_IMAGE.tmp" || { rm -rf "$stage"; die "qemu-img convert failed for the cloud image"; }
  chmod 644 "$CLOUD_IMAGE.tmp"
  mv -f "$CLOUD_IMAGE.tmp" "$CLOUD_IMAGE"
  echo "$hash" > "$GUEST_DIR/cloud-image.sha256"
  rm -rf "$stage"
  changed "built $CLOUD_IMAGE"
}

# ---------------------------------------------------------------------------------------------
# 5. The test guest's definition

domain_exists() { virsh_ dominfo "$1" > /dev/null 2>&1; }

# stop_domain NAME: forced off (tests start the guest themselves; provisioning leaves it off).
stop_domain() {
  local state
  state="$(virsh_ domstate "$1" 2> /dev/null || true)"
  case "$state" in
    "shut off" | "") ;;
    *) virsh_ destroy "$1" > /dev/null; changed "stopped $1 (was $state)" ;;
  esac
  # (No "virsh | grep -q" under pipefail: an early grep exit can fail the pipeline.)
  if grep -q '^Managed save: *yes' <<< "$(virsh_ dominfo "$1" 2> /dev/null)"; then
    virsh_ managedsave-remove "$1" > /dev/null
    changed "removed the managed save of $1"
  fi
}

remove_test_leftovers() {
  local dom
  while read -r dom; do
    [[ -z "$dom" || "$dom" != "$TEST_DOMAIN_PREFIX"* || "$dom" == "$GUEST_NAME" ]] && continue
    stop_domain "$dom"
    if domain_exists "$dom"; then
      # --nvram: a UEFI leftover (New VM tests) cannot be undefined without it; --checkpoints-metadata:
      # nor can one with backup checkpoints.
      virsh_ undefine --managed-save --snapshots-metadata --checkpoints-metadata --nvram "$dom" > /dev/null
    fi
    changed "removed leftover test domain $dom"
  done < <(virsh_ list --all --name)
}

render_guest_xml() {
  sed -e "s|@NAME@|$GUEST_NAME|g" -e "s|@UUID@|$GUEST_UUID|g" -e "s|@MAC@|$GUEST_MAC|g" \
    -e "s|@MEMORY_MIB@|$GUEST_MEMORY_MIB|g" -e "s|@KERNEL@|$GUEST_DIR/vmlinuz|g" \
    -e "s|@INITRD@|$GUEST_DIR/initrd.cpio.gz|g" -e "s|@CMDLINE@|$GUEST_CMDLINE|g" \
    -e "s|@SERIAL_LOG@|$GUEST_SERIAL_LOG|g" \
    "$HERE/test-guest.xml"
}

# Defines the guest when it is missing, when the rendered template differs from the one it was
# last defined from, or when its persistent definition drifted from what libvirt made of it
# then (a test edited it and did not restore it). The records are written only after a
# successful define, so an interrupted run is repaired by the next.
ensure_guest() {
  local xml="$GUEST_DIR/domain.xml" defined="$GUEST_DIR/domain.defined.xml"
  local source_sum="$GUEST_DIR/domain.source.sha256" need=0
  render_guest_xml | write_file "$xml" 644
  xmllint --noout "$xml"
  if [[ "$(sha256sum < "$xml")" != "$(cat "$source_sum" 2> /dev/null)" ]]; then need=1; fi
  if domain_exists "$GUEST_NAME"; then
    stop_domain "$GUEST_NAME"
    if ! virsh_ dumpxml --inactive "$GUEST_NAME" | cmp -s - "$defined"; then need=1; fi
  fi
  # Transient (never defined) domains vanish when stopped, so check existence again.
  domain_exists "$GUEST_NAME" || need=1
  if [[ "$need" == 1 ]]; then
    virsh_ define "$xml" > /dev/null
    virsh_ dumpxml --inactive "$GUEST_NAME" > "$defined"
    sha256sum < "$xml" > "$source_sum"
    changed "defined $GUEST_NAME"
  fi
}

# ---------------------------------------------------------------------------------------------
ensure_nogroup_user() {
  local home
  if ! id "$NOGROUP_USER" > /dev/null 2>&1; then
    useradd --create-home --shell /bin/bash "$NOGROUP_USER"
    changed "user $NOGROUP_USER"
  fi
  home="$(getent passwd "$NOGROUP_USER" | cut -d: -f6)"
  install -d -m 700 -o "$NOGROUP_USER" -g "$NOGROUP_USER" "$home/.ssh"
  write_file "$home/.ssh/authorized_keys" 600 < "$USER_KEY.pub"
  chown "$NOGROUP_USER:$NOGROUP_USER" "$home/.ssh/authorized_keys"
}

# ---------------------------------------------------------------------------------------------
# Tuning (issue 17, memory: KSM, ksmtuned, hugepages, root rights)
#
# hugetlbfs: libvirt's QEMU driver looks for hugetlbfs mounts once, when libvirtd starts
# ("hugetlbfs filesystem is not mounted or disabled by administrator config" otherwise), so it
# is mounted before start_libvirt. https://libvirt.org/formatdomain.html#memory-backing
# vdsudo: a test user in group libvirt with the test key whose sudo rule allows exactly the
# fixed root commands Virtdeck runs with `sudo -n` (KSM's run switch, ksmtuned's config), so
# both the "show the command" path (vdtest) and the sudo path are tested.
SUDOERS_FILE=/etc/sudoers.d/virtdeck-test

ensure_hugetlbfs() {
  mkdir -p /dev/hugepages
  if ! grep -qs ' /dev/hugepages hugetlbfs ' /proc/mounts; then
    mount -t hugetlbfs hugetlbfs /dev/hugepages
    changed "mounted hugetlbfs on /dev/hugepages"
  fi
}

ensure_sudo_user() {
  local home
  if ! id "$SUDO_USER_NAME" > /dev/null 2>&1; then
    useradd --create-home --shell /bin/bash --groups libvirt "$SUDO_USER_NAME"
    changed "user $SUDO_USER_NAME"
  fi
  home="$(getent passwd "$SUDO_USER_NAME" | cut -d: -f6)"
  install -d -m 700 -o "$SUDO_USER_NAME" -g "$SUDO_USER_NAME" "$home/.ssh"
  write_file "$home/.ssh/authorized_keys" 600 < "$USER_KEY.pub"
  chown "$SUDO_USER_NAME:$SUDO_USER_NAME" "$home/.ssh/authorized_keys"
  local tmp
  tmp="$(mktemp)"
  printf '%s\n' \
    '# Virtdeck test host (e2e/host/provision.sh): the tuning tests sudo user, exactly these commands.' \
    "$SUDO_USER_NAME ALL=(root) NOPASSWD: /usr/bin/tee /sys/kernel/mm/ksm/run, /usr/bin/tee /etc/ksmtuned.conf" > "$tmp"
  visudo -c -q -f "$tmp" || { rm -f "$tmp"; die "the sudoers rule for $SUDO_USER_NAME does not validate"; }
  write_file "$SUDOERS_FILE" 440 < "$tmp"
  rm -f "$tmp"
}

# 6. What the tests read

json_string() {
  local s="$1"
  s="${s//\\/\\\\}"
  s="${s//\"/\\\"}"
  printf '"%s"' "$s"
}

write_env() {
  local -a keys=(
    SSH_HOST SSH_PORT SSH_USER SSH_KEY SSH_KEY_PASS SSH_KEY_PASSPHRASE SSH_PASSWORD_FILE
    SSH_NOGROUP_USER SSH_HOST_KEY_PUB SSH_KNOWN_HOSTS LIBVIRT_URI GUEST_NAME GUEST_UUID GUEST_BANNER
    GUEST_CTRL_ALT_DEL_LINE GUEST_POWER_BUTTON_LINE GUEST_SERIAL_LOG KERNEL INITRD TEST_DOMAIN_PREFIX STATE_DIR
    HOST_UUID MIGRATION_ADDRESS TEST_ISO TEST_ISO_VOLID TEST_ISO_KNOWN TEST_ISO_POOL TEST_ISO_VOLUME
  )
  local -A v=(
    [SSH_HOST]=127.0.0.1 [SSH_PORT]="$SSH_PORT" [SSH_USER]="$TEST_USER" [SSH_NOGROUP_USER]="$NOGROUP_USER"
    [SSH_KEY]="$USER_KEY" [SSH_KEY_PASS]="$USER_KEY_PASS" [SSH_KEY_PASSPHRASE]="$KEY_PASSPHRASE"
    [SSH_PASSWORD_FILE]="$PASSWORD_FILE" [SSH_HOST_KEY_PUB]="$HOST_KEY.pub"
    [SSH_KNOWN_HOSTS]="$KNOWN_HOSTS" [LIBVIRT_URI]="$LIBVIRT_URI"
    [GUEST_NAME]="$GUEST_NAME" [GUEST_UUID]="$GUEST_UUID" [GUEST_BANNER]="$GUEST_BANNER"
    [GUEST_CTRL_ALT_DEL_LINE]="$GUEST_CTRL_ALT_DEL_LINE"
    [GUEST_POWER_BUTTON_LINE]="$GUEST_POWER_BUTTON_LINE" [GUEST_SERIAL_LOG]="$GUEST_SERIAL_LOG"
    [KERNEL]="$GUEST_DIR/vmlinuz" [INITRD]="$GUEST_DIR/initrd.cpio.gz"
    [TEST_DOMAIN_PREFIX]="$TEST_DOMAIN_PREFIX" [STATE_DIR]="$STATE_DIR"
    [HOST_UUID]="$LIBVIRT_HOST_UUID" [MIGRATION_ADDRESS]="$LIBVIRT_MIGRATION_ADDRESS"
    [TEST_ISO]="$TEST_ISO" [TEST_ISO_VOLID]="$TEST_ISO_VOLID" [TEST_ISO_KNOWN]="$TEST_ISO_KNOWN"
    [TEST_ISO_POOL]="$MEDIA_POOL" [TEST_ISO_VOLUME]="$MEDIA_VOLUME"
  )
  local k sep='' value
  for k in "${keys[@]}"; do
    [[ "${v[$k]}" != *"'"* ]] || die "value of $k contains a single quote"
  done
  {
    echo '# Virtdeck e2e test host (written by e2e/host/provision.sh). Source it from sh/bash.'
    for k in "${keys[@]}"; do printf "%s='%s'\n" "$k" "${v[$k]}"; done
  } | write_file "$STATE_DIR/env" 644
  {
    printf '{'
    for k in "${keys[@]}"; do
      value="$(json_string "${v[$k]}")"
      [[ "$k" == SSH_PORT ]] && value="${v[$k]}"   # a number for the tests
      printf '%s\n  "%s": %s' "$sep" "$k" "$value"
      sep=','
    done
    printf '\n}\n'
  } | write_file "$STATE_DIR/env.json" 644
}

# ---------------------------------------------------------------------------------------------

# ---------------------------------------------------------------------------------------------
# New VM: network install tree and PXE (issue 13, part A). The netboot package holds Debian 12's
# installer kernel and initrd and PXELINUX; the tests build a mirror-style tree (MANIFEST,
# SHA256SUMS) served on 127.0.0.1 and a TFTP root from it (electron/libvirt/new-vm/testing/
# install-tree-server.ts, pxe.int.test.ts). curl: the host fetches install trees itself.
NETBOOT_DIR=/usr/lib/debian-installer/images/12/amd64/text

ensure_netinstall_media() {
  local f
  for f in debian-installer/amd64/linux debian-installer/amd64/initrd.gz pxelinux.0 ldlinux.c32; do
    [[ -r "$NETBOOT_DIR/$f" ]] || die "missing $NETBOOT_DIR/$f (package debian-installer-12-netboot-amd64)"
  done
  command -v curl > /dev/null || die "curl is missing (the host fetches install trees with it)"
}

# ---------------------------------------------------------------------------------------------

main() {
  [[ "$(id -u)" == 0 ]] || die "run as root"
  local start=$SECONDS
  # Same file modes whatever the caller's umask (the initramfs hash depends on them too).
  umask 022
  mkdir -p "$STATE_DIR"
  chmod 755 "$STATE_DIR"
  # One provisioning at a time (CI and a developer could overlap). Daemons started below get
  # fd 9 closed ("9>&-"), or they would hold this lock for as long as they live.
  exec 9> "$STATE_DIR/.lock"
  flock -w 300 9 || die "another provision.sh holds $STATE_DIR/.lock"
  trap unblock_service_starts EXIT

  ensure_packages
  ensure_kernel
  configure_libvirt
  ensure_hugetlbfs
  start_libvirt
  ensure_test_user
  ensure_nogroup_user
  ensure_sudo_user
  start_sshd
  ensure_initramfs
  ensure_test_iso
  ensure_cloud_image
  ensure_netinstall_media
  remove_test_leftovers
  ensure_guest
  ensure_media_pool
  write_env
  verify_ssh
  log "done in $((SECONDS - start)) s, $CHANGES change(s); env: $STATE_DIR/env.json"
}

# Sourced (e2e/host/private-host.sh uses the host steps configure_libvirt and start_libvirt as
# a library): define everything, run nothing.
if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  main "$@"
fi
