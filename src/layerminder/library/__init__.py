"""The reference library: curated images, their vectors, and the index recommendations search."""
