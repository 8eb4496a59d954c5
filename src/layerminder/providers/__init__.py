"""AI providers behind small Protocols: design images and story writing."""
