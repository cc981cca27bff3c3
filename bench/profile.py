"""py-spy on a running server: record the frames that hold the GIL while a load runs, and summarise them.

`py-spy record --gil -f raw` writes one line per distinct stack ("frame;frame;...;leaf count"). A frame's share
is the share of samples whose stack contains it (inclusive time), so "91% in ScriptRunner._on_script_finished"
means 91% of the GIL-holding samples were inside that call or below it.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

# Frames every sample passes through (thread bootstrap, the event loop): 100% each, telling nothing.
PLUMBING = ("threading.py", "asyncio/", "runpy.py", "<module>", "concurrent/futures/thread.py")


def py_spy() -> str | None:
    beside = Path(sys.executable).parent / "py-spy"
    return str(beside) if beside.exists() else shutil.which("py-spy")


def start_recording(pid: int, seconds: float, out: Path) -> subprocess.Popen:
    """py-spy on `pid` for `seconds` (GIL holders only, raw stacks to `out`); wait on the returned process."""
    command = py_spy()
    if command is None:
        raise RuntimeError("py-spy not found: .venv/bin/python -m pip install py-spy")
    out.parent.mkdir(parents=True, exist_ok=True)
    return subprocess.Popen(
        [
            command,
            "record",
            "--gil",
            "--nonblocking",
            "-p",
            str(pid),
            "-d",
            f"{seconds:g}",
            "-r",
            "50",
            "-f",
            "raw",
            "-o",
            str(out),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def top_frames(raw: Path, count: int = 8) -> tuple[int, list[tuple[str, float]]]:
    """(samples, [(frame, inclusive share)]) of a py-spy raw file, plumbing frames left out."""
    inclusive: Counter = Counter()
    samples = 0
    for line in raw.read_text(errors="replace").splitlines():
        stack, _, number = line.rpartition(" ")
        if not stack or not number.isdigit():
            continue
        samples += int(number)
        # One entry per function, whatever line it was on ("name (file:123)" -> "name (file)").
        for frame in {re.sub(r":\d+\)$", ")", f) for f in stack.split(";")}:
            if not any(p in frame for p in PLUMBING):
                inclusive[frame] += int(number)
    return samples, [(frame, n / samples) for frame, n in inclusive.most_common(count)] if samples else []


def describe(raw: Path, count: int = 8) -> str:
    samples, frames = top_frames(raw, count)
    lines = [f"py-spy --gil: {samples} samples holding the GIL; top frames (inclusive share):"]
    lines += [f"  {share:5.1%}  {frame}" for frame, share in frames]
    return "\n".join(lines)
