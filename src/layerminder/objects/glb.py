"""The design model as glTF 2.0 binary: metres, Y up, front towards +Z, one node per part and
one PBR material per material slot, named after the design's materials (trimesh writes it)."""

from __future__ import annotations

import numpy as np
import trimesh
from trimesh.visual.material import PBRMaterial

from layerminder.objects.model import DesignModel, ModelMaterial, ModelPart

# How each kind of material looks under PBR: (metallic, roughness).
_FINISH = {
    "metal": (1.0, 0.35),
    "lacquer": (0.0, 0.3),
    "stone": (0.0, 0.55),
    "wood": (0.0, 0.7),
    "fabric": (0.0, 0.95),
}


def part_mesh(part: ModelPart) -> trimesh.Trimesh:
    """A part's closed solid in centimetres, every face wound outwards: the two rings joined
    side by side, each ring capped by a fan (the rings are convex). Vertices are not shared
    between faces, so flat faces shade flat in any viewer."""
    bottom = np.asarray(part.bottom, dtype=float)
    top = np.asarray(part.top, dtype=float)
    sweep = top.mean(axis=0) - bottom.mean(axis=0)
    centred = bottom - bottom.mean(axis=0)
    area = np.cross(centred, np.roll(centred, -1, axis=0)).sum(axis=0)
    if float(area @ sweep) < 0:
        # Counter-clockwise about the sweep, so the winding below points outwards.
        bottom, top = bottom[::-1], top[::-1]
    n = len(bottom)
    vertices = np.concatenate([bottom, top])
    faces = []
    for i in range(n):
        j = (i + 1) % n
        faces += [(i, j, n + j), (i, n + j, n + i)]
    for i in range(1, n - 1):
        faces += [(n, n + i, n + i + 1), (0, i + 1, i)]
    mesh = trimesh.Trimesh(vertices=vertices, faces=np.array(faces), process=False)
    # Rings with repeated points give zero-area triangles; they add nothing to the solid.
    mesh.update_faces(mesh.nondegenerate_faces())
    mesh.remove_unreferenced_vertices()
    mesh.unmerge_vertices()
    return mesh


def _linear(srgb: float) -> float:
    """glTF's base colour factor is linear light; the design's colours are sRGB."""
    return srgb / 12.92 if srgb <= 0.04045 else ((srgb + 0.055) / 1.055) ** 2.4


def _material(material: ModelMaterial) -> PBRMaterial:
    metallic, roughness = _FINISH.get(material.kind, (0.0, 0.7))
    return PBRMaterial(
        name=material.name if material.slot == "frame" else f"{material.name} ({material.slot})",
        baseColorFactor=[*(_linear(c) for c in material.rgb), 1.0],
        metallicFactor=metallic,
        roughnessFactor=roughness,
        doubleSided=False,
    )


def model_scene(model: DesignModel) -> trimesh.Scene:
    scene = trimesh.Scene()
    materials = {m.slot: _material(m) for m in model.materials}
    for part in model.parts:
        mesh = part_mesh(part)
        mesh.apply_scale(0.01)  # cm to metres
        material = materials.get(part.material) or _material(model.material(part.material))
        mesh.visual = trimesh.visual.TextureVisuals(material=material)
        scene.add_geometry(mesh, node_name=part.name, geom_name=part.name)
    return scene


def model_glb(model: DesignModel) -> bytes:
    """The GLB bytes. Blocking (a few milliseconds per part)."""
    scene = model_scene(model)
    # trimesh writes the scene's metadata as the glTF scene's `extras`.
    scene.metadata.update(
        {
            "proxy": model.proxy,
            "source": model.source,
            "units": "metres",
            "width_m": model.width_cm / 100,
            "depth_m": model.depth_cm / 100,
            "height_m": model.height_cm / 100,
        }
    )
    data: bytes = scene.export(file_type="glb")
    return data
