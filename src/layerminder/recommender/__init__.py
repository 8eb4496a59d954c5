"""Image/text embedders and the FAISS index behind recommendations and library search."""
