"""Shared pieces of the importers (nascaR.data history, NASCAR feed): name resolution and sources."""
