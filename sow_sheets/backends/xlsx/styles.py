"""The few cell styles the worker needs, found in or appended to ``xl/styles.xml``.

The worker needs a bold header (on a light fill for the tabs it creates), a ``DD-MM-YYYY``
date, wrapped text, a link and the row colours of ``model/layout.py`` (differential
formats). It looks for each in the workbook's own styles first and appends only what is
missing, after everything that is there, so every style index in the workbook keeps meaning
what it meant: a workbook that already holds them keeps ``styles.xml`` byte for byte.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sow_sheets.model.layout import (
    HEADER_COLOUR,
    OPEN_ITEM_COLOUR,
    OPEN_SIGNAL_COLOUR,
    OVERDUE_COLOUR,
    SOON_COLOUR,
)

DATE_FORMAT = "DD-MM-YYYY"
LINK_COLOUR = "1155CC"
# Every fill a row colour rule of the layout policy may use (differential formats).
ROW_COLOURS = (OVERDUE_COLOUR, SOON_COLOUR, OPEN_SIGNAL_COLOUR, OPEN_ITEM_COLOUR)

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"

BASE_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<styleSheet xmlns="{MAIN_NS}">'
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


@dataclass(frozen=True)
class WorkerStyles:
    """Indexes into the workbook's cell formats (``s=``) and differential formats (``dxfId``)."""

    bold: int
    date: int
    header: int = 0  # bold on the header colour
    wrap: int = 0  # wrapped, top-aligned text
    bold_wrap: int = 0
    link: int = 0  # blue, underlined
    fills: dict[str, int] = field(default_factory=dict)  # RRGGBB → dxfId


class _Styles:
    """Text-level edits of one styles part, keeping its prefix (``x:`` or none)."""

    def __init__(self, text: str) -> None:
        self.text = text
        root = re.search(r"<(\w+:)?styleSheet\b", text)
        self.p = root.group(1) or "" if root else ""

    def block(self, name: str) -> re.Match[str] | None:
        p = re.escape(self.p)
        return re.search(
            rf"<{p}{name}\b[^>]*?(?:/>|>(.*?)</{p}{name}>)", self.text, flags=re.DOTALL
        )

    def items(self, block: str, item: str) -> list[str]:
        match = self.block(block)
        if match is None or not match.group(1):
            return []
        p = re.escape(self.p)
        return re.findall(
            rf"<{p}{item}\b[^>]*?(?:/>|>.*?</{p}{item}>)", match.group(1), flags=re.DOTALL
        )

    def append(self, block: str, item: str, xml: str, before: tuple[str, ...]) -> int:
        """Append ``xml`` as the last ``item`` of ``block`` (created if absent); its index."""
        count = len(self.items(block, item))
        match = self.block(block)
        if match is None:
            p = self.p
            new = f'<{p}{block} count="1">{xml}</{p}{block}>'
            at = self._position(before)
            self.text = self.text[:at] + new + self.text[at:]
            return 0
        whole = match.group(0)
        opening = re.match(r"<[^>]*?(?=/?>)", whole)
        assert opening is not None
        head = re.sub(r'\scount="\d+"', "", opening.group(0)) + f' count="{count + 1}">'
        body = match.group(1) or ""
        new = f"{head}{body}{xml}</{self.p}{block}>"
        self.text = self.text[: match.start()] + new + self.text[match.end() :]
        return count

    def ensure(self, block: str, item: str, xml: str, before: tuple[str, ...]) -> int:
        """The index of the ``item`` written exactly as ``xml``, appended when absent."""
        items = self.items(block, item)
        if xml in items:
            return items.index(xml)
        return self.append(block, item, xml, before)

    def _position(self, before: tuple[str, ...]) -> int:
        """Where a missing block goes: before the first of ``before`` present, else the end."""
        for name in before:
            match = re.search(rf"<{re.escape(self.p)}{name}\b", self.text)
            if match:
                return match.start()
        end = self.text.rindex(f"</{self.p}styleSheet>")
        return end


_AFTER_FONTS = ("fills", "borders", "cellStyleXfs", "cellXfs", "cellStyles", "dxfs")
_AFTER_FILLS = _AFTER_FONTS[1:]
_AFTER_NUMFMTS = ("fonts", *_AFTER_FONTS)
_AFTER_CELLXFS = ("cellStyles", "dxfs", "tableStyles", "colors", "extLst")
_AFTER_DXFS = ("tableStyles", "colors", "extLst")


def _attr(xml: str, name: str) -> str | None:
    match = re.search(rf'\b{name}="([^"]*)"', xml)
    return match.group(1) if match else None


