"""Reading delimited, JSON-lines and Parquet files into rows of dicts.

The readers behind :func:`skltext.datasets.load_table`: they find the format
and delimiter, decode the text with a message that points at the byte that
does not fit the encoding, and refuse repeated column names.
"""

import csv
import gzip
import io
import json
import sys

__all__ = ["detect_format", "read_delimited", "read_jsonl", "read_parquet", "read_text"]

_FORMATS = {".csv": "csv", ".tsv": "tsv", ".tab": "tsv", ".jsonl": "jsonl", ".ndjson": "jsonl",
            ".json": "jsonl", ".parquet": "parquet", ".pq": "parquet"}

def read_text(path, encoding):
    """The whole text of ``path`` (gunzipped when its name ends in .gz).

    A byte that is not valid in ``encoding`` is reported with its line and
    offset, and the message suggests naming the file's encoding.
    """
    data = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    codec = "utf-8-sig" if encoding.lower().replace("_", "-") in ("utf-8", "utf8") else encoding
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ValueError(
            f"{path}, line {line}, byte {column} of the line (offset {exc.start} in the file): "
            f"0x{data[exc.start]:02x} is not valid {encoding}. The file is in another encoding; name it "
            "with encoding (--encoding on the command line), e.g. 'cp1252' or 'latin-1' for Western European "
            "files saved by Excel."
        ) from None
    except LookupError:
        raise ValueError(f"Unknown encoding {encoding!r}; use a name Python knows, e.g. 'utf-8', 'cp1252', "
                         "'latin-1'.") from None


def detect_format(path, format):
    if format != "auto":
        if format not in set(_FORMATS.values()):
            raise ValueError(f"format must be 'auto' or one of {sorted(set(_FORMATS.values()))}, got {format!r}.")
        return format
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    if suffixes and suffixes[-1] in _FORMATS:
        return _FORMATS[suffixes[-1]]
    raise ValueError(f"{path}: cannot tell the file format from its name; use a name ending in "
                     f"{', '.join(sorted(_FORMATS))} (optionally followed by .gz), or pass format.")


_DELIMITERS = (",", "\t", ";", "|")


def _sniff_delimiter(text, default, header):
    """The field delimiter of a delimited file: the candidate the header line has most of.

    Without a header, :class:`csv.Sniffer` decides on the first lines; the
    format's ``default`` is kept when nothing points elsewhere.
    """
    first = text.split("\n", 1)[0]
    if header:
        counts = {candidate: first.count(candidate) for candidate in _DELIMITERS}
        if counts[default]:
            return default
        best = max(counts, key=counts.get)
        return best if counts[best] else default
    try:
        return csv.Sniffer().sniff(text[:65536], delimiters="".join(_DELIMITERS)).delimiter
    except csv.Error:
        return default


def read_delimited(path, delimiter, *, default=",", encoding="utf-8", header=True, names=None):
    """Rows and columns of a CSV or TSV file, with a header line unless ``header`` is False.

    A ``delimiter`` of None is read from the file (``default`` when in doubt).
    """
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))  # documents can be long
    text = read_text(path, encoding)
    if not text.strip():
        raise ValueError(f"{path} is empty: expected a header line naming the columns, then one row "
                         "per document.")
    if delimiter is None:
        delimiter = _sniff_delimiter(text, default, header)
    elif len(delimiter) != 1:
        raise ValueError(f"delimiter must be one character, got {delimiter!r}.")
    lines = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    if header:
        columns = [name.strip() for name in next(lines)]
        if names is not None:
            raise ValueError("columns names the columns of a file without a header line; this file has one "
                             f"({', '.join(map(repr, columns))}).")
    rows = [row for row in lines if row]
    if not header:
        width = max((len(row) for row in rows), default=0)
        columns = list(names) if names is not None else [f"column{i}" for i in range(1, width + 1)]
        if len(columns) < width:
            raise ValueError(f"{path} has {width} columns on some rows but columns names {len(columns)}: "
                             f"{', '.join(map(repr, columns))}.")
    _check_unique(columns, path)
    return [dict(zip(columns, row)) for row in rows], columns


def _check_unique(columns, path):
    seen = {}
    for position, name in enumerate(columns, start=1):
        if name in seen:
            raise ValueError(f"{path}: the column name {name!r} appears twice (columns {seen[name]} and "
                             f"{position}); rename one, so that each column has its own name.")
        seen[name] = position


def read_jsonl(path, required=(), encoding="utf-8"):
    """Rows (dicts) of a JSON-lines file and the columns seen in them, in order of appearance.

    A row without one of the ``required`` keys is refused with its line number.
    """
    rows, columns = [], {}
    for number, line in enumerate(read_text(path, encoding).split("\n"), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path}, line {number}: not valid JSON ({exc}).") from None
        if not isinstance(row, dict):
            raise ValueError(f"{path}, line {number}: expected a JSON object, got {type(row).__name__}.")
        missing = [key for key in required if key not in row]
        if missing:
            raise ValueError(f"{path}, line {number}: expected a JSON object with "
                             f"{' and '.join(map(repr, required))}; {missing[0]!r} is missing.")
        rows.append(row)
        columns.update(dict.fromkeys(row))
    return rows, list(columns)


def read_parquet(path):
    import pyarrow.parquet as pq

    table = pq.read_table(path)
    _check_unique(table.column_names, path)
    return table.to_pylist(), list(table.column_names)
