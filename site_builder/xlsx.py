"""A minimal, deterministic XLSX (SpreadsheetML) writer for one-sheet tables.

Why not openpyxl for writing: it took 1.15 s of a 1.5 s build for the 38 example tables
(≈30 ms per small sheet, mostly style hashing and temp files), and it stamps the current time
into the archive. This writer covers exactly what the downloads need — inline strings,
numbers with per-cell number formats, bold, centring, indent, merged cells, a frozen header —
in ≈5 ms per table (0.2 s for the 38 tables), byte-identical on every run. Tests read the files back with openpyxl.
"""

from __future__ import annotations

import functools
import io
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
TEXT_FORMAT = "@"


@dataclass(frozen=True)
class Style:
    number_format: str | None = None  # None: General; "@": text
    bold: bool = False
    size: int = 11
    center: bool = False
    wrap: bool = False
    indent: int = 0


@dataclass
class Sheet:
    """Cells by (row, column), both 1-based; values are str or Decimal."""

    title: str
    cells: dict[tuple[int, int], tuple[str | Decimal, Style]] = field(default_factory=dict)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    frozen_rows: int = 0
    column_width: int = 16

    def set(self, row: int, col: int, value: str | Decimal | None, style: Style = Style()) -> None:
        if value is not None and value != "":
            self.cells[(row, col)] = (value, style)

    def merge(self, row: int, col: int, last_row: int, last_col: int) -> None:
        self.merges.append((row, col, last_row, last_col))


@functools.cache
def column_letter(n: int) -> str:
    letters = ""
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def write_xlsx(sheet: Sheet, when: tuple[int, int, int, int, int, int]) -> bytes:
    """The workbook as bytes; every archive member carries the timestamp `when`."""
    styles = _Styles()
    sheet_xml = _sheet_xml(sheet, styles)
    members = {
        "[Content_Types].xml": _CONTENT_TYPES,
        "_rels/.rels": _ROOT_RELS,
        "xl/workbook.xml": _workbook(sheet.title),
        "xl/_rels/workbook.xml.rels": _WORKBOOK_RELS,
        "xl/styles.xml": styles.xml(),
        "xl/worksheets/sheet1.xml": sheet_xml,
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in members.items():
            info = zipfile.ZipInfo(name, date_time=when)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, text.encode("utf-8"))
    return out.getvalue()


def _sheet_xml(sheet: Sheet, styles: _Styles) -> str:
    rows: dict[int, list[str]] = {}
    for (r, c), (value, style) in sorted(sheet.cells.items()):
        ref = f"{column_letter(c)}{r}"
        s = styles.index(style)
        if isinstance(value, Decimal):
            cell = f'<c r="{ref}" s="{s}"><v>{value:f}</v></c>'
        else:
            text = escape(_ILLEGAL.sub("", value))
            cell = f'<c r="{ref}" s="{s}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'
        if r in rows:
            rows[r].append(cell)
        else:
            rows[r] = [cell]
    width = max((c for _, c in sheet.cells), default=1)
    parts = [f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{MAIN_NS}">',
             "<sheetViews><sheetView workbookViewId=\"0\">"]
    if sheet.frozen_rows:
        top = f"A{sheet.frozen_rows + 1}"
        parts.append(f'<pane ySplit="{sheet.frozen_rows}" topLeftCell="{top}" activePane="bottomLeft" '
                     'state="frozen"/>')
    parts.append("</sheetView></sheetViews><sheetFormatPr defaultRowHeight=\"15\"/>")
    parts.append(f'<cols><col min="1" max="{width}" width="{sheet.column_width}" customWidth="1"/></cols>')
    parts.append("<sheetData>")
    parts.extend(f'<row r="{r}">{"".join(cells)}</row>' for r, cells in sorted(rows.items()))
    parts.append("</sheetData>")
    if sheet.merges:
        refs = "".join(f'<mergeCell ref="{column_letter(c1)}{r1}:{column_letter(c2)}{r2}"/>'
                       for r1, c1, r2, c2 in sheet.merges)
        parts.append(f'<mergeCells count="{len(sheet.merges)}">{refs}</mergeCells>')
    parts.append("</worksheet>")
    return "".join(parts)


