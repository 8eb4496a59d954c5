"""Design objects: each design's model in 3D, its GLB, dimensioned drawings, parts list,
buildability checks and views sheet."""
