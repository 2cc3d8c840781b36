"""The citation formats: BibTeX that a real parser reads back whole, CSL-JSON valid against the
CSL-JSON schema's variables, and plain text with every piece of provenance."""

from __future__ import annotations

import json
from datetime import date

import bibtexparser
import jsonschema
import pytest

from cunzhao.web.citation import Citation, bibtex, csl_json, plain_text

SHA = "c936962517691c3b" + "0" * 48
FULL = Citation(
    key="cunzhao-stat-6-1-3fa9b2c1", title="【立此存照】中央网信办｜2023年约谈网站10646家",
    url="https://archive.example.org/fact/6-1-3fa9b2c1", accessed=date(2026, 3, 4),
    sha256=SHA, published="2024-01-31", author="网信办", site="网信中国",
    original_url="http://www.cac.gov.cn/2024-01/31/c_1708373600499439.htm",
    captured="2024-02-02T03:19:02Z", quote="约谈网站10646家")
NASTY = Citation(
    key="cunzhao-doc-7", title="50% of {braces} & #tags_with $signs ~ ^ \\ back",
    url="https://archive.example.org/doc/7?a=1&b={x}", accessed=date(2026, 3, 4))

# The CSL-JSON schema (citation-style-language/schema, csl-data.json) as far as cunzhao uses
# it: the item types, every variable name, names and dates. Unknown fields are errors.
_DATE = {"type": "object", "additionalProperties": False, "properties": {
    "date-parts": {"type": "array", "minItems": 1, "maxItems": 2, "items": {
        "type": "array", "minItems": 1, "maxItems": 3, "items": {"type": "integer"}}},
    "season": {}, "circa": {}, "literal": {"type": "string"}, "raw": {"type": "string"}}}
_NAMES = {"type": "array", "items": {"type": "object", "additionalProperties": False,
                                     "properties": {k: {"type": "string"} for k in (
                                         "family", "given", "dropping-particle",
                                         "non-dropping-particle", "suffix", "literal")}}}
_TYPES = ["article", "article-journal", "article-magazine", "article-newspaper", "bill", "book",
          "broadcast", "chapter", "classic", "collection", "dataset", "document", "entry",
          "entry-dictionary", "entry-encyclopedia", "event", "figure", "graphic", "hearing",
          "interview", "legal_case", "legislation", "manuscript", "map", "motion_picture",
          "musical_score", "pamphlet", "paper-conference", "patent", "performance",
          "periodical", "personal_communication", "post", "post-weblog", "regulation",
          "report", "review", "review-book", "software", "song", "speech", "standard",
          "thesis", "treaty", "webpage"]
_STRINGS = ["abstract", "annote", "archive", "archive_collection", "archive_location",
            "archive-place", "authority", "call-number", "chapter-number", "citation-key",
            "citation-label", "collection-number", "collection-title", "container-title",
            "container-title-short", "dimensions", "division", "DOI", "edition", "event",
            "event-title", "event-place", "first-reference-note-number", "genre", "ISBN",
            "ISSN", "issue", "jurisdiction", "keyword", "language", "license", "locator",
            "medium", "note", "number", "number-of-pages", "number-of-volumes",
            "original-publisher", "original-publisher-place", "original-title", "page",
            "page-first", "part", "part-title", "PMCID", "PMID", "printing", "publisher",
            "publisher-place", "references", "reviewed-genre", "reviewed-title", "scale",
            "section", "source", "status", "supplement", "title", "title-short", "URL",
            "version", "volume", "volume-title", "year-suffix"]
_NAME_VARS = ["author", "chair", "collection-editor", "compiler", "composer",
              "container-author", "contributor", "curator", "director", "editor",
              "editorial-director", "executive-producer", "guest", "host", "illustrator",
              "interviewer", "narrator", "organizer", "original-author", "performer",
              "producer", "recipient", "reviewed-author", "script-writer", "series-creator",
              "translator"]
_DATE_VARS = ["accessed", "available-date", "event-date", "issued", "original-date",
              "submitted"]
CSL_SCHEMA = {"type": "array", "items": {
    "type": "object", "additionalProperties": False, "required": ["type", "id"],
    "properties": {"type": {"enum": _TYPES}, "id": {"type": ["string", "number"]},
                   "categories": {"type": "array", "items": {"type": "string"}},
                   **{v: {"type": ["string", "number"]} for v in _STRINGS},
                   **{v: _NAMES for v in _NAME_VARS}, **{v: _DATE for v in _DATE_VARS}}}}


def _parsed(text: str) -> dict[str, str]:
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks, [b.error for b in library.failed_blocks]
    (entry,) = library.entries
    assert entry.entry_type == "misc"
    return {"key": entry.key, **{f.key: f.value for f in entry.fields}}


def test_bibtex_reads_back_whole() -> None:
    fields = _parsed(bibtex(FULL))
    assert fields["key"] == FULL.key
    assert fields["title"] == FULL.title and fields["author"] == "{网信办}"
    assert (fields["year"], fields["date"]) == ("2024", "2024-01-31")
    assert fields["url"] == FULL.url and fields["urldate"] == "2026-03-04"
    assert fields["howpublished"] == "网信中国"
    for piece in ("``约谈网站10646家''", SHA, "captured 2024-02-02T03:19:02Z",
                  "c\\_1708373600499439.htm"):
        assert piece in fields["note"]


def test_bibtex_escapes_what_latex_and_bibtex_would_read_as_syntax() -> None:
    fields = _parsed(bibtex(NASTY))
    assert fields["title"] == ("50\\% of \\textbraceleft{}braces\\textbraceright{} \\& "
                               "\\#tags\\_with \\$signs \\textasciitilde{} "
                               "\\textasciicircum{} \\textbackslash{} back")
    assert fields["url"] == "https://archive.example.org/doc/7?a=1&b=%7Bx%7D"
    assert "author" not in fields and "year" not in fields


@pytest.mark.parametrize("cited", [FULL, NASTY])
def test_csl_json_is_valid(cited: Citation) -> None:
    items = json.loads(csl_json(cited))
    jsonschema.validate(items, CSL_SCHEMA)
    assert items[0]["URL"] == cited.url and items[0]["accessed"] == {"date-parts": [[2026, 3, 4]]}


def test_csl_json_carries_the_provenance() -> None:
    (item,) = json.loads(csl_json(FULL))
    assert item["issued"] == {"date-parts": [[2024, 1, 31]]}
    assert item["author"] == [{"literal": "网信办"}] and item["container-title"] == "网信中国"
    assert SHA in item["note"] and FULL.original_url in item["note"]
    with pytest.raises(jsonschema.ValidationError):  # the schema does catch a wrong name
        jsonschema.validate([{**item, "url": item["URL"]}], CSL_SCHEMA)


def test_plain_text_reads_like_a_citation() -> None:
    assert plain_text(FULL) == (
        "网信办. “【立此存照】中央网信办｜2023年约谈网站10646家.” 网信中国, January 31, 2024. "
        "“约谈网站10646家” Original: http://www.cac.gov.cn/2024-01/31/c_1708373600499439.htm; "
        f"captured 2024-02-02T03:19:02Z; SHA-256 {SHA}. cunzhao 立此存照, archived copy: "
        "https://archive.example.org/fact/6-1-3fa9b2c1 (accessed March 4, 2026).")
    assert plain_text(NASTY).startswith("“50% of {braces}")
