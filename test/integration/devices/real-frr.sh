#!/usr/bin/env bash
# Two real FRRouting routers (Debian `frr`: zebra, bgpd, vrrpd), each behind
# its own OpenSSH sshd whose login shell is vtysh, each in a network namespace
# this script creates:
#
#   netops-frr-a  mgmt 10.199.0.2:2222 (root side 10.199.0.1)   pair link eth1 10.199.1.1/24
#   netops-frr-b  mgmt 10.199.0.6:2222 (root side 10.199.0.5)   pair link ens5 10.199.1.2/24
#
# The pair link is a veth between the two namespaces; its ends are named
# differently on purpose (eth1 / ens5), and so are the VRRP macvlans
# (vrrp4-5 / mv-vr5), because a drain must find the peer by group and
# virtual IP, not by interface name. VRRP 5 holds 10.199.1.254.
#
#   up   <dir>  -> prints one line per router: "name host port hostkey-type hostkey"
#   down <dir>  -> stops every process it started, removes the namespaces and the user
#
# Each router also gets a private mount namespace with its own /etc/frr and
# /run/frr (bind mounts of <dir>/<r>/etc and <dir>/<r>/run), so the two FRR
# instances, and the vtysh that sshd starts for each login, never see each
# other's sockets or configuration; the host's /etc/frr is never touched.
set -euo pipefail
DIR=${2:?work dir}
ROUTERS=(a b)
declare -A MGMT_ROOT=([a]=10.199.0.1 [b]=10.199.0.5)
declare -A MGMT_NS=([a]=10.199.0.2 [b]=10.199.0.6)
declare -A PAIR_IF=([a]=eth1 [b]=ens5)
declare -A PAIR_ADDR=([a]=10.199.1.1/24 [b]=10.199.1.2/24)
declare -A VRRP_IF=([a]=vrrp4-5 [b]=mv-vr5)
VIP=10.199.1.254/24
VMAC=00:00:5e:00:01:05 # RFC 5798's virtual MAC of VRID 5; vrrpd looks for a macvlan carrying it

down() {
  for r in "${ROUTERS[@]}"; do
    for f in "$DIR/$r/sshd.pid" "$DIR/$r/run/zebra.pid" "$DIR/$r/run/bgpd.pid" "$DIR/$r/run/vrrpd.pid"; do
      [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null || true
    done
  done
  sleep 0.3
  for r in "${ROUTERS[@]}"; do
    ip netns del "netops-frr-$r" 2>/dev/null || true
    ip link del "nfrr-$r" 2>/dev/null || true
  done
  userdel netops 2>/dev/null || true
}

router_up() {
  local r=$1 ns=netops-frr-$1
  mkdir -p "$DIR/$r/run" "$DIR/$r/etc"
  # Integrated config (one frr.conf), as Debian ships it.
  echo "service integrated-vtysh-config" >"$DIR/$r/etc/vtysh.conf"
  install -m 664 /dev/null "$DIR/$r/etc/frr.conf"
  chown -R frr:frr "$DIR/$r/run" "$DIR/$r/etc" && chmod 775 "$DIR/$r/run" "$DIR/$r/etc"
  ssh-keygen -q -t ed25519 -N '' -f "$DIR/$r/host_ed25519" <<<y >/dev/null
  cat >"$DIR/$r/sshd_config" <<CFG
Port 2222
ListenAddress ${MGMT_NS[$r]}
HostKey $DIR/$r/host_ed25519
PasswordAuthentication yes
KbdInteractiveAuthentication no
UsePAM no
PidFile $DIR/$r/sshd.pid
AllowUsers netops
CFG
  ip netns exec "$ns" unshare --mount --propagation private bash -c "
    set -e
    mount --bind '$DIR/$r/run' /run/frr
    mount --bind '$DIR/$r/etc' /etc/frr
    for d in zebra bgpd vrrpd; do /usr/lib/frr/\$d -d -A 127.0.0.1 -i /run/frr/\$d.pid >'$DIR/$r/'\$d.log 2>&1; done
    /usr/sbin/sshd -f '$DIR/$r/sshd_config' -E '$DIR/$r/sshd.log'
  "
}

case "$1" in
up)
  mkdir -p "$DIR" /run/frr /run/sshd
  chown frr:frr "$DIR"
  # Namespaces a killed earlier run left behind would make `ip netns add` fail.
  for r in "${ROUTERS[@]}"; do ip netns del "netops-frr-$r" 2>/dev/null || true; ip link del "nfrr-$r" 2>/dev/null || true; done
  # A failed set-up leaves nothing behind: the test's afterAll may never run.
  trap 'down' ERR
  for r in "${ROUTERS[@]}"; do
    ns=netops-frr-$r
    ip netns add "$ns"
    ip netns exec "$ns" ip link set lo up
    ip link add "nfrr-$r" type veth peer name mgmt0 netns "$ns"
    ip addr add "${MGMT_ROOT[$r]}/30" dev "nfrr-$r" && ip link set "nfrr-$r" up
    ip netns exec "$ns" ip addr add "${MGMT_NS[$r]}/30" dev mgmt0
    ip netns exec "$ns" ip link set mgmt0 up
  done
  ip link add pair-a netns netops-frr-a type veth peer name pair-b netns netops-frr-b
  for r in "${ROUTERS[@]}"; do
    ns=netops-frr-$r
    ip netns exec "$ns" ip link set "pair-$r" name "${PAIR_IF[$r]}"
    ip netns exec "$ns" ip addr add "${PAIR_ADDR[$r]}" dev "${PAIR_IF[$r]}"
    ip netns exec "$ns" ip link set "${PAIR_IF[$r]}" up
    ip netns exec "$ns" ip link add "${VRRP_IF[$r]}" link "${PAIR_IF[$r]}" type macvlan mode bridge
    ip netns exec "$ns" ip link set "${VRRP_IF[$r]}" address $VMAC
    ip netns exec "$ns" ip addr add $VIP dev "${VRRP_IF[$r]}"
    ip netns exec "$ns" ip link set "${VRRP_IF[$r]}" up
  done
  id netops >/dev/null 2>&1 || useradd -M -s /usr/bin/vtysh -G frrvty,frr netops
  echo 'netops:netops-pw' | chpasswd
  for r in "${ROUTERS[@]}"; do router_up "$r"; done
  for r in "${ROUTERS[@]}"; do echo "frr-$r ${MGMT_NS[$r]} 2222 $(cut -d' ' -f1,2 "$DIR/$r/host_ed25519.pub")"; done
  ;;
down)
  down
  ;;
esac
