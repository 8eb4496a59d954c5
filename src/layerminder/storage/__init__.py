"""Object storage behind a small Protocol: a local folder, S3-compatible buckets, memory."""
