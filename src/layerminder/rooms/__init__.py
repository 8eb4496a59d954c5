"""Rooms (the seed's LayerRoom): create, list, rename, share publicly, archive, pins."""
