#!/usr/bin/env python3
"""Writes the save/load benchmark image: a docker-archive tarball (the layout `docker save`
wrote before Docker 25: manifest.json, <config>.json, <layer>/layer.tar, repositories) with
LAYERS uncompressed layers of random data. Random data does not compress, so this is the
worst case for any tool that compresses and the plain case for everyone else.

Usage: make-image.py OUT.tar [--layers 4] [--layer-mb 75] [--files-per-layer 5] [--tag bench:latest]

Sizes are MiB (1 MiB = 1048576 bytes). The default image is 4 x 75 MiB = 300 MiB of file
data (~315 MB). The archive is written beside OUT and renamed into place.
"""
import argparse
import hashlib
import io
import json
import os
import sys
import tarfile

MTIME = 1700000000  # fixed, so the tar headers are stable; the data is random anyway
CHUNK = 1 << 20


def layer_tar(index, layer_bytes, files):
    """One layer: data/layer<N>/ with `files` random files, plus a small text file."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for d in ("data/", f"data/layer{index}/"):
            info = tarfile.TarInfo(d.rstrip("/"))
            info.type = tarfile.DIRTYPE
            info.mode = 0o755
            info.mtime = MTIME
            tar.addfile(info)
        per_file = layer_bytes // files
        for f in range(files):
            size = per_file if f < files - 1 else layer_bytes - per_file * (files - 1)
            info = tarfile.TarInfo(f"data/layer{index}/blob{f}.bin")
            info.size = size
            info.mode = 0o644
            info.mtime = MTIME
            tar.addfile(info, io.BytesIO(os.urandom(size)))
        note = f"layer {index}: {files} files of random data\n".encode()
        info = tarfile.TarInfo(f"data/layer{index}/README")
        info.size = len(note)
        info.mode = 0o644
        info.mtime = MTIME
        tar.addfile(info, io.BytesIO(note))
    return buf.getvalue()


def add_bytes(tar, name, data):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = 0o644
    info.mtime = MTIME
    tar.addfile(info, io.BytesIO(data))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("out")
    p.add_argument("--layers", type=int, default=4)
    p.add_argument("--layer-mb", type=int, default=75)
    p.add_argument("--files-per-layer", type=int, default=5)
    p.add_argument("--tag", default="bench:latest")
    a = p.parse_args()

    out = os.path.abspath(a.out)
    tmp = out + ".tmp"
    diff_ids, history = [], []
    with open(tmp, "wb") as f, tarfile.open(fileobj=f, mode="w", format=tarfile.PAX_FORMAT) as tar:
        layer_paths = []
        for i in range(a.layers):
            data = layer_tar(i, a.layer_mb << 20, a.files_per_layer)
            hexd = hashlib.sha256(data).hexdigest()
            diff_ids.append("sha256:" + hexd)
            history.append({"created": "2024-01-01T00:00:00Z", "created_by": f"/bin/sh -c #(nop) ADD random data {i}"})
            d = tarfile.TarInfo(hexd)
            d.type = tarfile.DIRTYPE
            d.mode = 0o755
            d.mtime = MTIME
            tar.addfile(d)
            add_bytes(tar, f"{hexd}/VERSION", b"1.0")
            add_bytes(tar, f"{hexd}/layer.tar", data)
            layer_paths.append(f"{hexd}/layer.tar")
            del data
            print(f"  layer {i + 1}/{a.layers}: sha256:{hexd[:12]}", file=sys.stderr)

        config = {
            "architecture": "amd64",
            "os": "linux",
            "created": "2024-01-01T00:00:00Z",
            "config": {
                "Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
                "Cmd": ["/bin/sh"],
                "Labels": {"org.containerps.bench": "save-load"},
            },
            "rootfs": {"type": "layers", "diff_ids": diff_ids},
            "history": history,
        }
        config_bytes = json.dumps(config, separators=(",", ":"), sort_keys=True).encode()
        config_hex = hashlib.sha256(config_bytes).hexdigest()
        add_bytes(tar, f"{config_hex}.json", config_bytes)
        manifest = [{"Config": f"{config_hex}.json", "RepoTags": [a.tag], "Layers": layer_paths}]
        add_bytes(tar, "manifest.json", json.dumps(manifest, separators=(",", ":")).encode())
        repo, _, tagname = a.tag.rpartition(":")
        add_bytes(tar, "repositories", json.dumps({repo: {tagname: layer_paths[-1].split("/")[0]}}).encode())
    os.replace(tmp, out)
    print(f"  image sha256:{config_hex[:12]} ({os.path.getsize(out)} bytes) -> {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
