"""Trivia built from the store: questions, a generator over sourced facts, and a Discord-free game session."""
