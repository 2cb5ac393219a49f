"""pipeline/transcription.py refuses an input that is not UTF-8 without a byte-order mark, naming the row, the
column, the byte and the encoding the file looks like (tests/test_input_encoding.py: through the build).
Offsets below are counted by hand on the bytes written."""
import pytest
from package_frames import ROOT

from pipeline import transcription as t


def refusal(tmp_path, data: bytes) -> t.TranscriptionError:
    path = tmp_path / "x.csv"
    path.write_bytes(data)
    with pytest.raises(t.TranscriptionError) as e:
        t.check_encoding(path, "transcription/x.csv")
    return e.value


def test_a_latin1_byte_is_named_by_row_column_value_and_offset(tmp_path):
    # a , b \n x , c a f \xe9 _ n o i r \n: the byte at 9 of the file, 5 of its row (which starts at 4)
    e = refusal(tmp_path, b"a,b\nx,caf\xe9 noir\ny,z\n")
    assert (e.path, e.row, e.column, e.value) == ("transcription/x.csv", 2, "b", "caf\\xe9 noir")
    assert e.problem.startswith("byte 9 of the file (byte 5 of the row), 0xE9, is not UTF-8")
    assert e.problem.endswith(": save it as UTF-8")
    # the last byte of the file, no newline after it; a row longer than the header has no column to name
    e = refusal(tmp_path, b"a\nx,y\xe9")
    assert (e.row, e.column, e.value) == (2, "", "y\\xe9")
    assert e.problem.startswith("byte 5 of the file (byte 3 of the row), 0xE9, is not UTF-8")
    e = refusal(tmp_path, b"h\xe9llo,b\n")
    assert (e.row, e.column, e.value) == (1, "h\\xe9llo", "h\\xe9llo")
    assert e.problem.startswith("byte 1 of the file (byte 1 of the row), 0xE9")


def test_the_encoding_it_looks_like(tmp_path):
    # the items' labels saved from a Western code page: charset-normalizer finds several that read them alike
    text = (ROOT / "transcription/curation/items.csv").read_text(encoding="utf-8")
    e = refusal(tmp_path, text.encode("cp1252"))
    assert "; the file looks like cp1252 (" in e.problem and e.problem.endswith(" read it alike): save it as UTF-8")
    found = t.looks_like(text.encode("cp1252"))
    first, _, rest = found.partition(" (")
    others = rest.removesuffix(" read it alike)").split(", ")
    assert first == "cp1252" and len(others) >= 1 and others == sorted(others) and "cp1252" not in others
    assert t.looks_like(text.encode("utf-16")) == "utf_16"  # one reading only: no list
    assert t.looks_like(bytes(range(256)) * 3) == ""  # no encoding reads every byte as text


def test_a_byte_order_mark_is_refused_for_the_whole_file(tmp_path):
    e = refusal(tmp_path, b"\xef\xbb\xbfa,b\nx,y\n")
    assert (e.path, e.row, e.column, e.value) == ("transcription/x.csv", None, None, None)
    assert e.problem.startswith("starts with a UTF-8 byte-order mark (bytes EF BB BF at byte 0)")
    path = tmp_path / "ok.csv"
    path.write_bytes("a,b\nx,é\n".encode("utf-8"))
    assert t.check_encoding(path, "ok.csv") is None
