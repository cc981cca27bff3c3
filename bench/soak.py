"""Memory soak: 50 busy sessions for 10 minutes on one server process, its RSS sampled every 5 s.

Without Streamlit's post-run gc.collect(2) (.streamlit/config.toml) garbage is collected only by Python's own
generational thresholds; this checks that memory does not creep up because of that. Reported: RSS at the start of
the stepping (10 sessions warm), the peak, and the least-squares slope over the last 5 minutes beside the noise
(the residuals' standard deviation). Targets: peak below 600 MB, and growth over the last 5 minutes by the slope
within twice the noise. BENCH_SOAK_MINUTES shortens it (the verdict then covers the last half).

Run: .venv/bin/python -m bench.soak
"""

from __future__ import annotations

import asyncio
import os
import statistics

from bench.load import LoadConfig, log_exceptions, run_load
from bench.server import running_server

SESSIONS = 50
PEAK_LIMIT_MB = 600.0
SAMPLE_EVERY_S = 5.0


def trend(samples: list[tuple[float, float]]) -> tuple[float, float]:
    """(slope in MB per minute, residual standard deviation in MB) of (seconds, MB) readings."""
    times = [t for t, _ in samples]
    values = [v for _, v in samples]
    slope, intercept = statistics.linear_regression(times, values)
    residuals = [v - (slope * t + intercept) for t, v in samples]
    return slope * 60, statistics.pstdev(residuals)


def main() -> dict[str, object]:
    minutes = float(os.environ.get("BENCH_SOAK_MINUTES", 10))
    load_before = os.getloadavg()[0]
    config = LoadConfig(sessions=SESSIONS, duration=minutes * 60, ramp=30.0, sample_every=SAMPLE_EVERY_S)
    with running_server() as server:
        result = asyncio.run(run_load(server.url, lambda: {"server": server.pid}, config))
        exceptions = log_exceptions(server.log)
        if result["errors"] or exceptions:
            server.keep_log = True
            print(f"server log kept: {server.log}")
    samples = [(t, mb) for t, mb in result["rss_samples"] if t >= 0]
    window = minutes * 60 / 2
    tail = [(t, mb) for t, mb in samples if t >= samples[-1][0] - window]
    slope, noise = trend(tail)
    growth = slope * window / 60
    start, peak = samples[0][1], max(mb for _, mb in samples)
    flat = abs(growth) <= 2 * noise
    print(
        f"soak: {SESSIONS} sessions, {minutes:g} min on one server, RSS every {SAMPLE_EVERY_S:g} s "
        f"({len(samples)} readings); 1-min load average before {load_before:.2f}, after {os.getloadavg()[0]:.2f}"
    )
    print(
        f"RSS start {start:.0f} MB, peak {peak:.0f} MB, end {samples[-1][1]:.0f} MB; last {window / 60:g} min: "
        f"slope {slope:+.2f} MB/min ({growth:+.1f} MB over the window), noise (residual sd) {noise:.1f} MB"
    )
    print(
        f"page runs {result['runs']} ({result['runs_per_s']:.2f}/s), p95 {result['p95_s']:.2f} s, errors "
        f"{result['errors']}, sessions held {result['sessions_held']}/{SESSIONS}, server exceptions "
        f"{sum(exceptions.values())}"
    )
    print(
        f"target (peak < {PEAK_LIMIT_MB:.0f} MB, growth within twice the noise): "
        f"{'met' if peak < PEAK_LIMIT_MB and flat else 'NOT met'}"
    )
    for line in result["error_list"][:10]:
        print(f"  error: {line}")
    for line, count in exceptions.most_common(5):
        print(f"  server log, {count}x: {line}")
    print(
        "RSS (MB) by minute: "
        + ", ".join(f"{t / 60:.0f}: {mb:.0f}" for t, mb in samples if round(t) % 60 < SAMPLE_EVERY_S)
    )
    return {
        "minutes": minutes,
        "rss_start_mb": start,
        "rss_peak_mb": peak,
        "rss_end_mb": samples[-1][1],
        "slope_mb_per_min": slope,
        "noise_mb": noise,
        "flat": flat,
        "runs_per_s": result["runs_per_s"],
        "p95_s": result["p95_s"],
        "errors": result["errors"],
        "load_before": load_before,
    }


if __name__ == "__main__":
    main()
