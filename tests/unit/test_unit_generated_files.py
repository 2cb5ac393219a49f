"""The committed files generated from schemas/ (CITATION.cff, README.md's lists, docs/data-dictionary.md) are what
the generators write, and the citation of the report reads as the report is cited."""
import pytest
from package_frames import ROOT

from pipeline import citation, readme


def test_citation_as_committed_and_the_report_as_cited():
    assert citation.render() == (ROOT / "CITATION.cff").read_text(encoding="utf-8")
    assert citation.main(["--check"]) == 0
    report = citation.cff()["references"][0]
    assert report == {"type": "report", "title": "Managing doctors, doctors managing",
                      "authors": [{"family-names": "Powell", "given-names": "Alison"},
                                  {"family-names": "Davies", "given-names": "Huw"}],
                      "year": 2016, "month": 11, "collection-title": "Research Report",
                      "publisher": {"name": "Nuffield Trust"},
                      "url": "https://www.nuffieldtrust.org.uk/research/managing-doctors-doctors-managing"}


def test_a_source_whose_title_cannot_be_read():
    with pytest.raises(ValueError, match="cannot read the report's title from 'Powell A'"):
        citation.report({"sources": [{"title": "Powell A", "version": "November 2016", "path": "x"}],
                         "contributors": []})


def test_a_stale_citation_is_named(monkeypatch, tmp_path, capsys):
    stale = tmp_path / "CITATION.cff"
    stale.write_text("cff-version: 1.2.0\n", encoding="utf-8")
    monkeypatch.setattr(citation, "PATH", stale)
    assert citation.main(["--check"]) == 1
    assert capsys.readouterr().err == "CITATION.cff is stale: run python -m pipeline.citation\n"
    # written afresh: the committed citation (the first test: as citation.render() writes it)
    assert citation.main([]) == 0 and stale.read_text(encoding="utf-8") == (ROOT / "CITATION.cff").read_text(
        encoding="utf-8")


