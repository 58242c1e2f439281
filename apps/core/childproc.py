"""Child processes that do not outlive their parent."""

from __future__ import annotations

import signal
import sys


def die_with_parent() -> None:
    """``preexec_fn``: the kernel sends the child SIGTERM when its parent dies (Linux).

    Ctrl-C and SIGTERM are handled by the parent's own clean shutdown; this covers the
    parent being killed outright (SIGKILL, OOM), which would otherwise orphan servers.
    """
    if sys.platform.startswith("linux"):
        import ctypes

        PR_SET_PDEATHSIG = 1
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
