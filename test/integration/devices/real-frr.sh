#!/usr/bin/env bash
# Real FRRouting behind OpenSSH, in a network namespace this script creates:
#   up   <dir>  -> prints "host port hostkey-line"; FRR (zebra, bgpd, vrrpd) and
#                  sshd run inside netns netops-frr, reachable on 10.199.0.2:2222
#                  from the root namespace over a veth; the login shell of user
#                  `netops` is vtysh (so exec channels are `vtysh -c ...`).
#   down <dir>  -> stops everything and removes the namespace and user.
set -euo pipefail
NS=netops-frr
DIR=${2:?work dir}
# `ip netns exec` bind-mounts /etc/netns/$NS/* over /etc/*, so daemons, sshd
# and the vtysh it starts see a private /etc/frr; the host's stays untouched.
ETC=/etc/netns/$NS/frr
case "$1" in
up)
  mkdir -p "$DIR"
  ip netns add $NS
  ip link add nfrr0 type veth peer name nfrr1
  ip link set nfrr1 netns $NS
  ip addr add 10.199.0.1/30 dev nfrr0 && ip link set nfrr0 up
  ip netns exec $NS ip link set lo up
  ip netns exec $NS ip addr add 10.199.0.2/30 dev nfrr1
  ip netns exec $NS ip link set nfrr1 up
  # No macvlan here (kernel module absent in CI containers): VRRP stays in
  # Initialize, which still exercises `show vrrp` and priority changes.
  mkdir -p /var/run/frr "$ETC" && chown frr:frr /var/run/frr "$ETC" && chmod 775 "$ETC"
  # Integrated config (one frr.conf), as Debian ships it.
  echo "service integrated-vtysh-config" > "$ETC/vtysh.conf"
  install -o frr -g frr -m 664 /dev/null "$ETC/frr.conf"
  for d in zebra bgpd vrrpd; do
    ip netns exec $NS /usr/lib/frr/$d -d -A 127.0.0.1 -i /var/run/frr/$d.pid >"$DIR/$d.log" 2>&1
  done
  id netops >/dev/null 2>&1 || useradd -M -s /usr/bin/vtysh -G frrvty,frr netops
  echo 'netops:netops-pw' | chpasswd
  ssh-keygen -q -t ed25519 -N '' -f "$DIR/host_ed25519" <<<y >/dev/null
  cat > "$DIR/sshd_config" <<CFG
Port 2222
ListenAddress 10.199.0.2
HostKey $DIR/host_ed25519
PasswordAuthentication yes
KbdInteractiveAuthentication no
UsePAM no
PidFile $DIR/sshd.pid
AllowUsers netops
CFG
  mkdir -p /run/sshd
  ip netns exec $NS /usr/sbin/sshd -f "$DIR/sshd_config" -E "$DIR/sshd.log"
  echo "10.199.0.2 2222 $(cut -d' ' -f1,2 "$DIR/host_ed25519.pub")"
  ;;
down)
  [ -f "$DIR/sshd.pid" ] && kill "$(cat "$DIR/sshd.pid")" 2>/dev/null || true
  for p in zebra bgpd vrrpd; do [ -f "/var/run/frr/$p.pid" ] && kill "$(cat "/var/run/frr/$p.pid")" 2>/dev/null || true; done
  sleep 0.3
  ip netns del $NS 2>/dev/null || true
  ip link del nfrr0 2>/dev/null || true
  userdel netops 2>/dev/null || true
  rm -rf "/etc/netns/$NS"
  rmdir /etc/netns 2>/dev/null || true
  ;;
esac