def test_readme_and_dictionary_as_committed(monkeypatch, tmp_path, capsys):
    assert readme.main(["--check"]) == 0
    assert readme.first_sentence("One. Two.") == "One." and readme.first_sentence("Is it? Yes.") == "Is it?"
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme.render_readme(text) == text
    assert "| [`tables/survey_results.csv`](docs/data-dictionary.md#tablessurvey_resultscsv) |" in readme.resources_block()
    stale = tmp_path / "README.md"
    stale.write_text(text.replace("tables/claims.csv", "tables/claim.csv"), encoding="utf-8")
    monkeypatch.setattr(readme, "README", stale)
    monkeypatch.setattr(readme, "DICTIONARY", tmp_path / "data-dictionary.md")
    validation = tmp_path / "validation.md"
    validation.write_text((ROOT / "docs/validation.md").read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setattr(readme, "VALIDATION", validation)
    assert readme.main(["--check"]) == 1
    assert capsys.readouterr().err == "README.md, data-dictionary.md stale: run python -m pipeline.readme\n"
    assert readme.main([]) == 0
    assert stale.read_text(encoding="utf-8") == text
    assert (tmp_path / "data-dictionary.md").read_text(encoding="utf-8") == (
        ROOT / "docs/data-dictionary.md").read_text(encoding="utf-8")
    assert validation.read_text(encoding="utf-8") == (ROOT / "docs/validation.md").read_text(encoding="utf-8")


def test_person_names_split_at_the_last_space():
    assert citation.person("Mary Ann Smith") == {"family-names": "Smith", "given-names": "Mary Ann"}


def test_citation_keeps_accents_wraps_at_100_and_states_a_repository_only_when_set(monkeypatch):
    meta = {**citation.schemas.package_metadata(), "title": "Médecins", "description": " ".join(["word"] * 60)}
    monkeypatch.setattr(citation.schemas, "package_metadata", lambda: meta)
    monkeypatch.setattr(citation.schemas, "repository", lambda: None)
    text = citation.render()
    assert "title: Médecins\n" in text and "repository-code" not in text
    assert max(len(line) for line in text.splitlines() if line.startswith("  word")) == 101  # width=100
    assert list(citation.cff())[:3] == ["cff-version", "message", "type"]  # in the order written
    monkeypatch.setattr(citation.schemas, "repository", lambda: "https://example.org/repo")
    assert citation.cff()["repository-code"] == "https://example.org/repo"


def test_generated_sections_are_replaced_once_between_their_markers():
    assert readme.replace("a<B>x<E>b<B>y<E>c", "<B>", "<E>", "N") == "aNb<B>y<E>c"


def test_short_enums_are_listed_in_the_dictionary(monkeypatch):
    class Fake:
        @staticmethod
        def resource_names():
            return ["x"]

        @staticmethod
        def resource(name):
            return {"path": "tables/x.csv", "title": "X", "description": "Ds."}

        @staticmethod
        def schema(name):
            six, seven = list("abcdef"), list("abcdefg")
            return {"primaryKey": ["a", "b"], "fields": [
                {"name": "a", "type": "string", "description": "A.", "constraints": {"enum": six}},
                {"name": "b", "type": "integer", "description": "B.", "constraints": {"enum": seven}}]}
    monkeypatch.setattr(readme, "schemas", Fake)
    assert readme.dictionary().splitlines()[4:] == [
        "## tables/x.csv", "", "**X.** Ds. Key: a, b.", "", "| column | type | description |", "|---|---|---|",
        "| `a` | string | A. One of: `a`, `b`, `c`, `d`, `e`, `f`. |", "| `b` | integer | B. |"]


def test_the_descriptor_states_each_resources_bytes_and_hash_and_keeps_accents(monkeypatch):
    import hashlib
    import json

    from core import schemas
    from pipeline import descriptor

    meta = {"name": "m", "title": "Médecins – managers", "resources": [{"name": "a", "path": "tables/a.csv"}]}
    monkeypatch.setattr(schemas, "package_metadata", lambda: json.loads(json.dumps(meta)))
    data = b"x,y\n1,\xc3\xa9\n"
    out = descriptor.build({"a": data})
    assert out.decode("utf-8").startswith('{\n  "name": "m",\n  "title": "Médecins – managers",\n') and out.endswith(b"}\n")
    assert json.loads(out)["resources"] == [{
        "name": "a", "path": "tables/a.csv", "type": "table", "profile": "tabular-data-resource", "format": "csv",
        "mediatype": "text/csv", "encoding": "utf-8", "bytes": 9, "hash": "sha256:" + hashlib.sha256(data).hexdigest()}]
    assert meta["resources"] == [{"name": "a", "path": "tables/a.csv"}]  # the metadata itself untouched


def test_csvw_datatypes_for_each_kind_of_constraint():
    from pipeline import csvw

    assert csvw.datatype({"type": "integer"}) == "integer"  # nothing more to say: the base alone
    assert csvw.datatype({"type": "boolean"}) == {"base": "boolean", "format": "true|false"}
    assert csvw.datatype({"type": "string", "constraints": {"enum": ["a.b", "c"]}}) == {"base": "string",
                                                                                       "format": "a\\.b|c"}
    # a number from a list: no pattern for numbers in CSVW, so the list's least and greatest
    assert csvw.datatype({"type": "integer", "constraints": {"enum": [2002, 2015, 1999]}}) == {
        "base": "integer", "minimum": 1999, "maximum": 2015}
    assert csvw.datatype({"type": "integer", "constraints": {"minimum": 0, "maximum": 100}}) == {
        "base": "integer", "minimum": 0, "maximum": 100}
    assert csvw.datatype({"type": "string", "constraints": {"pattern": "T[0-9]+"}}) == {"base": "string",
                                                                                       "format": "T[0-9]+"}


def test_a_csvw_column_without_a_title_is_titled_by_its_name(monkeypatch):
    from core import schemas
    from pipeline import csvw

    sch = {"description": "d", "primaryKey": ["k"], "fields": [
        {"name": "k", "type": "string", "description": "the key", "constraints": {"required": True}},
        {"name": "v", "title": "Value", "type": "integer", "description": "a value"}]}
    monkeypatch.setattr(schemas, "schema", lambda name: sch)
    monkeypatch.setattr(schemas, "resource", lambda name: {"path": f"tables/{name}.csv", "title": "T"})
    cols = csvw.table("x")["tableSchema"]["columns"]
    assert [(c["name"], c["titles"], c["required"]) for c in cols] == [("k", "k", True), ("v", "Value", False)]


def test_csv_metadata_keeps_accents_as_utf8(monkeypatch):
    import json

    from core import schemas
    from pipeline import csvw

    meta = {**schemas.package_metadata(), "title": "Médecins – managers"}
    monkeypatch.setattr(schemas, "package_metadata", lambda: meta)
    out = csvw.build()
    assert '"dc:title": "Médecins – managers",'.encode("utf-8") in out and out.endswith(b"}\n")
    assert json.loads(out)["dc:title"] == "Médecins – managers"
