"""The xlsx zip package: find a tab's worksheet part, replace parts, add tabs, save atomically.

A save copies every part it does not change as the very bytes it was stored as (compressed
data included, no re-compression) and writes the changed parts in their place, so pictures,
charts, pivot caches, Excel tables, comments, custom XML and the calculation chain survive
as they were. The new package is saved atomically (``files.py``).
"""

from __future__ import annotations

import copy
import os
import posixpath
import re
import struct
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO
from xml.etree import ElementTree
from xml.sax.saxutils import quoteattr, unescape

from sow_sheets.backends.xlsx.files import save_atomically
from sow_sheets.backends.xlsx.layout import REL_NS
from sow_sheets.backends.xlsx.styles import BASE_STYLES
from sow_sheets.model.errors import BackendError

PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
WORKSHEET_TYPE = REL_NS + "/worksheet"
STYLES_TYPE = REL_NS + "/styles"
WORKSHEET_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
STYLES_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"
WORKBOOK_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
_LOCAL_HEADER = struct.Struct("<4s5H3L2H")
_LEVEL = 6  # zipfile's default deflate level
_SELECTED = re.compile(r'(<(?:\w+:)?sheetView\b[^>]*?)\stabSelected="(?:1|true)"')


@dataclass(frozen=True)
class Deflated:
    """A part compressed as it was made (raw deflate, its CRC-32 and size): a national
    worker tab is held at a tenth of its size until the save."""

    data: bytes
    crc: int
    size: int

    def inflate(self) -> bytes:
        return zlib.decompress(self.data, -15)


def deflate(chunks: Iterable[str]) -> Deflated:
    """UTF-8 text made piece by piece, compressed piece by piece."""
    packer = zlib.compressobj(_LEVEL, zlib.DEFLATED, -15)
    out: list[bytes] = []
    crc = size = 0
    for chunk in chunks:
        raw = chunk.encode("utf-8")
        crc = zlib.crc32(raw, crc)
        size += len(raw)
        out.append(packer.compress(raw))
    out.append(packer.flush())
    return Deflated(b"".join(out), crc, size)


