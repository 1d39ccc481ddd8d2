#!/usr/bin/env python3
"""Network benchmark: guest<->host TCP over user networking, Turtle vs QEMU.

    net_bench.py TURTLE_BINARY [--runs N] [--mib N] [--qemu qemu-system-aarch64]
                 [--device virtio-net-device]

The arm64 Debian guest on `-netdev user` with the NIC under test takes its
address by DHCP, then, for each emulator (QEMU only when installed), in
one run of this script:
  host->guest  MiB/s: the guest's wget of --mib MiB (default 16) from an
               HTTP server of this script on the host (10.0.2.2), timed on
               the host from the request to the last byte acknowledged
  guest->host  MiB/s: the guest's `dd | nc` of --mib MiB to a TCP sink of
               this script, timed from the connection to its end
  latency      ms: mean of 20 sequential HTTP requests from the host to
               busybox httpd in the guest through a hostfwd
Each figure is the best of --runs (default 3).  Prints a table with the
Turtle/QEMU ratio (throughput: above 1.0 Turtle is faster; latency: below
1.0 Turtle is faster).  Never asserts on times.  Exit 77 when the guest
images are missing (tests/functional/fetch-guests.sh).
"""
import argparse
import http.server
import os
import shutil
import socket
import sys
import threading
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "functional"))
from console import Console  # noqa: E402

MACHINE = ["-M", "virt", "-cpu", "cortex-a57", "-m", "512", "-smp", "1",
           "-nographic", "-no-reboot"]


class Server(http.server.BaseHTTPRequestHandler):
    size = 0
    times = []

    def do_GET(self):
        t0 = time.monotonic()
        self.send_response(200)
        self.send_header("Content-Length", str(self.size))
        self.end_headers()
        chunk = b"\x5a" * 65536
        left = self.size
        while left:
            n = min(left, len(chunk))
            self.wfile.write(chunk[:n])
            left -= n
        self.wfile.flush()
        self.times.append((t0, time.monotonic()))

    def log_message(self, *args):
        pass


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def sink_once(size):
    """A TCP server taking one connection; returns (port, result dict)."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(1)
    res = {}

    def run():
        conn, _ = srv.accept()
        t0 = time.monotonic()
        n = 0
        with conn:
            while True:
                b = conn.recv(1 << 16)
                if not b:
                    break
                n += len(b)
        res["secs"] = time.monotonic() - t0
        res["bytes"] = n
        srv.close()

    th = threading.Thread(target=run, daemon=True)
    th.start()
    return srv.getsockname()[1], res, th


def one_run(argv, device, kernel, initrd, mib):
    fwd = free_port()
    Server.size = mib << 20
    Server.times = []
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Server)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    cmd = argv + MACHINE + [
        "-kernel", kernel, "-initrd", initrd,
        "-append", "console=ttyAMA0 panic=-1 quiet",
        "-netdev", "user,id=n0,hostfwd=tcp:127.0.0.1:%d-:8080" % fwd,
        "-device", "%s,netdev=n0" % device]
    out = {}
    try:
        with Console(cmd) as c:
            c.expect(r"turtle# ", 600)
            got = c.run("ip link set eth0 up && udhcpc -i eth0 -n -q -t 10 "
                        "-T 2", 120)
            if "lease of" not in got:
                raise RuntimeError("no DHCP lease: %r" % got)
            # host -> guest
            c.run("wget -q -O /dev/null http://10.0.2.2:%d/x" %
                  httpd.server_address[1], 900)
            if c.last_status != 0 or not Server.times:
                raise RuntimeError("wget failed")
            t0, t1 = Server.times[-1]
            out["h2g"] = mib / (t1 - t0)
            # guest -> host
            port, res, th = sink_once(mib << 20)
            c.run("dd if=/dev/zero bs=65536 count=%d 2>/dev/null | "
                  "nc 10.0.2.2 %d" % (mib * 16, port), 900)
            th.join(60)
            if res.get("bytes") != mib << 20:
                raise RuntimeError("guest->host: %r bytes" % res.get("bytes"))
            out["g2h"] = mib / res["secs"]
            # request latency through the hostfwd
            c.run("mkdir -p /tmp/www && echo hello > /tmp/www/i && "
                  "httpd -p 8080 -h /tmp/www")
            url = "http://127.0.0.1:%d/i" % fwd
            for _ in range(50):
                try:
                    urllib.request.urlopen(url, timeout=10).read()
                    break
                except OSError:
                    time.sleep(0.1)
            t0 = time.monotonic()
            for _ in range(20):
                if urllib.request.urlopen(url, timeout=10).read() != b"hello\n":
                    raise RuntimeError("httpd answered wrong")
            out["lat"] = (time.monotonic() - t0) / 20 * 1000
            c.poweroff()
    finally:
        httpd.shutdown()
    return out


def best(runs, key, higher):
    vals = [r[key] for r in runs]
    return max(vals) if higher else min(vals)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("turtle")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--mib", type=int, default=16)
    ap.add_argument("--qemu", default="qemu-system-aarch64")
    ap.add_argument("--device", default="virtio-net-device")
    args = ap.parse_args()

    cache = os.environ.get("TURTLE_GUEST_CACHE",
                           os.path.join(os.path.expanduser("~"), ".cache", "turtle-guests"))
    kernel = os.path.join(cache, "arm64", "kernel")
    initrd = os.path.join(cache, "arm64", "initramfs.cpio.gz")
    if not (os.path.isfile(kernel) and os.path.isfile(initrd)):
        print("SKIP: no arm64 guest; run tests/functional/fetch-guests.sh")
        return 77
    emus = [("turtle", [args.turtle])]
    if shutil.which(args.qemu):
        emus.append(("qemu", [args.qemu]))
    results = {}
    for name, argv in emus:
        results[name] = [one_run(argv, args.device, kernel, initrd, args.mib)
                         for _ in range(args.runs)]
    rows = [("host->guest MiB/s", "h2g", True), ("guest->host MiB/s", "g2h", True),
            ("latency ms", "lat", False)]
    print("%-20s %10s %10s %8s" % ("%s, %d MiB" % (args.device, args.mib),
                                   "turtle", "qemu", "ratio"))
    for label, key, higher in rows:
        t = best(results["turtle"], key, higher)
        q = best(results["qemu"], key, higher) if "qemu" in results else None
        print("%-20s %10.2f %10s %8s" % (label, t, "%.2f" % q if q else "-",
                                         "%.2f" % (t / q) if q else "-"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
