#!/usr/bin/env python3
"""User-mode networking in a Debian guest: DHCP, DNS, HTTP both ways.

    net-guest.py [--arch arm64|amd64] [--device virtio-net-device]
                 [--dns-name NAME] [--log FILE] -- EMULATOR ARGS...

The guest gets one NIC (`--device`, on `-netdev user` with a hostfwd of a
free host port to guest port 8080) and:
  - sees the MAC address given with mac=;
  - takes its address by DHCP (udhcpc): 10.0.2.15, gateway 10.0.2.2, DNS
    10.0.2.3 in resolv.conf;
  - resolves --dns-name (default deb.debian.org) through slirp's DNS to the
    address the host resolves it to (skipped when the host cannot);
  - fetches a 1 MiB random file over HTTP from a server this script runs
    on the host's loopback, through 10.0.2.2, and checks its SHA-256;
  - sends 512 KiB with nc to a TCP server of this script (10.0.2.2), which
    checks what arrived;
  - serves a file with busybox httpd on port 8080, which this script fetches
    through the hostfwd (127.0.0.1:PORT) and checks.
Exit status: 0 pass, 1 fail, 77 skip (no guest images).
"""

import argparse
import hashlib
import http.server
import os
import random
import socket
import sys
import threading
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from console import Console  # noqa: E402
from guests import guest_images  # noqa: E402

MAC = "52:54:00:a5:0c:17"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Blob(http.server.BaseHTTPRequestHandler):
    data = b""

    def do_GET(self):
        if self.path != "/blob":
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(self.data)))
        self.end_headers()
        self.wfile.write(self.data)

    def log_message(self, *args):
        pass


def start_http(data):
    Blob.data = data
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Blob)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv


def start_sink():
    """A TCP server that hashes what one client sends."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(1)
    result = {}

    def serve():
        conn, _ = srv.accept()
        h, n = hashlib.sha256(), 0
        with conn:
            while True:
                b = conn.recv(65536)
                if not b:
                    break
                h.update(b)
                n += len(b)
        result["sha"], result["len"] = h.hexdigest(), n

    t = threading.Thread(target=serve, daemon=True)
    t.start()
    return srv, t, result


def host_resolves(name):
    try:
        return sorted({a[4][0] for a in socket.getaddrinfo(name, None, socket.AF_INET)})
    except OSError:
        return []


def fail(msg):
    print("FAIL: " + msg)
    return 1


def main():
    argv = sys.argv[1:]
    emu = []
    if "--" in argv:
        i = argv.index("--")
        argv, emu = argv[:i], argv[i + 1:]
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--arch", default="arm64", choices=["arm64", "amd64"])
    ap.add_argument("--device", default="virtio-net-device")
    ap.add_argument("--dns-name", default="deb.debian.org")
    ap.add_argument("--timeout", type=float, default=600)
    ap.add_argument("--log")
    args = ap.parse_args(argv)
    if not emu:
        ap.error("no emulator command after --")

    images = guest_images(args.arch)
    if not images:
        return 77
    kernel, initrd = images
    return run(args, emu, kernel, initrd)


def run(args, emu, kernel, initrd):
    rnd = random.Random(13)
    blob = rnd.randbytes(1 << 20)
    http_srv = start_http(blob)
    sink, sink_thread, sink_result = start_sink()
    fwd_port = free_port()
    t0 = time.monotonic()

    cmd = emu + ["-kernel", kernel, "-initrd", initrd,
                 "-append", "console=%s panic=-1" %
                 ("ttyAMA0" if args.arch == "arm64" else "ttyS0"),
                 "-netdev", "user,id=n0,hostfwd=tcp:127.0.0.1:%d-:8080" % fwd_port,
                 "-device", "%s,netdev=n0,mac=%s" % (args.device, MAC)]
    with Console(cmd, log=args.log) as c:
        c.expect(r"TURTLE-GUEST-READY", timeout=args.timeout)
        c.expect(r"turtle# ")
        mac = c.run("cat /sys/class/net/eth0/address")
        if mac != MAC:
            return fail("eth0 address %r, expected %s (modules: %s)" %
                        (mac, MAC, c.run("ls /lib/modules")))

        out = c.run("ip link set eth0 up && udhcpc -i eth0 -n -q -t 10 -T 2",
                    timeout=120)
        if "lease of 10.0.2.15 obtained" not in out:
            return fail("no DHCP lease: %r" % out)
        if "inet 10.0.2.15/24" not in c.run("ip -4 addr show eth0"):
            return fail("10.0.2.15/24 not on eth0")
        if "default via 10.0.2.2" not in c.run("ip route"):
            return fail("no default route via 10.0.2.2")
        if c.run("cat /etc/resolv.conf") != "nameserver 10.0.2.3":
            return fail("resolv.conf is not 'nameserver 10.0.2.3'")
        if c.run("cat /sys/class/net/eth0/carrier") != "1":
            return fail("eth0 has no carrier (link status)")
        print("net-guest: %.1fs DHCP: 10.0.2.15 via 10.0.2.2, DNS 10.0.2.3" %
              (time.monotonic() - t0))

        want = host_resolves(args.dns_name)
        if want:
            out = c.run("nslookup %s 10.0.2.3" % args.dns_name, timeout=60)
            if not any(a in out for a in want):
                return fail("nslookup %s gave %r, the host resolves %s" %
                            (args.dns_name, out, want))
            print("net-guest: DNS %s -> %s" % (args.dns_name, ", ".join(want)))
        else:
            print("net-guest: DNS step skipped (the host cannot resolve %s)" %
                  args.dns_name)

        port = http_srv.server_address[1]
        c.run("wget -q -O /tmp/blob http://10.0.2.2:%d/blob" % port, timeout=300)
        if c.last_status != 0:
            return fail("wget from the host's HTTP server failed")
        got = c.run("sha256sum /tmp/blob").split()[0]
        if got != hashlib.sha256(blob).hexdigest():
            return fail("the file fetched over HTTP differs")
        print("net-guest: %.1fs HTTP host->guest 1 MiB, SHA-256 equal" %
              (time.monotonic() - t0))

        c.run("dd if=/dev/urandom of=/tmp/up bs=65536 count=8 2>/dev/null")
        up_sha = c.run("sha256sum /tmp/up").split()[0]
        c.run("nc 10.0.2.2 %d < /tmp/up" % sink.getsockname()[1], timeout=300)
        sink_thread.join(60)
        if sink_result.get("sha") != up_sha:
            return fail("guest->host nc: %r bytes arrived, hash differs" %
                        sink_result.get("len"))
        print("net-guest: %.1fs TCP guest->host 512 KiB, SHA-256 equal" %
              (time.monotonic() - t0))

        c.run("mkdir -p /tmp/www && dd if=/dev/urandom of=/tmp/www/f bs=1000 "
              "count=300 2>/dev/null && httpd -p 8080 -h /tmp/www")
        served = c.run("sha256sum /tmp/www/f").split()[0]
        body = b""
        for _ in range(50):      # httpd starts in the background
            try:
                with urllib.request.urlopen("http://127.0.0.1:%d/f" % fwd_port,
                                            timeout=30) as r:
                    body = r.read()
                break
            except OSError:
                time.sleep(0.2)
        if hashlib.sha256(body).hexdigest() != served:
            return fail("hostfwd: fetched %d bytes, hash differs" % len(body))
        print("net-guest: %.1fs hostfwd 127.0.0.1:%d -> guest httpd, "
              "300 kB, SHA-256 equal" % (time.monotonic() - t0, fwd_port))
        c.poweroff()
    http_srv.shutdown()
    print("PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
