#!/usr/bin/env python3
"""Command-line behaviour of -accel kvm where KVM cannot be opened.

Runs on every host: the KVM device is pointed at a path that does not
exist (-accel kvm,device=...), so the answers are the same with or
without /dev/kvm.

  kvm-cmdline.py TURTLE_BINARY
"""
import subprocess
import sys

MISSING = "/nonexistent/turtle-test/kvm"
failures = []
checks = 0


def run(args):
    p = subprocess.run(args, stdin=subprocess.DEVNULL, capture_output=True,
                       text=True, timeout=60)
    return p.returncode, p.stderr


def check(name, cond, detail):
    global checks
    checks += 1
    if cond:
        print("ok - " + name)
    else:
        print("not ok - " + name)
        print("# " + detail.replace("\n", "\n# "))
        failures.append(name)


def main():
    turtle = sys.argv[1]
    base = [turtle, "-display", "none", "-nodefaults", "-M", "pc"]

    # KVM alone: one clear error, exit status 1
    rc, err = run(base + ["-accel", "kvm,device=" + MISSING])
    check("kvm-missing-device-fails", rc == 1, "rc=%d\n%s" % (rc, err))
    check("kvm-missing-device-message",
          "failed to initialize kvm: Could not access KVM kernel module: "
          "No such file or directory" in err, err)
    check("kvm-missing-device-no-fallback-warning",
          "falling back" not in err, err)

    # KVM then TCG: a warning and the next accelerator is tried (whatever
    # happens after that is not KVM's business: no kvm error line)
    rc, err = run(base + ["-accel", "kvm,device=" + MISSING,
                          "-accel", "tcg"])
    lines = err.splitlines()
    warn = [l for l in lines if "warning:" in l and "kvm" in l]
    check("kvm-fallback-warning",
          any("falling back to the next accelerator" in l for l in warn),
          err)
    check("kvm-fallback-no-kvm-error",
          not any("failed to initialize kvm" in l and "warning:" not in l
                  for l in lines), err)

    # bad option: a user error even with a fall-back
    rc, err = run(base + ["-accel", "kvm,device=", "-accel", "tcg"])
    check("kvm-empty-device-option", rc == 1 and "device= needs a path" in err,
          "rc=%d\n%s" % (rc, err))
    rc, err = run(base + ["-accel", "kvm,device=" + MISSING +
                          ",kernel-irqchip=maybe", "-accel", "tcg"])
    check("kvm-bad-irqchip-option",
          rc == 1 and "is not on, off or split" in err,
          "rc=%d\n%s" % (rc, err))
    rc, err = run(base + ["-accel", "kvm,bogus=1"])
    check("kvm-unknown-option", rc == 1 and "bogus" in err,
          "rc=%d\n%s" % (rc, err))

    # listed
    p = subprocess.run([turtle, "-accel", "help"], capture_output=True,
                       text=True, timeout=60)
    check("kvm-listed", any(l.startswith("kvm ") for l in
                            p.stdout.splitlines()), p.stdout)

    # -cpu host needs KVM; a bad feature name is rejected clearly.  Under
    # qtest the board is built without running a CPU.
    rc, err = run(base + ["-accel", "qtest", "-qtest", "/dev/null",
                          "-cpu", "host"])
    check("cpu-host-needs-kvm", rc == 1 and "requires KVM" in err,
          "rc=%d\n%s" % (rc, err))
    rc, err = run(base + ["-accel", "qtest", "-qtest", "/dev/null",
                          "-cpu", "qemu64,+nosuchfeature"])
    check("cpu-unknown-feature",
          rc == 1 and "unknown CPU feature 'nosuchfeature'" in err,
          "rc=%d\n%s" % (rc, err))

    print("1..%d" % checks)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
