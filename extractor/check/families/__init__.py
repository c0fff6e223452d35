"""Rule families. Each module has ``run(ctx) -> list[Finding]`` (one report) and some a
``run_many(reports) -> list[Finding]`` (several reports of one department)."""
