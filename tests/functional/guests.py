"""The cached guest images of fetch-guests.sh, for the functional tests.

    from guests import guest_images
    images = guest_images("arm64")     # (kernel, initrd), or None: skip
"""
import os
import subprocess

HERE = os.path.dirname(os.path.abspath(__file__))


def guest_images(arch):
    """Run fetch-guests.sh for arch (it rebuilds the initramfs when
    mkinitramfs.py changed, and is instant otherwise); return the paths of
    the kernel and initramfs, or None after printing a SKIP line."""
    subprocess.run(["sh", os.path.join(HERE, "fetch-guests.sh"), arch],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    cache = os.environ.get("TURTLE_GUEST_CACHE",
                           os.path.join(os.path.expanduser("~"), ".cache",
                                        "turtle-guests"))
    kernel = os.path.join(cache, arch, "kernel")
    initrd = os.path.join(cache, arch, "initramfs.cpio.gz")
    if not (os.path.isfile(kernel) and os.path.isfile(initrd)):
        print("SKIP: no %s guest in %s; run tests/functional/fetch-guests.sh"
              % (arch, cache))
        return None
    return kernel, initrd
