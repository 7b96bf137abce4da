"""Fault suite: kills, locks, corrupt files, fuzzed payloads, two processes on one database."""
