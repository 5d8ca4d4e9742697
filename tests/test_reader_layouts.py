"""Both layouts, their metadata, and the malformed entries of the bad-input table (rows 22-26)."""

from __future__ import annotations

from conftest import WriteCorpus
from corpus_text import ABSTRACT, PAGE_HEADER, Item, page, pairs

from tui.data.corpus import load_corpus
from tui.data.models import Corpus, PaperDate, Severity
from tui.data.parse import parse_lines


def load_text(write_corpus: WriteCorpus, text: str, name: str = "c.txt") -> Corpus:
    return load_corpus([write_corpus(name, text)])


def reasons(corpus: Corpus) -> list[str]:
    return [f"{p.line}:{p.reason}" for p in corpus.problems]


def test_page_layout_reads_titles_abstracts_and_metadata(write_corpus: WriteCorpus) -> None:
    items = [
        Item("First paper", ABSTRACT, authors=5, date="Jul 3, 2024", upvotes=3),
        Item("Second paper", ABSTRACT + " Two.", authors=1, date="May 3, 2024"),
        Item("Third paper", ABSTRACT, authors=2, date="Oct 15", upvotes=2),
    ]
    corpus = load_text(write_corpus, page(items))
    assert [p.title for p in corpus.papers] == ["First paper", "Second paper", "Third paper"]
    first, second, third = corpus.papers
    assert (first.authors, first.upvotes, first.date) == (
        5,
        3,
        PaperDate(year=2024, month=7, day=3),
    )
    assert (second.authors, second.upvotes) == (1, 0)
    assert third.date == PaperDate(year=None, month=10, day=15) and third.upvotes == 2
    assert first.sources[0].line == PAGE_HEADER.count("\n") + 1
    assert corpus.problems == ()


def test_pairs_layout_strips_subscribe_only_there(write_corpus: WriteCorpus) -> None:
    items = [Item("Subscribers and churn", ABSTRACT), Item("Another one", ABSTRACT)]
    corpus = load_text(write_corpus, pairs(items))
    assert [p.title for p in corpus.papers] == ["Subscribers and churn", "Another one"]
    assert corpus.files[0].layout == "pairs"
    # In the page layout, a title starting with "Subscribe" is a real title.
    corpus = load_text(write_corpus, page([Item("Subscribers and churn", ABSTRACT)]), "p.txt")
    assert [p.title for p in corpus.papers] == ["Subscribers and churn"]


def test_layout_is_recognised_by_content_not_name(write_corpus: WriteCorpus) -> None:
    corpus = load_corpus(
        [
            write_corpus("pairs-looking-name.txt", page([Item("A", ABSTRACT)])),
            write_corpus("page.txt", pairs([Item("B", ABSTRACT)])),
        ]
    )
    assert [report.layout for report in corpus.files] == ["page", "pairs"]


def test_concatenated_captures_skip_chrome_in_the_middle(write_corpus: WriteCorpus) -> None:
    text = page([Item("One", ABSTRACT)]) + "\n\n" + page([Item("Two", ABSTRACT)])
    corpus = load_text(write_corpus, text)
    assert [p.title for p in corpus.papers] == ["One", "Two"]
    assert corpus.problems == ()


def test_author_count_variants(write_corpus: WriteCorpus) -> None:
    text = PAGE_HEADER + "\n\n".join(
        f"T{n}\n\n{ABSTRACT}\n\n{line}\n·\nJul 3, 2024"
        for n, line in enumerate(
            ["  • 1 author", "  • 1,234 authors", "  • 0 authors", "* 5 authors"]
        )
    )
    corpus = load_text(write_corpus, text)
    assert [p.authors for p in corpus.papers] == [1, 1234, 0, None]
    (problem,) = corpus.problems
    assert "bad author count" in problem.reason and problem.severity is Severity.WARNING