@dataclass
class Package:
    """An open xlsx package: its members, where each tab's worksheet part is, and edits."""

    path: Path
    zf: zipfile.ZipFile
    workbook: str  # e.g. "xl/workbook.xml"
    sheets: dict[str, str]  # tab title → part name, worksheets only, in workbook order
    changed: dict[str, bytes | Deflated] = field(default_factory=dict)

    @classmethod
    def open(cls, path: Path) -> Package:
        zf = zipfile.ZipFile(path)
        try:
            workbook = _main_part(zf)
            rels = _relationships(zf, workbook)
            root = ElementTree.fromstring(zf.read(workbook))
            sheets: dict[str, str] = {}
            for sheet in root.iter():
                if not sheet.tag.endswith("}sheet"):
                    continue
                rel = sheet.get(f"{{{REL_NS}}}id")
                target = rels.get(rel or "")
                if target is not None and target[1] == WORKSHEET_TYPE:
                    sheets[sheet.get("name", "")] = target[0]
        except Exception:
            zf.close()
            raise
        return cls(path, zf, workbook, sheets)

    def close(self) -> None:
        self.zf.close()

    def read(self, name: str) -> bytes:
        if name in self.changed:
            part = self.changed[name]
            return part.inflate() if isinstance(part, Deflated) else part
        return self.zf.read(name)

    def head(self, name: str, marker: bytes = b"sheetData", limit: int = 1 << 20) -> str:
        """A part's text before ``marker`` (at most ``limit`` bytes), without inflating the
        rest: what comes before a worksheet's cells (views, columns) of a huge part."""
        if name in self.changed:
            data = self.read(name)
        else:
            data = b""
            with self.zf.open(name) as stream:
                while len(data) < limit and marker not in data:
                    chunk = stream.read(1 << 16)
                    if not chunk:
                        break
                    data += chunk
        found = data.find(marker)
        return data[: found if found >= 0 else limit].decode("utf-8", errors="ignore")

    def has(self, name: str) -> bool:
        return name in self.changed or name in self.zf.NameToInfo

    def styles_part(self) -> str:
        """The styles part's name, adding a minimal one when the workbook has none."""
        for target, kind in _relationships(self, self.workbook).values():
            if kind == STYLES_TYPE:
                return target
        name = posixpath.join(posixpath.dirname(self.workbook), "styles.xml")
        self.changed[name] = BASE_STYLES.encode()
        self.relate(self.workbook, STYLES_TYPE, name)
        self.add_content_type(name, STYLES_CT)
        return name

    def add_sheet(self, title: str, xml: Iterable[str]) -> str:
        """A new worksheet part for ``title`` (its XML in pieces), listed last in the
        workbook; its part name."""
        folder = posixpath.join(posixpath.dirname(self.workbook), "worksheets")
        number = 1
        while self.has(f"{folder}/sheet{number}.xml"):
            number += 1
        name = f"{folder}/sheet{number}.xml"
        self.changed[name] = deflate(xml)
        rel_id = self.relate(self.workbook, WORKSHEET_TYPE, name)
        self.add_content_type(name, WORKSHEET_CT)
        text = self.read(self.workbook).decode("utf-8")
        root = re.search(r"<(\w+:)?workbook\b", text)
        p = (root.group(1) or "") if root else ""
        bound = re.search(rf'xmlns:(\w+)="{re.escape(REL_NS)}"', text)
        ids = [int(i) for i in re.findall(r'\bsheetId="(\d+)"', text)]
        entry = _sheet_entry(p, title, max([0, *ids]) + 1, rel_id, bound.group(1) if bound else "")
        end = text.rfind(f"</{p}sheets>")
        if end < 0:
            raise BackendError("the workbook has no sheet list the worker can add a tab to")
        self.changed[self.workbook] = (text[:end] + entry + text[end:]).encode("utf-8")
        self.sheets[title] = name
        return name

    def move_first(self, title: str) -> None:
        """List ``title`` first and make it the tab that opens: the workbook view points at
        it, tab-local names follow their tabs, other tabs lose their selection."""
        text = self.read(self.workbook).decode("utf-8")
        root = re.search(r"<(\w+:)?workbook\b", text)
        p = re.escape((root.group(1) or "") if root else "")
        entries = list(re.finditer(rf"<{p}sheet\b[^>]*?/>", text))
        moving = next((e for e in entries if _name_of(e.group(0)) == title), None)
        if moving is None or not entries or moving.start() == entries[0].start():
            return
        old = [_name_of(e.group(0)) for e in entries]
        new_order = [title, *(t for t in old if t != title)]
        index = {t: new_order.index(t) for t in old}
        text = text[: moving.start()] + text[moving.end() :]
        text = text[: entries[0].start()] + moving.group(0) + text[entries[0].start() :]

        def local(match: re.Match[str]) -> str:
            number = int(match.group(1))
            moved = index[old[number]] if number < len(old) else number
            return f'localSheetId="{moved}"'

        text = re.sub(r'localSheetId="(\d+)"', local, text)
        text = re.sub(r'\s(activeTab|firstSheet)="\d+"', "", text)
        text = re.sub(rf"<{p}workbookView\b", lambda m: m.group(0) + ' activeTab="0"', text)
        self.changed[self.workbook] = text.encode("utf-8")
        for other, part in self.sheets.items():
            # Only a tab that is selected is rewritten (tens of megabytes for a national
            # Gesprekken); its sheet views come before its cells, so the head tells.
            if other == title or not _SELECTED.search(self.head(part)):
                continue
            sheet = self.read(part).decode("utf-8")
            plain = _SELECTED.sub(r"\1", sheet)
            if plain != sheet:
                self.changed[part] = plain.encode("utf-8")
        self.sheets = {title: self.sheets[title], **self.sheets}

    def relate(self, source: str, kind: str, target: str) -> str:
        """Add a relationship of ``kind`` from part ``source`` ("" = the package) to part
        ``target``, its rels part made if absent; the new relationship's id."""
        name = _rels_name(source) if source else "_rels/.rels"
        if self.has(name):
            text = self.read(name).decode("utf-8")
        else:
            text = (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                f'<Relationships xmlns="{PKG_REL_NS}"></Relationships>'
            )
        used = set(re.findall(r'\bId="([^"]*)"', text))
        number = 1
        while f"rId{number}" in used:
            number += 1
        rel_id = f"rId{number}"
        relative = posixpath.relpath(target, posixpath.dirname(source))
        root = re.search(r"<(\w+:)?Relationships\b", text)
        p = (root.group(1) or "") if root else ""
        entry = f'<{p}Relationship Id="{rel_id}" Type="{kind}" Target={quoteattr(relative)}/>'
        end = text.rfind(f"</{p}Relationships>")
        self.changed[name] = (text[:end] + entry + text[end:]).encode("utf-8")
        return rel_id

    def add_content_type(self, part: str, content_type: str) -> None:
        """List a new part in ``[Content_Types].xml``."""
        text = self.read("[Content_Types].xml").decode("utf-8")
        root = re.search(r"<(\w+:)?Types\b", text)
        p = (root.group(1) or "") if root else ""
        entry = f'<{p}Override PartName="/{part}" ContentType="{content_type}"/>'
        end = text.rfind(f"</{p}Types>")
        self.changed["[Content_Types].xml"] = (text[:end] + entry + text[end:]).encode("utf-8")

    def save(self) -> None:
        """Write the package with its changes beside the workbook, fsync, rename over it."""
        save_atomically(self.path, lambda handle: self._write(handle))

    def _write(self, handle: BinaryIO) -> None:
        out = zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED)
        written = set()
        with open(self.path, "rb") as source:
            for info in self.zf.infolist():
                written.add(info.filename)
                if info.filename in self.changed:
                    new = copy.copy(info)
                    new.compress_type = zipfile.ZIP_DEFLATED
                    _write_part(out, new, self.changed[info.filename])
                else:
                    _copy_raw(source, info, out)
        for name, data in self.changed.items():
            if name not in written:
                _write_part(out, zipfile.ZipInfo(name, (2026, 1, 1, 0, 0, 0)), data)
        out.close()


