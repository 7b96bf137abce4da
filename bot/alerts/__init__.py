"""Race alerts: a pure planner, a paced sender, and the service that runs them on APScheduler."""
