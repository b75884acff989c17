"""Rendering: jobs, cache keys, a worker process per lesson, atomic commit of the results."""