def _name_of(entry: str) -> str:
    match = re.search(r'\bname="([^"]*)"', entry)
    return unescape(match.group(1), {"&quot;": '"', "&apos;": "'"}) if match else ""


def _sheet_entry(p: str, title: str, sheet_id: int, rel_id: str, r_prefix: str) -> str:
    if r_prefix:
        return f'<{p}sheet name={quoteattr(title)} sheetId="{sheet_id}" {r_prefix}:id="{rel_id}"/>'
    return (
        f'<{p}sheet name={quoteattr(title)} sheetId="{sheet_id}" '
        f'xmlns:r="{REL_NS}" r:id="{rel_id}"/>'
    )


def _write_part(out: zipfile.ZipFile, info: zipfile.ZipInfo, part: bytes | Deflated) -> None:
    """One changed or new part: compressed now, or already (``Deflated``) and stored as is."""
    if not isinstance(part, Deflated):
        out.writestr(info, part, zipfile.ZIP_DEFLATED, _LEVEL)
    elif part.size >= zipfile.ZIP64_LIMIT or len(part.data) >= zipfile.ZIP64_LIMIT:
        out.writestr(info, part.inflate(), zipfile.ZIP_DEFLATED, _LEVEL)  # pragma: no cover
    else:
        info.compress_type = zipfile.ZIP_DEFLATED
        info.CRC, info.file_size, info.compress_size = part.crc, part.size, len(part.data)
        _store(out, info, part.data)


def _copy_raw(source: BinaryIO, info: zipfile.ZipInfo, out: zipfile.ZipFile) -> None:
    """Copy one member's stored (compressed) bytes unchanged: no inflate, no deflate."""
    if info.flag_bits & 0x1 or info.file_size >= zipfile.ZIP64_LIMIT:
        out.writestr(copy.copy(info), _read_member(source, info))  # pragma: no cover
        return
    source.seek(info.header_offset)
    header = _LOCAL_HEADER.unpack(source.read(_LOCAL_HEADER.size))
    source.seek(header[-2] + header[-1], os.SEEK_CUR)
    _store(out, copy.copy(info), source.read(info.compress_size))


def _store(out: zipfile.ZipFile, new: zipfile.ZipInfo, data: bytes) -> None:
    """Put a member whose compressed bytes, CRC and sizes are known into ``out``."""
    new.flag_bits &= ~0x08  # sizes go in the local header: no data descriptor after the data
    new.extra = b""
    raw: Any = out  # the zipfile module's own bookkeeping for a member written by hand
    new.header_offset = raw.fp.tell()
    raw.fp.write(new.FileHeader(False))
    raw.fp.write(data)
    raw.filelist.append(new)
    raw.NameToInfo[new.filename] = new
    raw.start_dir = raw.fp.tell()


def _read_member(source: BinaryIO, info: zipfile.ZipInfo) -> bytes:  # pragma: no cover
    source.seek(info.header_offset)
    header = _LOCAL_HEADER.unpack(source.read(_LOCAL_HEADER.size))
    source.seek(header[-2] + header[-1], os.SEEK_CUR)
    data = source.read(info.compress_size)
    if info.compress_type == zipfile.ZIP_DEFLATED:
        return zlib.decompress(data, -15)
    return data


def _main_part(zf: zipfile.ZipFile | Package) -> str:
    """The workbook part the package relationships name (usually ``xl/workbook.xml``)."""
    for target, kind in _relationships(zf, "").values():
        if kind.endswith("/officeDocument"):
            return target
    raise KeyError("officeDocument")


def _rels_name(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", f"{name}.rels")


def _relationships(zf: zipfile.ZipFile | Package, part: str) -> dict[str, tuple[str, str]]:
    """Relationship id → (target part name, type) of ``part`` ("" = the package)."""
    name = _rels_name(part) if part else "_rels/.rels"
    try:
        data = zf.read(name)
    except KeyError:
        return {}
    base = posixpath.dirname(part)
    out: dict[str, tuple[str, str]] = {}
    for rel in ElementTree.fromstring(data):
        if rel.get("TargetMode") == "External":
            continue
        target = rel.get("Target", "")
        if target.startswith("/"):
            full = target.lstrip("/")
        else:
            full = posixpath.normpath(posixpath.join(base, target))
        out[rel.get("Id", "")] = (full, rel.get("Type", ""))
    return out
