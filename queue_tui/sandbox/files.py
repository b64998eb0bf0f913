"""Attachment files for seeded tickets: small but real PDFs, CSVs, PNGs and text files.

A downloaded seed attachment opens in a viewer: a one-page PDF with the text given, a CSV,
a 1x1 PNG. `make_attachment` builds the `Attachment` with a MIME type from the file name.
"""

from __future__ import annotations

import mimetypes
import struct
import zlib
from datetime import datetime

from queue_tui.sandbox.state import Attachment, World


def pdf(text: str) -> bytes:
    """A one-page PDF showing `text`, one line per line."""
    lines = [ln.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") for ln in text.splitlines() or [""]]
    ops = "BT /F1 11 Tf 56 780 Td 14 TL " + " ".join(f"({ln}) '" for ln in lines) + " ET"
    objs = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 842] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(ops.encode('latin-1', 'replace'))} >>\nstream\n{ops}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for n, body in enumerate(objs, start=1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n{body}\nendobj\n".encode("latin-1", "replace")
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


def png() -> bytes:
    """A 1x1 white PNG."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00\xff\xff\xff")) + chunk(b"IEND", b"")


def content_for(filename: str, text: str) -> bytes:
    low = filename.lower()
    if low.endswith(".pdf"):
        return pdf(text)
    if low.endswith(".png"):
        return png()
    return text.encode()


def mime_type(filename: str) -> str:
    return mimetypes.guess_type(filename)[0] or "application/octet-stream"


def make_attachment(w: World, filename: str, author: str, created: datetime, text: str = "",
                    content: bytes | None = None, mime: str | None = None) -> Attachment:
    data = content if content is not None else content_for(filename, text or filename)
    return Attachment(w.next_attachment_id(), filename, mime or mime_type(filename), data, author, created)
