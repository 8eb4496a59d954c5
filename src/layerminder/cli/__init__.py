"""The `layerminder` command line (Typer)."""
