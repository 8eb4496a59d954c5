"""Background work: the job queue seam and the progress event bus."""
