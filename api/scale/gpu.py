"""CUDA libraries for GPU workers, from PyPI rather than a system install.

CTranslate2 (under faster-whisper) needs CUDA 12 cuBLAS and cuDNN 9 at run time. The optional
extra ``dn-scribe[gpu]`` installs NVIDIA's ``nvidia-cublas-cu12`` and ``nvidia-cudnn-cu12``
wheels, which put the shared libraries in ``site-packages/nvidia/*/lib``: a folder the dynamic
loader does not search. faster-whisper's documentation sets LD_LIBRARY_PATH to those folders
before Python starts; a worker that is already running loads them itself instead, with
RTLD_GLOBAL, before CTranslate2 asks for them, so that CTranslate2's own ``dlopen`` by name
finds them loaded (and LD_LIBRARY_PATH is set for any process it starts).
"""

from __future__ import annotations

import ctypes
import importlib.util
import os
from pathlib import Path

WHEEL_PACKAGES = ("nvidia.cublas.lib", "nvidia.cudnn.lib")


class CudaUnavailable(Exception):
    """``--device cuda`` on a machine where CTranslate2 sees no GPU."""


def wheel_library_dirs() -> list[Path]:
    """The library folders of the NVIDIA wheels that are installed (none without the extra)."""
    found = []
    for name in WHEEL_PACKAGES:
        try:
            spec = importlib.util.find_spec(name)
        except ModuleNotFoundError:  # the parent package (nvidia.cublas...) is absent
            continue
        for location in (spec.submodule_search_locations or []) if spec else []:
            if Path(location).is_dir():
                found.append(Path(location))
    return found


def preload_cuda_libraries() -> list[Path]:
    """Load every shared library of the wheels (cuBLAS Lt before cuBLAS, cuDNN's parts in an
    order that satisfies their dependencies); returns those loaded."""
    folders = wheel_library_dirs()
    if not folders:
        return []
    known = os.environ.get("LD_LIBRARY_PATH", "")
    os.environ["LD_LIBRARY_PATH"] = ":".join([*map(str, folders), *filter(None, [known])])
    pending = sorted(p for folder in folders for p in folder.glob("lib*.so*") if p.is_file())
    loaded: list[Path] = []
    while pending:  # a library whose dependencies are not loaded yet waits for the next round
        failed = []
        for path in pending:
            try:
                ctypes.CDLL(str(path), mode=ctypes.RTLD_GLOBAL)
                loaded.append(path)
            except OSError:
                failed.append(path)
        if len(failed) == len(pending):
            break
        pending = failed
    return loaded


def require_cuda() -> int:
    """Make the wheels' libraries loadable and check that CTranslate2 sees a GPU; how many."""
    preload_cuda_libraries()
    import ctranslate2

    count = int(ctranslate2.get_cuda_device_count())
    if count == 0:
        raise CudaUnavailable(
            "--device cuda: CTranslate2 sees no CUDA device here (is the NVIDIA driver "
            "installed? the CUDA libraries come with: pip install 'dn-scribe[gpu]')"
        )
    return count