def ensure_styles(text: str) -> tuple[str, WorkerStyles]:
    """The styles part with the worker's styles present, and their indexes."""
    styles = _Styles(text)
    p = styles.p
    fonts = styles.items("fonts", "font")
    bold_font = next(
        (i for i, f in enumerate(fonts) if re.search(rf"<{p}b\s*/>|<{p}b\s+val=\"(1|true)\"", f)),
        None,
    )
    formats = {
        _attr(f, "formatCode"): _attr(f, "numFmtId") for f in styles.items("numFmts", "numFmt")
    }
    xfs = styles.items("cellXfs", "xf")

    def find_xf(num_fmt: str, font: str) -> int | None:
        for i, xf in enumerate(xfs):
            same = _attr(xf, "numFmtId") == num_fmt and _attr(xf, "fontId") in (font, None)
            plain = _attr(xf, "fillId") in (None, "0") and _attr(xf, "borderId") in (None, "0")
            if same and plain:
                return i
        return None

    bold = None if bold_font is None else find_xf("0", str(bold_font))
    if bold is None:
        if bold_font is None:
            base = fonts[0] if fonts else f"<{p}font></{p}font>"
            inner = re.sub(rf"^<{p}font\b[^>]*?(/>|>)", "", base)
            inner = re.sub(rf"</{p}font>$", "", inner) if not base.endswith("/>") else ""
            bold_font = styles.append(
                "fonts", "font", f"<{p}font><{p}b/>{inner}</{p}font>", _AFTER_FONTS
            )
        bold = styles.append(
            "cellXfs",
            "xf",
            f'<{p}xf numFmtId="0" fontId="{bold_font}" fillId="0" borderId="0" xfId="0" '
            'applyFont="1"/>',
            _AFTER_CELLXFS,
        )
        xfs = styles.items("cellXfs", "xf")
    fmt_id = formats.get(DATE_FORMAT)
    date = None if fmt_id is None else find_xf(fmt_id, "0")
    if date is None:
        if fmt_id is None:
            used = [int(v) for v in formats.values() if v and v.isdigit()]
            fmt_id = str(max([163, *used]) + 1)
            styles.append(
                "numFmts",
                "numFmt",
                f'<{p}numFmt numFmtId="{fmt_id}" formatCode="{DATE_FORMAT}"/>',
                _AFTER_NUMFMTS,
            )
        date = styles.append(
            "cellXfs",
            "xf",
            f'<{p}xf numFmtId="{fmt_id}" fontId="0" fillId="0" borderId="0" xfId="0" '
            'applyNumberFormat="1"/>',
            _AFTER_CELLXFS,
        )
    dxfs = styles.items("dxfs", "dxf")

    def dxf(colour: str) -> int:
        for i, item in enumerate(dxfs):
            if f'rgb="FF{colour}"' in item:
                return i
        return styles.append(
            "dxfs",
            "dxf",
            f'<{p}dxf><{p}fill><{p}patternFill patternType="solid"><{p}fgColor rgb="FF{colour}"/>'
            f'<{p}bgColor rgb="FF{colour}"/></{p}patternFill></{p}fill></{p}dxf>',
            _AFTER_DXFS,
        )

    fills = {}
    for colour in ROW_COLOURS:
        fills[colour] = dxf(colour)
        dxfs = styles.items("dxfs", "dxf")
    fill = styles.ensure(
        "fills",
        "fill",
        f'<{p}fill><{p}patternFill patternType="solid"><{p}fgColor rgb="FF{HEADER_COLOUR}"/>'
        f'<{p}bgColor indexed="64"/></{p}patternFill></{p}fill>',
        _AFTER_FILLS,
    )
    link_font = styles.ensure(
        "fonts",
        "font",
        f'<{p}font><{p}u/><{p}sz val="11"/><{p}color rgb="FF{LINK_COLOUR}"/>'
        f'<{p}name val="Calibri"/><{p}family val="2"/></{p}font>',
        _AFTER_FONTS,
    )
    wrap = f'<{p}alignment vertical="top" wrapText="1"/>'

    def xf(font: int, fill_id: int = 0, alignment: str = "") -> int:
        applied = ' applyFont="1"' if font else ""
        applied += ' applyFill="1"' if fill_id else ""
        if alignment:
            return styles.ensure(
                "cellXfs",
                "xf",
                f'<{p}xf numFmtId="0" fontId="{font}" fillId="{fill_id}" borderId="0" xfId="0"'
                f'{applied} applyAlignment="1">{alignment}</{p}xf>',
                _AFTER_CELLXFS,
            )
        return styles.ensure(
            "cellXfs",
            "xf",
            f'<{p}xf numFmtId="0" fontId="{font}" fillId="{fill_id}" borderId="0" xfId="0"'
            f"{applied}/>",
            _AFTER_CELLXFS,
        )

    bold_font = int(_attr(styles.items("cellXfs", "xf")[bold], "fontId") or 0)
    found = WorkerStyles(
        bold,
        date,
        header=xf(bold_font, fill),
        wrap=xf(0, 0, wrap),
        bold_wrap=xf(bold_font, 0, f'<{p}alignment wrapText="1"/>'),  # labels sit on the row below
        link=xf(link_font),
        fills=fills,
    )
    return styles.text, found
