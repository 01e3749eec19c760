"""Take network access away from the current process (Linux seccomp), for query workers.

A query worker only reads a snapshot on disk and talks to the server over a pipe, so it
needs no network: once `deny_network()` has run, creating any socket but a Unix one fails
with EACCES (and io_uring, which could open sockets behind the filter, with ENOSYS) in
every thread of the process, now and later. A SERVICE clause that slipped past the text
checks then fails inside the engine instead of connecting anywhere.

The filter is a dozen classic BPF instructions handed to the kernel through ctypes: no
library to install. It needs Linux 3.17+ on x86-64 or AArch64; elsewhere `deny_network`
returns False and the text checks are the only wall.
"""

from __future__ import annotations

import ctypes
import errno
import platform
import sys

# <linux/audit.h>, <asm/unistd.h>: the architecture tag and syscall numbers
_ARCHES = {
    "x86_64": (0xC000003E, 41, 317),  # AUDIT_ARCH_X86_64, __NR_socket, __NR_seccomp
    "aarch64": (0xC00000B7, 198, 277),  # AUDIT_ARCH_AARCH64
}
_IO_URING_SETUP = 425  # the same number on both
_AF_UNIX = 1
_X32_BIT = 0x40000000  # x86-64's x32 ABI numbers: refused outright

# <linux/filter.h>, <linux/seccomp.h>
_LD_W_ABS = 0x20
_JEQ_K = 0x15
_JSET_K = 0x45
_RET_K = 0x06
_RET_ALLOW = 0x7FFF0000
_RET_ERRNO = 0x00050000
_PR_SET_NO_NEW_PRIVS = 38
_SECCOMP_SET_MODE_FILTER = 1
_SECCOMP_FILTER_FLAG_TSYNC = 1  # every thread of the process, not just the caller


class _Filter(ctypes.Structure):
    _fields_ = [
        ("code", ctypes.c_ushort),
        ("jt", ctypes.c_ubyte),
        ("jf", ctypes.c_ubyte),
        ("k", ctypes.c_uint32),
    ]


class _Program(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.POINTER(_Filter))]


def _program(arch: int, socket_nr: int) -> list[tuple[int, int, int, int]]:
    """(code, jump if true, jump if false, k); jumps count the instructions skipped."""
    return [
        (_LD_W_ABS, 0, 0, 4),  # 0: seccomp_data.arch
        (_JEQ_K, 0, 6, arch),  # 1: another ABI (a 32-bit call on x86-64): allow (8)
        (_LD_W_ABS, 0, 0, 0),  # 2: seccomp_data.nr
        (_JSET_K, 5, 0, _X32_BIT),  # 3: x32 ABI: EACCES (9)
        (_JEQ_K, 5, 0, _IO_URING_SETUP),  # 4: ENOSYS (10)
        (_JEQ_K, 0, 2, socket_nr),  # 5: not socket(): allow (8)
        (_LD_W_ABS, 0, 0, 16),  # 6: args[0], the address family (low word)
        (_JEQ_K, 0, 1, _AF_UNIX),  # 7: AF_UNIX: allow (8), else EACCES (9)
        (_RET_K, 0, 0, _RET_ALLOW),  # 8
        (_RET_K, 0, 0, _RET_ERRNO | errno.EACCES),  # 9
        (_RET_K, 0, 0, _RET_ERRNO | errno.ENOSYS),  # 10
    ]


def deny_network() -> bool:
    """Forbid this process (all its threads) network sockets for good; False if the
    platform cannot (then nothing changed)."""
    if sys.platform != "linux" or platform.machine() not in _ARCHES:
        return False
    arch, socket_nr, seccomp_nr = _ARCHES[platform.machine()]
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return False
    rules = _program(arch, socket_nr)
    table = (_Filter * len(rules))(*[_Filter(*rule) for rule in rules])
    program = _Program(len(rules), table)
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        return False
    done = libc.syscall(
        seccomp_nr, _SECCOMP_SET_MODE_FILTER, _SECCOMP_FILTER_FLAG_TSYNC, ctypes.byref(program)
    )
    return int(done) == 0
