"""Reading and writing the tables school administrations exchange: CSV and XLSX.

Reusable by every import (school offering, people, grades). Reading:

    table = read_table(upload, columns=[Column("number", "Leerlingnummer", ("stamnummer", "leerlingnr")), ...])
    for row in table.rows:            # Row(line=2, data={"number": "123456", ...})
        row.get("number")

* CSV separated by ``;`` (what Dutch Excel writes), ``,`` or a tab: sniffed from the first lines;
  UTF-8 with or without BOM, else Windows-1252 (old Excel, Magister/SOMtoday exports).
* XLSX (first worksheet), by extension or by content.
* Headers are matched loosely: case, accents, spaces, dots, dashes and underscores do not matter
  (``Leerling-nr.`` == ``leerlingnr``), and each Column lists its aliases. Unknown columns are
  ignored (listed in ``table.ignored``); a missing required column is a `TableError`.
* A cell that `safe_cell` escaped ("'=...") is read back without the apostrophe.
* Every row keeps its line number as the user sees it (header = line 1; in XLSX the sheet row).
  Empty rows are skipped.

Writing: ``safe_cell`` neutralises formula injection (a cell starting with = + - @ or a tab/CR is
prefixed with an apostrophe); ``write_csv`` / ``write_xlsx`` / ``table_response`` use it for
every cell.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

MAX_ROWS = 50_000
XLSX_MAGIC = b"PK\x03\x04"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class TableError(ValueError):
    """The file as a whole cannot be read (format, encoding, missing columns); Dutch message."""

    def __init__(self, nl: str, en: str = ""):
        self.nl = nl
        self.en = en or nl
        super().__init__(nl)


@dataclass(frozen=True)
class Column:
    """A column an import understands: a key for the code, a Dutch label, aliases as exports spell it."""

    key: str
    label: str
    aliases: tuple[str, ...] = ()
    required: bool = True

    def names(self) -> set[str]:
        return {normalise_header(n) for n in (self.key, self.label, *self.aliases)}


@dataclass
class Row:
    line: int
    data: dict[str, str]

    def get(self, key: str, default: str = "") -> str:
        value = self.data.get(key)
        return default if value is None or value == "" else value


@dataclass
class Table:
    rows: list[Row]
    headers: list[str]
    columns: dict[str, str] = field(default_factory=dict)  # key -> header as found in the file
    ignored: list[str] = field(default_factory=list)
    format: str = "csv"
    encoding: str = ""
    delimiter: str = ""


def normalise_header(text: str) -> str:
    """Lower case, no accents, only letters and digits: 'Leerling-nr.' -> 'leerlingnr'."""
    text = unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]", "", text.lower())


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _decode(raw: bytes) -> tuple[str, str]:
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8"), "utf-8-sig"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16"), "utf-16"
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace"), "cp1252"


def _sniff_delimiter(text: str) -> str:
    sample = "\n".join(text.splitlines()[:20])
    try:
        return csv.Sniffer().sniff(sample, delimiters=";,\t").delimiter
    except csv.Error:
        first = text.splitlines()[0] if text else ""
        counts = {d: first.count(d) for d in (";", ",", "\t")}
        best = max(counts, key=counts.get)
        return best if counts[best] else ";"


def _raw_csv(raw: bytes) -> tuple[list[tuple[int, list[str]]], str, str]:
    text, encoding = _decode(raw)
    if "\x00" in text:
        raise TableError("Dit bestand is geen CSV- of Excelbestand (xlsx) dat Maatwerk kan lezen.",
                         "Not a CSV or XLSX file.")
    delimiter = _sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows, start = [], 1
    try:
        for record in reader:
            rows.append((start, [c.strip() for c in record]))
            start = reader.line_num + 1
            if len(rows) > MAX_ROWS + 1:
                raise TableError(f"Het bestand heeft meer dan {MAX_ROWS} regels; splits het op.", "Too many rows.")
    except csv.Error as exc:
        raise TableError(f"Regel {start}: het bestand is geen geldige CSV ({exc}).", f"Invalid CSV: {exc}") from exc
    return rows, encoding, delimiter


def _raw_xlsx(raw: bytes) -> list[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a broken file
        raise TableError("Het Excelbestand kan niet worden gelezen. Sla het op als .xlsx of als CSV.",
                         "The XLSX file cannot be read.") from exc
    try:
        sheet = workbook.worksheets[0]
        rows = []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            rows.append((number, [_cell_text(v) for v in values]))
            if len(rows) > MAX_ROWS + 1:
                raise TableError(f"Het bestand heeft meer dan {MAX_ROWS} regels; splits het op.", "Too many rows.")
        return rows
    finally:
        workbook.close()


def read_bytes(upload) -> tuple[bytes, str]:
    """The content and name of an uploaded file, a path-like, bytes or a text string."""
    if isinstance(upload, bytes):
        return upload, ""
    if isinstance(upload, str):
        return upload.encode("utf-8"), ""
    if hasattr(upload, "read"):
        if hasattr(upload, "seek"):
            upload.seek(0)
        raw = upload.read()
        return (raw.encode("utf-8") if isinstance(raw, str) else raw), getattr(upload, "name", "") or ""
    with open(upload, "rb") as fh:  # a path
        return fh.read(), str(upload)


def read_table(upload, *, columns: Sequence[Column] = (), filename: str | None = None) -> Table:
    """Read a CSV or XLSX upload into rows with line numbers; map headers to `columns` when given."""
    raw, name = read_bytes(upload)
    name = (filename or name or "").lower()
    if not raw.strip():
        raise TableError("Het bestand is leeg.", "The file is empty.")
    if name.endswith(".xls") and not raw.startswith(XLSX_MAGIC):
        raise TableError("Oude Excelbestanden (.xls) kan Maatwerk niet lezen: sla het op als .xlsx of CSV.",
                         "Old .xls files are not supported.")
    if raw.startswith(XLSX_MAGIC) or name.endswith(".xlsx"):
        records, fmt, encoding, delimiter = _raw_xlsx(raw), "xlsx", "", ""
    else:
        records, encoding, delimiter = _raw_csv(raw)
        fmt = "csv"
    records = [(n, cells) for n, cells in records if any(c for c in cells)]
    if not records:
        raise TableError("Het bestand is leeg.", "The file is empty.")
    _, headers = records[0]
    table = Table(rows=[], headers=headers, format=fmt, encoding=encoding, delimiter=delimiter)
    index = _map_columns(headers, columns, table) if columns else {h: i for i, h in enumerate(headers) if h}
    for line, cells in records[1:]:
        data = {key: unescape_cell(cells[i] if i < len(cells) else "") for key, i in index.items()}
        table.rows.append(Row(line=line, data=data))
    return table


def _map_columns(headers: list[str], columns: Sequence[Column], table: Table) -> dict[str, int]:
    index: dict[str, int] = {}
    normalised = [normalise_header(h) for h in headers]
    for column in columns:
        names = column.names()
        for i, h in enumerate(normalised):
            if h and h in names and i not in index.values():
                index[column.key] = i
                table.columns[column.key] = headers[i]
                break
    missing = [c.label for c in columns if c.required and c.key not in index]
    if missing:
        found = ", ".join(h for h in headers if h) or "geen"
        raise TableError(
            f"Kolom{'men' if len(missing) > 1 else ''} ontbreekt: {', '.join(missing)}. "
            f"Gevonden kolommen: {found}.",
            f"Missing column(s): {', '.join(missing)}.")
    used = set(index.values())
    table.ignored = [h for i, h in enumerate(headers) if h and i not in used]
    return index


# --- writing ---------------------------------------------------------------------------------------

def safe_cell(value):
    """A cell value that a spreadsheet will not run as a formula ('=1+1' -> "'=1+1").
    Numbers, dates and booleans pass unchanged; None becomes ''."""
    if value is None:
        return ""
    if isinstance(value, bool | int | float | Decimal | dt.date):
        return value
    text = str(value)
    if text.startswith(FORMULA_START):
        return "'" + text
    return text


def unescape_cell(text: str) -> str:
    """Undo `safe_cell` when reading our own export back: "'=1+1" -> "=1+1" (stored as text, never run)."""
    if len(text) > 1 and text[0] == "'" and text[1:].startswith(FORMULA_START):
        return text[1:]
    return text


def write_csv(headers: Sequence[str], rows: Iterable[Sequence], *, delimiter: str = ";") -> bytes:
    """CSV as Dutch Excel opens it: UTF-8 with BOM, ';' between cells, every cell made safe."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([safe_cell(h) for h in headers])
    for row in rows:
        writer.writerow([_csv_value(safe_cell(v)) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _csv_value(value):
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, float | Decimal):
        return str(value).replace(".", ",")
    return value


def write_xlsx(headers: Sequence[str], rows: Iterable[Sequence], *, title: str = "Blad1") -> bytes:
    """An XLSX workbook with one sheet; strings are written as text and made safe."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=re.sub(r"[\[\]:*?/\\]", "", title)[:31] or "Blad1")
    sheet.append([safe_cell(h) for h in headers])
    for row in rows:
        sheet.append([safe_cell(v) for v in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def table_response(filename: str, headers: Sequence[str], rows: Iterable[Sequence], fmt: str = "csv"):
    """An HttpResponse with the table as a download (fmt 'csv' or 'xlsx')."""
    from django.http import HttpResponse

    fmt = "xlsx" if fmt == "xlsx" else "csv"
    body = write_xlsx(headers, rows, title=filename) if fmt == "xlsx" else write_csv(headers, rows)
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    safe_name = re.sub(r"[^A-Za-z0-9._-]", "-", filename)
    response["Content-Disposition"] = f'attachment; filename="{safe_name}.{fmt}"'
    return response