def test_date_line_variants(write_corpus: WriteCorpus) -> None:
    dates = ["Jul 3, 2024 3", "May 3, 2024", "Nov 11", "Feb 30, 2024", "Jul 3, 2024 abc", "Feb 29"]
    text = PAGE_HEADER + "\n\n".join(
        f"T{n}\n\n{ABSTRACT}\n\n  • 2 authors\n·\n{date}" for n, date in enumerate(dates)
    )
    corpus = load_text(write_corpus, text)
    got = [(p.date.iso() if p.date else None, p.upvotes) for p in corpus.papers]
    assert got == [
        ("2024-07-03", 3),
        ("2024-05-03", 0),
        ("--11-11", 0),
        (None, 0),
        ("2024-07-03", 0),
        ("--02-29", 0),
    ]
    problems = reasons(corpus)
    assert len(problems) == 2
    assert "bad date 'Feb 30, 2024'" in problems[0]
    assert "unexpected text after the date: 'abc'" in problems[1]


def test_truncated_entry_at_end_is_kept_without_metadata(write_corpus: WriteCorpus) -> None:
    text = page([Item("Complete", ABSTRACT)]) + "\n\nCut short\n\n" + ABSTRACT + "\n"
    corpus = load_text(write_corpus, text)
    assert [p.title for p in corpus.papers] == ["Complete", "Cut short"]
    assert corpus.papers[1].upvotes is None and corpus.papers[1].abstract == ABSTRACT
    (problem,) = corpus.problems
    assert "no metadata block" in problem.reason


def test_next_title_never_becomes_an_abstract(write_corpus: WriteCorpus) -> None:
    # "Lonely title" lost its abstract: it must not swallow the next entry's title.
    text = (
        PAGE_HEADER + f"Lonely title\n\nNext title\n\n{ABSTRACT}\n\n  • 2 authors\n·\nJul 3, 2024"
    )
    corpus = load_text(write_corpus, text)
    assert [(p.title, p.abstract) for p in corpus.papers] == [("Next title", ABSTRACT)]
    assert any("'Lonely title' is not part of an entry" in r for r in reasons(corpus))


def test_metadata_without_an_entry_is_reported(write_corpus: WriteCorpus) -> None:
    text = page([Item("Fine", ABSTRACT)]) + "\n\n  • 4 authors\n·\nJul 3, 2024\n"
    corpus = load_text(write_corpus, text)
    assert [p.title for p in corpus.papers] == ["Fine"]
    assert any("metadata block with no title or abstract" in r for r in reasons(corpus))


def test_pairs_out_of_step_and_dangling_title(write_corpus: WriteCorpus) -> None:
    long_line = "word " * 150
    items = [Item("Good one", ABSTRACT)]
    text = pairs(items) + "\n" + long_line + "\nAfter resync\n" + ABSTRACT + "\nDangling title"
    corpus = load_text(write_corpus, text)
    assert [p.title for p in corpus.papers] == ["Good one", "After resync"]
    problems = reasons(corpus)
    assert any("a title was expected here" in r for r in problems)
    assert any("title with no abstract at the end of the file" in r for r in problems)


def test_a_text_file_that_is_not_a_listing_is_refused(write_corpus: WriteCorpus) -> None:
    corpus = load_text(write_corpus, "import os\nprint(os)\nx = 1\ny = 2\n", "code.txt")
    assert corpus.papers == ()
    assert "unrecognised layout" in corpus.problems[0].reason


def test_empty_whitespace_and_boilerplate_files_have_no_papers(write_corpus: WriteCorpus) -> None:
    for name, text in [("e.txt", ""), ("w.txt", "  \n\t\n\n"), ("b.txt", PAGE_HEADER)]:
        corpus = load_text(write_corpus, text, name)
        assert corpus.papers == ()
        assert [p.reason for p in corpus.problems] == ["no papers found in file"]


def test_parse_lines_reports_the_layout() -> None:
    result = parse_lines(page([Item("X", ABSTRACT)]).split("\n"), "mem")
    assert result.layout == "page" and len(result.entries) == 1
