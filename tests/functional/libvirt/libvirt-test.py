#!/usr/bin/env python3
"""
libvirt drives turtle (issue 17): a private libvirtd and virtlogd, started
by this test in a session of their own (configuration, runtime and cache
directories under a temporary directory; as root the daemons run as
'nobody', since a root libvirtd would use the system's directories), with
turtle-system-aarch64 as the emulator.

Checked so far: `virsh domcapabilities` probes turtle the way libvirt
probes QEMU (-daemonize, -pidfile, the QMP probe commands) and reports
what turtle has: the versioned virt machine, its CPU models, GIC versions.
Starting a domain (issue 17 §2, §3) is not there yet.

Skips (exit 77) without virsh, libvirtd and virtlogd (Debian's
libvirt-daemon-system and libvirt-clients, which .ci/run installs).
"""
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
import time

SKIP = 77


def main():
    turtle = os.path.abspath(sys.argv[1])
    tools = [shutil.which(t) or shutil.which(t, path="/usr/sbin")
             for t in ("virsh", "libvirtd", "virtlogd")]
    if not all(tools):
        print("SKIP: libvirt is not installed (virsh, libvirtd, virtlogd)")
        return SKIP
    virsh, libvirtd, virtlogd = tools
    tmp = tempfile.mkdtemp(prefix="libvirt-test.")
    os.chmod(tmp, 0o755)
    env = dict(os.environ)
    for var, sub in (("HOME", "home"), ("XDG_CONFIG_HOME", "config"),
                     ("XDG_RUNTIME_DIR", "run"), ("XDG_CACHE_HOME", "cache"),
                     ("XDG_DATA_HOME", "data")):
        env[var] = os.path.join(tmp, sub)
        os.makedirs(env[var], mode=0o700)
    os.makedirs(os.path.join(env["XDG_CONFIG_HOME"], "libvirt"))
    log = os.path.join(tmp, "libvirtd.log")
    with open(os.path.join(env["XDG_CONFIG_HOME"], "libvirt",
                           "libvirtd.conf"), "w") as f:
        f.write('log_outputs="1:file:%s"\nlog_filters="1:qemu 4:*"\n' % log)
    user = []
    if os.geteuid() == 0:
        nobody = pwd.getpwnam("nobody")
        for root, dirs, files in os.walk(tmp):
            for n in [root] + [os.path.join(root, d) for d in dirs] + \
                     [os.path.join(root, x) for x in files]:
                os.chown(n, nobody.pw_uid, nobody.pw_gid)
        user = ["runuser", "-u", "nobody", "--"]
    daemons = []
    failures = []
    try:
        for d in (virtlogd, libvirtd):
            daemons.append(subprocess.Popen(user + [d], env=env,
                                            stdout=subprocess.DEVNULL,
                                            stderr=subprocess.DEVNULL))
        sock = os.path.join(env["XDG_RUNTIME_DIR"], "libvirt", "libvirt-sock")
        deadline = time.time() + 30
        while not os.path.exists(sock):
            if time.time() > deadline:
                print("FAIL: libvirtd did not start")
                return 1
            time.sleep(0.1)

        def virsh_run(*args):
            return subprocess.run(user + [virsh, "-c", "qemu:///session"] +
                                  list(args), env=env, capture_output=True,
                                  text=True, timeout=120)

        r = virsh_run("domcapabilities", "--emulatorbin", turtle, "--arch",
                      "aarch64", "--machine", "virt", "--virttype", "qemu")
        if r.returncode != 0:
            failures.append("domcapabilities failed: %s" % r.stderr.strip())
        else:
            for want in ("<path>%s</path>" % turtle,
                         "<machine>virt-7.2</machine>",
                         ">cortex-a57</model>", ">max</model>",
                         "<value>2</value>", "<value>3</value>"):
                if want not in r.stdout:
                    failures.append("domcapabilities lacks %s" % want)
        print("virsh domcapabilities: %d lines" % len(r.stdout.splitlines()))
    finally:
        for d in reversed(daemons):
            d.terminate()
            try:
                d.wait(timeout=10)
            except subprocess.TimeoutExpired:
                d.kill()
                d.wait()
        if failures and os.path.exists(log):
            with open(log) as f:
                lines = [l for l in f if "error" in l]
            print("libvirtd errors:\n" + "".join(lines[-10:]))
        shutil.rmtree(tmp, ignore_errors=True)
    for f in failures:
        print("FAIL: " + f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
