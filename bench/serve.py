"""`make serve` under load: the load test (bench/load.py) through HAProxy and one replica per core.

Scenarios, each on a freshly started proxy and replicas (every replica warmed with one session per page first):
  steady   100 sessions changing controls every 2-6 s;
  meeting  100 sessions open one shared deep link within 20 s, then browse;
  killed   the meeting again, with the busiest replica killed (SIGKILL) 30 s in;
  stretch  200 steady sessions.
Targets (this 2-core machine): 100 sessions, 0 errors, p95 under 1 s in steady and meeting; 200
sessions p95 under 2 s as the stretch. BENCH_SERVE_REPLICAS overrides the replica count (default: cores).

Run: .venv/bin/python -m bench.serve
"""

from __future__ import annotations

import os

from bench import load

DURATION_S = 60
SCENARIOS = {
    "steady": ["--scenario", "steady", "--sessions", "100"],
    "meeting": ["--scenario", "meeting", "--sessions", "100"],
    "killed": ["--scenario", "meeting", "--sessions", "100", "--kill-after", "30"],
    "stretch": ["--scenario", "steady", "--sessions", "200"],
}


def main() -> dict[str, object]:
    replicas = int(os.environ.get("BENCH_SERVE_REPLICAS") or os.cpu_count() or 1)
    figures: dict[str, object] = {}
    for name, args in SCENARIOS.items():
        print(f"\n-- {name} --", flush=True)
        result = load.main([*args, "--replicas", str(replicas), "--duration", str(DURATION_S)])
        figures.update({f"{name}_{key}": value for key, value in result.items()})
    return figures


if __name__ == "__main__":
    main()
