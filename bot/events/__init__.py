"""Discord Scheduled Events for upcoming races: a pure planner and the sync service that carries it out."""
