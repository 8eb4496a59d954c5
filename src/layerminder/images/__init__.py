"""Images: validated uploads, stored bytes, metadata and signed URLs."""
