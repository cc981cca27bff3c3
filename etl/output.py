"""Where a build goes: one build at a time, each in its own folder, made current in one atomic step.

The processed folder (data/processed) is a symlink to the current build, a sibling folder `.build-<name>-<ns>`.
Publishing a build replaces that symlink with a new one by rename(2), which is atomic: a reader sees the old
build or the new one, never neither, and a reader that resolved the link keeps a consistent build to read. The
previous build is kept until the next build starts (a reader may still be reading it); anything else left
beside the folder by a killed build (`.build-*`, `.old-*`) is removed then too.

No pandas here: the fault-injection tests run this module in a subprocess they kill.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import os
import shutil
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path


class BuildError(Exception):
    """The build cannot run or finish for a reason outside the raw inputs (another build, a full disk).
    str() is the one line the user sees."""

    def __init__(self, path: Path | str, problem: str) -> None:
        self.path, self.problem = str(path), problem
        super().__init__(f"{self.path}: {problem}")


_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def lock_path(out_dir: Path) -> Path:
    return out_dir.with_name(f".{out_dir.name}.lock")


@contextmanager
def build_lock(out_dir: Path) -> Iterator[None]:
    """Hold the one lock for builds of out_dir; a second build is refused at once, not queued."""
    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        handle = open(lock_path(out_dir), "a+")  # noqa: SIM115  (held open for the whole build)
    except OSError as err:
        raise BuildError(out_dir, f"cannot create the build lock ({err.strerror})") from None
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise BuildError(
                out_dir, f"another build of this folder is running ({holder}); wait for it to finish"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}, started {time.strftime('%H:%M:%S')}")
        handle.flush()
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def current_build(out_dir: Path) -> str | None:
    """The name of the build folder out_dir points to (None when it is absent or a plain folder)."""
    try:
        return Path(os.readlink(out_dir)).name
    except OSError:
        return None


def clean_leftovers(out_dir: Path) -> None:
    """Remove every build but the current one, and anything moved aside (call with the lock held)."""
    keep = current_build(out_dir)
    for path in out_dir.parent.glob(f".build-{out_dir.name}-*"):
        if path.name != keep:
            _remove(path)
    for path in out_dir.parent.glob(f".old-{out_dir.name}-*"):
        _remove(path)


def new_build_dir(out_dir: Path) -> Path:
    path = out_dir.with_name(f".build-{out_dir.name}-{time.time_ns()}")
    path.mkdir()
    return path


def publish(build_dir: Path, out_dir: Path, before_switch: Callable[[], None] = lambda: None) -> None:
    """Make build_dir the current build of out_dir in one atomic step; `before_switch` runs just before it."""
    link = out_dir.with_name(f".old-{out_dir.name}-{time.time_ns()}")
    os.symlink(build_dir.name, link)  # relative: the data folder can be moved or mounted elsewhere
    try:
        before_switch()
        if out_dir.is_symlink() or not out_dir.exists():
            os.replace(link, out_dir)  # the switch
        else:  # a plain folder, as built before builds were kept beside it: exchanged once, then gone
            _exchange(link, out_dir)
    except BaseException:
        if link.is_symlink():
            link.unlink()
        raise
    if link.exists() or link.is_symlink():
        _remove(link)


def _exchange(a: Path, b: Path) -> None:
    """Swap two paths atomically (Linux renameat2 RENAME_EXCHANGE); elsewhere, two renames."""
    sys.audit("etl.output.exchange", str(a), str(b))
    function = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if function is not None:
        if function(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
            return
        code = ctypes.get_errno()
        if code not in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
            raise OSError(code, os.strerror(code), str(b))
    aside = b.with_name(f".old-{b.name}-{time.time_ns()}")
    os.rename(b, aside)
    os.replace(a, b)
    os.rename(aside, a)


def _remove(path: Path) -> None:
    if path.is_symlink() or not path.is_dir():
        path.unlink(missing_ok=True)
    else:
        shutil.rmtree(path, ignore_errors=True)
