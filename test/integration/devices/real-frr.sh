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
PS=netops
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
  mkdir -p /var/run/frr/$PS /etc/frr/$PS && chown frr:frr /var/run/frr/$PS /etc/frr/$PS
  touch /etc/frr/$PS/vtysh.conf
  for d in zebra bgpd vrrpd; do
    ip netns exec $NS /usr/lib/frr/$d -d -N $PS -A 127.0.0.1 -i /var/run/frr/$PS/$d.pid >"$DIR/$d.log" 2>&1
  done
  printf '#!/bin/sh\nexec /usr/bin/vtysh -N %s "$@"\n' $PS > /usr/local/bin/vtysh-netops
  chmod 755 /usr/local/bin/vtysh-netops
  id netops >/dev/null 2>&1 || useradd -M -s /usr/local/bin/vtysh-netops -G frrvty,frr netops
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
  for p in zebra bgpd vrrpd; do [ -f "/var/run/frr/$PS/$p.pid" ] && kill "$(cat "/var/run/frr/$PS/$p.pid")" 2>/dev/null || true; done
  sleep 0.3
  ip netns del $NS 2>/dev/null || true
  ip link del nfrr0 2>/dev/null || true
  userdel netops 2>/dev/null || true
  rm -f /usr/local/bin/vtysh-netops
  rm -rf /var/run/frr/$PS /etc/frr/$PS
  ;;
esac
