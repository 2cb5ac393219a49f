"""Inputs are UTF-8 without a byte-order mark: a BOM, or bytes in another encoding, stop the build with a
message naming the file, the row (line), the byte offset and the encoding the bytes look like, and nothing
built is written. No Python exception name reaches the user."""
import csv
import re

from conftest import build_in_process

ITEMS = "curation/items.csv"
TABLE = "printed/table_2.1.csv"


def published(out):
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def refused(source_copy, good_build, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    for rel, data in published(good_build).items():
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_bytes(data)
    before = published(out)
    result = build_in_process(source_copy, out)
    assert result.returncode != 0
    assert published(out) == before
    message = result.stderr.strip()
    assert "Traceback" not in message
    assert not re.search(r"\b[A-Z][A-Za-z]*(Error|Exception)\b", message), message
    return message


def test_a_byte_order_mark_is_refused_naming_the_file(source_copy, good_build, tmp_path):
    path = source_copy / TABLE
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    message = refused(source_copy, good_build, tmp_path)
    # the whole file's problem, said plainly: no row, column or value that would be empty or beside the point
    assert message.startswith(f"error: transcription/{TABLE} starts with a UTF-8 byte-order mark "
                              "(bytes EF BB BF at byte 0)"), message
    assert not re.search(r"\b(row|column|value)\b|''", message), message
    assert "save it as 'UTF-8'" in message, message


def test_a_cp1252_input_is_refused_naming_line_byte_and_encoding(source_copy, good_build, tmp_path):
    path = source_copy / ITEMS
    text = path.read_text(encoding="utf-8")
    data = text.encode("cp1252")
    path.write_bytes(data)
    # the first character that cp1252 writes differently from UTF-8: where the message must point
    first = next(i for i, ch in enumerate(text) if ord(ch) > 127)
    offset = len(text[:first].encode("utf-8"))
    line = text[:first].count("\n") + 1
    prefix = text[text.rfind("\n", 0, first) + 1:first]  # the row up to that character
    heading = next(csv.reader([text.splitlines()[0]]))[len(next(csv.reader([prefix]))) - 1]
    message = refused(source_copy, good_build, tmp_path)
    assert message.startswith(f"error: transcription/{ITEMS}, row {line}, column {heading!r}, "), message
    assert f"byte {offset}" in message, message
    assert f"0x{data[offset]:02X}" in message, message
    assert "cp1252" in message, message


def test_utf16_is_refused_and_named(source_copy, good_build, tmp_path):
    path = source_copy / TABLE
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16"))
    message = refused(source_copy, good_build, tmp_path)
    assert message.startswith(f"error: transcription/{TABLE}, row 1, "), message
    assert "byte 0" in message and "utf_16" in message, message


def test_one_latin1_byte_in_a_utf8_file_is_found(source_copy, good_build, tmp_path):
    path = source_copy / TABLE
    lines = path.read_bytes().split(b"\n")
    lines[3] = lines[3].replace(b"Negative", b"N\xe9gative", 1)  # row 4, the first column
    path.write_bytes(b"\n".join(lines))
    offset = sum(len(x) + 1 for x in lines[:3]) + 1
    message = refused(source_copy, good_build, tmp_path)
    assert message.startswith(f"error: transcription/{TABLE}, row 4, column '', value 'N\\\\xe9gative"), message
    assert f"byte {offset} " in message and "0xE9" in message, message
