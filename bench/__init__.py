"""Benchmarks for Antrian: run by hand or `make bench` (`python -m bench.run_all`), never as tests.

Everything here uses the standard library only (plus the project's own venv for the server and
psycopg for creating throw-away PostgreSQL databases). See bench/README.md.
"""