class _Styles:
    """Collects the styles a sheet uses and writes styles.xml with one cellXf per style."""

    def __init__(self) -> None:
        self.styles: list[Style] = [Style()]
        self.ids: dict[Style, int] = {Style(): 0}
        self.formats: dict[str, int] = {}
        self.seen: dict[int, tuple[Style, int]] = {}  # by id(): hashing a Style costs more

    def index(self, style: Style) -> int:
        hit = self.seen.get(id(style))
        if hit is not None and hit[0] is style:
            return hit[1]
        number = self._index(style)
        self.seen[id(style)] = (style, number)
        return number

    def _index(self, style: Style) -> int:
        if style not in self.ids:
            self.ids[style] = len(self.styles)
            self.styles.append(style)
            fmt = style.number_format
            if fmt and fmt != TEXT_FORMAT and fmt not in self.formats:
                self.formats[fmt] = 164 + len(self.formats)
        return self.ids[style]

    def xml(self) -> str:
        fonts = sorted({(s.bold, s.size) for s in self.styles}, key=lambda f: (f != (False, 11), f))
        font_xml = "".join(f'<font>{"<b/>" if b else ""}<sz val="{sz}"/><name val="Calibri"/></font>'
                           for b, sz in fonts)
        fmt_xml = "".join(f'<numFmt numFmtId="{i}" formatCode={quoteattr(code)}/>'
                          for code, i in self.formats.items())
        xfs = "".join(self._xf(s, fonts.index((s.bold, s.size))) for s in self.styles)
        formats = f'<numFmts count="{len(self.formats)}">{fmt_xml}</numFmts>' if self.formats else ""
        return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet xmlns="{MAIN_NS}">'
                f"{formats}"
                f'<fonts count="{len(fonts)}">{font_xml}</fonts>'
                '<fills count="2"><fill><patternFill patternType="none"/></fill>'
                '<fill><patternFill patternType="gray125"/></fill></fills>'
                '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
                '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
                f'<cellXfs count="{len(self.styles)}">{xfs}</cellXfs>'
                '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
                "</styleSheet>")

    def _xf(self, s: Style, font: int) -> str:
        builtin = {None: 0, TEXT_FORMAT: 49}  # General, Text
        fmt = builtin[s.number_format] if s.number_format in builtin else self.formats[s.number_format]
        align = ""
        if s.center or s.wrap or s.indent:
            attrs = (' horizontal="center" vertical="center"' if s.center else "") + \
                    (' wrapText="1"' if s.wrap else "") + (f' indent="{s.indent}"' if s.indent else "")
            align = f"<alignment{attrs}/>"
        flags = (' applyNumberFormat="1"' if fmt else "") + (' applyFont="1"' if font else "") + \
                (' applyAlignment="1"' if align else "")
        return (f'<xf numFmtId="{fmt}" fontId="{font}" fillId="0" borderId="0" xfId="0"{flags}>'
                f"{align}</xf>" if align else
                f'<xf numFmtId="{fmt}" fontId="{font}" fillId="0" borderId="0" xfId="0"{flags}/>')


def _workbook(title: str) -> str:
    name = quoteattr(re.sub(r"[\[\]:*?/\\]", "", title)[:31] or "Sheet1")
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="{MAIN_NS}" '
            f'xmlns:r="{REL_NS}"><sheets><sheet name={name} sheetId="1" r:id="rId1"/></sheets></workbook>')


_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "</Types>")
_ROOT_RELS = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{PKG_REL}">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>')
_WORKBOOK_RELS = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{PKG_REL}">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'styles" Target="styles.xml"/></Relationships>')
