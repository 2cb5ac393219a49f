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
                      "publisher": {"name": "Nuffield Trust"}, "url": report["url"]}
    assert report["url"].startswith("https://www.nuffieldtrust.org.uk/")


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
    assert citation.main([]) == 0 and stale.read_text(encoding="utf-8") == citation.render()


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
    assert readme.main(["--check"]) == 1
    assert capsys.readouterr().err == "README.md, data-dictionary.md stale: run python -m pipeline.readme\n"
    assert readme.main([]) == 0
    assert stale.read_text(encoding="utf-8") == text
    assert (tmp_path / "data-dictionary.md").read_text(encoding="utf-8") == (
        ROOT / "docs/data-dictionary.md").read_text(encoding="utf-8")
