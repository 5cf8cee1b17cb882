"""A site's message adapter as a real installed package, for tests.

`install_adapter` writes a module and its ``.dist-info`` (with the ``firstline.adapters``
entry point) into a directory; putting that directory on ``sys.path`` (or PYTHONPATH for a
server process) is what ``pip install`` of the package would amount to. The adapter opens a
relay's JSON envelope: ``{"relay": "ACME", "payload": "<the message in base64>"}``.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path

MODULE = "acme_envelope"
DISTRIBUTION = "acme-envelope"
VERSION = "1.0"
ENTRY = "acme-relay"

SOURCE = '''"""Opens the ACME relay's JSON envelope around PAXLST and PNRGOV pushes."""

import base64
import json

PREFIX = b'{"relay": "ACME"'


def unwrap(data: bytes) -> bytes | None:
    if not data.lstrip().startswith(PREFIX):
        return None
    return base64.b64decode(json.loads(data)["payload"], validate=True)
'''


def envelope(message: bytes) -> bytes:
    """`message` as the ACME relay delivers it."""
    payload = base64.b64encode(message).decode("ascii")
    return json.dumps({"relay": "ACME", "payload": payload}).encode("utf-8")


def install_adapter(directory: Path, *, source: str = SOURCE, target: str = "unwrap") -> Path:
    """The ACME adapter package installed in `directory` (created); returns `directory`."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / f"{MODULE}.py").write_text(source, encoding="utf-8")
    info = directory / f"{MODULE}-{VERSION}.dist-info"
    info.mkdir(exist_ok=True)
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {DISTRIBUTION}\nVersion: {VERSION}\n", encoding="utf-8"
    )
    (info / "entry_points.txt").write_text(
        f"[firstline.adapters]\n{ENTRY} = {MODULE}:{target}\n", encoding="utf-8"
    )
    return directory


__all__ = ["DISTRIBUTION", "ENTRY", "VERSION", "envelope", "install_adapter"]
