"""Benchmarks and the synthetic data they generate (not part of the wheel)."""
