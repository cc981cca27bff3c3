"""Benchmarks: each module prints ratios measured in one run (the machines are noisy)."""
