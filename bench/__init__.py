"""Benchmarks (not tests): `python -m bench`; figures in bench/README.md."""
