"""The in-tree PEP 517 build backend of the ``cloudnexus`` package: standard library only.

The package is pure Python with no dependencies, so building it needs nothing from a package index: pip runs
this backend (``backend-path`` in pyproject.toml) and ``pip install --no-index ./sdks/python`` works in a fresh
venv, with or without build isolation, whatever setuptools the interpreter has (none on Python 3.12+).

The metadata is the ``[project]`` table of pyproject.toml (the one place for it), read with ``tomllib``
(Python 3.11+; on 3.9/3.10 ``tomli`` or pip's vendored copy). The wheel holds every file of the ``cloudnexus``
package directory (no ``__pycache__``); the sdist holds what the wheel is built from.
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import tarfile
import zipfile
from pathlib import Path
from typing import Dict, List, Optional, Tuple

ROOT = Path(__file__).resolve().parent.parent
TAG = "py3-none-any"


def _toml():
    try:
        import tomllib  # Python 3.11+

        return tomllib
    except ImportError:
        pass
    try:
        import tomli

        return tomli
    except ImportError:
        pass
    try:
        from pip._vendor import tomli

        return tomli
    except ImportError:
        raise RuntimeError(
            "Building cloudnexus needs a TOML reader: Python 3.11+, or tomli, or pip install --no-build-isolation"
        ) from None


def _project() -> dict:
    with open(ROOT / "pyproject.toml", "rb") as f:
        return _toml().load(f)["project"]


def _dist_name(project: dict) -> str:
    return project["name"].replace("-", "_")


def _metadata(project: dict) -> str:
    lines = [
        "Metadata-Version: 2.1",
        "Name: %s" % project["name"],
        "Version: %s" % project["version"],
    ]
    if "description" in project:
        lines.append("Summary: %s" % project["description"])
    if "license" in project:
        lines.append("License: %s" % project["license"].get("text", ""))
    if "requires-python" in project:
        lines.append("Requires-Python: %s" % project["requires-python"])
    for dependency in project.get("dependencies", []):
        lines.append("Requires-Dist: %s" % dependency)
    for classifier in project.get("classifiers", []):
        lines.append("Classifier: %s" % classifier)
    body = ""
    readme = project.get("readme")
    if readme:
        lines.append("Description-Content-Type: text/markdown")
        body = (ROOT / readme).read_text(encoding="utf-8")
    return "\n".join(lines) + "\n\n" + body


def _package_files(project: dict) -> List[Tuple[str, Path]]:
    package = ROOT / _dist_name(project)
    files = []
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
            files.append((path.relative_to(ROOT).as_posix(), path))
    return files


def _record_line(name: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode("ascii")
    return "%s,sha256=%s,%d" % (name, digest, len(data))


def _write_wheel(wheel_directory: str, entries: List[Tuple[str, bytes]], project: dict) -> str:
    dist = "%s-%s" % (_dist_name(project), project["version"])
    info = dist + ".dist-info"
    entries = entries + [
        (info + "/METADATA", _metadata(project).encode("utf-8")),
        (info + "/WHEEL", ("Wheel-Version: 1.0\nGenerator: cloudnexus_build\nRoot-Is-Purelib: true\nTag: %s\n" % TAG).encode()),
    ]
    record = [_record_line(name, data) for name, data in entries] + [info + "/RECORD,,"]
    entries.append((info + "/RECORD", ("\n".join(record) + "\n").encode("utf-8")))
    filename = "%s-%s.whl" % (dist, TAG)
    with zipfile.ZipFile(os.path.join(wheel_directory, filename), "w", zipfile.ZIP_DEFLATED) as whl:
        for name, data in entries:
            whl.writestr(zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED)
    return filename


# --- PEP 517 / PEP 660 hooks -------------------------------------------------------------------------------------


def get_requires_for_build_wheel(config_settings: Optional[Dict] = None) -> List[str]:
    return []


def get_requires_for_build_sdist(config_settings: Optional[Dict] = None) -> List[str]:
    return []


def get_requires_for_build_editable(config_settings: Optional[Dict] = None) -> List[str]:
    return []


def build_wheel(wheel_directory: str, config_settings: Optional[Dict] = None, metadata_directory: Optional[str] = None) -> str:
    project = _project()
    return _write_wheel(wheel_directory, [(name, path.read_bytes()) for name, path in _package_files(project)], project)


def build_editable(wheel_directory: str, config_settings: Optional[Dict] = None, metadata_directory: Optional[str] = None) -> str:
    project = _project()
    pth = (str(ROOT) + "\n").encode("utf-8")
    return _write_wheel(wheel_directory, [("_%s_editable.pth" % _dist_name(project), pth)], project)


def build_sdist(sdist_directory: str, config_settings: Optional[Dict] = None) -> str:
    project = _project()
    dist = "%s-%s" % (_dist_name(project), project["version"])
    files = [("pyproject.toml", ROOT / "pyproject.toml"), ("_build/cloudnexus_build.py", Path(__file__).resolve())]
    if project.get("readme"):
        files.append((project["readme"], ROOT / project["readme"]))
    files += _package_files(project)
    filename = dist + ".tar.gz"
    with tarfile.open(os.path.join(sdist_directory, filename), "w:gz", format=tarfile.PAX_FORMAT) as tar:
        for name, path in files:
            tar.add(str(path), arcname=dist + "/" + name, recursive=False)
        pkg_info = _metadata(project).encode("utf-8")
        member = tarfile.TarInfo(dist + "/PKG-INFO")
        member.size = len(pkg_info)
        tar.addfile(member, io.BytesIO(pkg_info))
    return filename
