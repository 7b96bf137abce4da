"""Charts as PNG attachments: picklable specs, matplotlib renderers (Agg, no pyplot), a process-pool renderer."""
