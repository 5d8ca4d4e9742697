"""SearchIndex behaviour: matching, fields, library filters, stages, cancellation, caching,
sorting and explanations."""

from __future__ import annotations

import time
from collections.abc import Sequence, Set

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.data.corpus import load_corpus
from tui.data.models import Paper, PaperDate, SourceRef
from tui.data.search import PaperTable, SearchIndex, SearchResult, regexes
from tui.data.search.keys import search_key
from tui.data.sorting import SortKey, sort_paper_list
from tui.data.text import paper_id
from tui.resources import seeds_dir


def make(
    title: str,
    abstract: str = "",
    *,
    year: int | None = None,
    month: int | None = None,
    authors: int | None = None,
    upvotes: int | None = None,
) -> Paper:
    date = None if month is None else PaperDate(year=year, month=month, day=1)
    return Paper(
        id=paper_id(title),
        title=title,
        abstract=abstract,
        authors=authors,
        date=date,
        upvotes=upvotes,
        sources=(SourceRef(file="test.txt", line=1),),
    )


PAPERS = [
    make(
        "Attention Is All You Need",
        "We propose the Transformer, based solely on attention mechanisms.",
        year=2017,
        month=6,
        authors=8,
        upvotes=50,
    ),
    make(
        "Linear Attention Transformers",
        "Kernel feature maps make attention linear; experiments on MuJoCo.",
        year=2024,
        month=3,
        authors=3,
        upvotes=2,
    ),
    make(
        "TÜLU 3: Open Post-Training",
        "Following Akyürek et al., we release recipes and data.",
        month=11,
        authors=23,
        upvotes=3,
    ),
    make("Overcoming Catastrophic Forgetting in Neural Networks", "Continual learning fails."),
    make(
        "A Survey on Multi-Task Learning",
        "We survey methods that share attention across tasks.",
        year=2022,
        month=1,
        authors=2,
        upvotes=0,
    ),
    make(
        "Graph Neural Networks for Molecules",
        "Message passing; no transformers here.",
        year=2023,
        month=5,
        authors=5,
    ),
]


def titles(index: SearchIndex, result: SearchResult) -> list[str]:
    return [index.papers[p].title for p in result.indices]


@pytest.fixture(scope="module")
def small() -> SearchIndex:
    return SearchIndex(PAPERS)


@pytest.fixture(scope="module")
def seeds() -> Sequence[Paper]:
    return load_corpus([seeds_dir()]).papers


@pytest.fixture(scope="module")
def seeded(seeds: Sequence[Paper]) -> SearchIndex:
    return SearchIndex(seeds, chunk_size=64)  # several chunks, to exercise the chunk paths


# --- matching ------------------------------------------------------------------------------


def test_every_word_must_match_in_any_order(small: SearchIndex) -> None:
    assert titles(small, small.search("transformers linear")) == ["Linear Attention Transformers"]
    assert titles(small, small.search("linear transformers")) == ["Linear Attention Transformers"]


def test_case_accents_and_hyphens_are_ignored(small: SearchIndex) -> None:
    assert titles(small, small.search("tulu")) == ["TÜLU 3: Open Post-Training"]
    assert titles(small, small.search("AKYUREK")) == ["TÜLU 3: Open Post-Training"]
    assert titles(small, small.search("multitask")) == ["A Survey on Multi-Task Learning"]
    assert titles(small, small.search("post training")) == ["TÜLU 3: Open Post-Training"]


def test_title_matches_rank_above_abstract_only_matches(small: SearchIndex) -> None:
    found = titles(small, small.search("attention"))
    assert found[:2] == ["Attention Is All You Need", "Linear Attention Transformers"]
    assert set(found[2:]) == {"A Survey on Multi-Task Learning"}


def test_a_name_only_in_an_abstract_is_found_and_explained(small: SearchIndex) -> None:
    result = small.search("akyurek")
    match = small.explain("akyurek", result.indices[0])
    assert match is not None and match.fields == ("abstract",)
    assert 60 <= match.score < 80
    (span,) = match.spans["abstract"]
    assert PAPERS[2].abstract[slice(*span)] == "Akyürek"


def test_typos_are_forgiven_and_ranked_below_exact_matches(small: SearchIndex) -> None:
    result = small.search("catastrofic forgeting")
    assert titles(small, result) == ["Overcoming Catastrophic Forgetting in Neural Networks"]
    match = small.explain("catastrofic forgeting", result.indices[0])
    assert match is not None and 40 <= match.score < 60
    assert ("catastrofic", "Catastrophic") in match.corrections
    assert PAPERS[3].title[slice(*match.spans["title"][0])] == "Catastrophic"


def test_typos_are_not_tried_when_enough_papers_match_exactly(seeded: SearchIndex) -> None:
    result = seeded.search("transformer")
    assert result.total >= 20
    for position in result.indices[:50]:
        match = seeded.explain("transformer", position)
        assert match is not None and match.corrections == () and match.score >= 60


@pytest.mark.parametrize(
    "query",
    ["akyurek", "catastrofic forgeting", "trnsfrmrs", "year:2024 attention", "/mu.oco/"],
)
def test_explaining_without_spans_gives_the_same_score_and_fields(
    small: SearchIndex, query: str
) -> None:
    for position in small.search(query).indices:
        full = small.explain(query, position)
        brief = small.explain(query, position, spans=False)
        assert full is not None and brief is not None and full.spans
        assert (brief.score, brief.fields, brief.spans, brief.corrections) == (
            full.score,
            full.fields,
            {},
            (),
        )


def test_after_warming_up_a_small_corpus_typos_build_nothing_on_the_way(
    seeds: Sequence[Paper],
) -> None:
    index = SearchIndex(seeds)
    assert index.warm()
    tables = index._vocabulary._prefixes
    ready = set(tables)
    for query in ("transfromer", "difusion modles", "reinforcment learnign agnets"):
        assert index.search(query).total
    assert set(tables) == ready  # none built now: small corpora are searched on the UI thread


def test_letters_in_order_are_the_last_resort(small: SearchIndex) -> None:
    result = small.search("trnsfrmrs")
    assert titles(small, result) == ["Linear Attention Transformers"]
    match = small.explain("trnsfrmrs", result.indices[0])
    assert match is not None and match.score < 20 and match.fields == ("title",)
    shown = "".join(PAPERS[1].title[start:end] for start, end in match.spans["title"])
    assert shown.lower() == "trnsfrmrs"
    assert small.search("catastrophicforgetting").total == 1
    assert small.search("attention").total == 3  # exact matches: no letters stage
    assert small.search("-trnsfrmrs").total == len(PAPERS)  # never for excluded words


def test_short_words_get_no_typo_tolerance(small: SearchIndex) -> None:
    assert small.search("tulx").total == 0


def test_phrases_are_exact_and_ordered(small: SearchIndex) -> None:
    assert titles(small, small.search('"linear attention"')) == ["Linear Attention Transformers"]
    assert small.search('"transformers attention"').total == 0
    assert titles(small, small.search("transformer attention")) == [
        "Linear Attention Transformers",  # both words in the title
        "Attention Is All You Need",  # "transformer" only in the abstract
    ]
    match = small.explain('"attention linear;"', 1)  # found in the abstract, not the title
    assert match is not None and match.fields == ("abstract",)


def test_minus_excludes_everywhere(small: SearchIndex) -> None:
    found = titles(small, small.search("attention -linear"))
    assert "Linear Attention Transformers" not in found
    assert "Attention Is All You Need" in found
    assert "Graph Neural Networks for Molecules" not in titles(small, small.search("-transformers"))


def test_or_and_parentheses(small: SearchIndex) -> None:
    found = set(titles(small, small.search("(tulu OR molecules) -graph")))
    assert found == {"TÜLU 3: Open Post-Training"}
    assert small.search("tulu OR molecules").total == 2


def test_regex_matches_displayed_text_ignoring_case(small: SearchIndex) -> None:
    assert titles(small, small.search("/tÜlu \\d/")) == ["TÜLU 3: Open Post-Training"]
    assert small.search("/tulu/").total == 0  # regexes see accents
    match = small.explain("/mu.oco/", 1)
    assert match is not None and PAPERS[1].abstract[slice(*match.spans["abstract"][0])] == "MuJoCo"


def test_a_runaway_regex_stops_with_an_error_and_leaves_the_rest_working(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(regexes, "TEXT_SECONDS", 0.05)
    long = make("Runaway", "q" + " word" * 60)  # each space after the q doubles the work
    index = SearchIndex([*PAPERS, long])
    result = index.search("/(.|\\s)*q/")
    assert result.error == "regex /(.|\\s)*q/ took 0.05 s on one paper; simplify it"
    assert index.explain("/(.|\\s)*q/", len(PAPERS)) is None
    assert index.search("/run.way/").total == 1  # the next search runs as usual
    with regexes.scan_limit(0.02):  # one deadline for the whole search, every chunk
        first, later = (regexes.Matcher(regexes.compile_regex("zzz" * 20)) for _ in "ab")
        assert not first("abc")
        time.sleep(0.03)
        with pytest.raises(regexes.RegexTooSlow) as failure:
            later("abc")
    assert str(failure.value) == "regex /zzzzzzzzzzzzzzzzzzzzzzz…/ took too long; simplify it"


def test_text_fields(small: SearchIndex) -> None:
    assert titles(small, small.search("title:transformers")) == ["Linear Attention Transformers"]
    assert titles(small, small.search("abstract:transformers")) == [
        "Graph Neural Networks for Molecules"
    ]
    assert small.search("title:tulu abstract:tulu").total == 0


def test_number_fields_skip_unknown_values(small: SearchIndex) -> None:
    assert set(titles(small, small.search("authors:<=3"))) == {
        "Linear Attention Transformers",
        "A Survey on Multi-Task Learning",
    }
    assert set(titles(small, small.search("upvotes:>=3"))) == {
        "Attention Is All You Need",
        "TÜLU 3: Open Post-Training",
    }
    assert titles(small, small.search("year:2024")) == ["Linear Attention Transformers"]
    assert set(titles(small, small.search("year:2022..2023"))) == {
        "A Survey on Multi-Task Learning",
        "Graph Neural Networks for Molecules",
    }
    without = set(titles(small, small.search("-year:..2030")))
    assert without == {
        "TÜLU 3: Open Post-Training",
        "Overcoming Catastrophic Forgetting in Neural Networks",
    }
    match = small.explain("year:2024 attention", 1)
    assert match is not None and match.fields == ("title", "abstract", "year")


def test_a_bad_query_returns_the_error_and_nothing(small: SearchIndex) -> None:
    result = small.search("year:soon")
    assert result.error is not None and result.error.startswith("year:")
    assert result.total == 0 and result.indices == () and result.complete
    assert small.explain("year:soon", 0) is None


def test_the_empty_query_lists_everything_cheaply(seeded: SearchIndex) -> None:
    result = seeded.search("")
    assert result.indices == range(len(seeded.papers)) and result.complete
    assert seeded.search("  ", reverse=True).indices == range(len(seeded.papers) - 1, -1, -1)
    first = seeded.search("", sort=SortKey.DATE).indices
    assert seeded.search("", sort=SortKey.DATE).indices is first  # cached, not rebuilt
    assert seeded.explain("", 0) is not None


# --- library -------------------------------------------------------------------------------


class FakeLibrary:
    def __init__(self) -> None:
        self.sets: dict[tuple[str, str], Set[str]] = {
            ("is", "bookmarked"): frozenset({PAPERS[0].id}),
            ("is", "read"): frozenset(),
            ("tag", "llm"): frozenset({PAPERS[1].id, PAPERS[2].id}),
        }

    def ids(self, kind: str, value: str) -> Set[str] | None:
        return self.sets.get((kind, value))


def test_library_filters(small: SearchIndex) -> None:
    library = FakeLibrary()
    found = small.search("is:bookmarked", library=library)
    assert titles(small, found) == ["Attention Is All You Need"]
    assert small.search("tag:llm -tulu", library=library).total == 1
    match = small.explain("tag:llm", 1, library=library)
    assert match is not None and match.fields == ("library",)


def test_library_changes_are_seen_by_the_next_search(small: SearchIndex) -> None:
    library = FakeLibrary()
    assert small.search("is:bookmarked attention", library=library).total == 1
    library.sets[("is", "bookmarked")] = frozenset({PAPERS[0].id, PAPERS[1].id})
    assert small.search("is:bookmarked attention", library=library).total == 2


def test_library_errors(small: SearchIndex) -> None:
    assert small.search("is:read").error == "is:read needs the library"
    assert small.search("tag:nope", library=FakeLibrary()).error == 'unknown tag "nope"'
    assert small.search('list:"To read"', library=FakeLibrary()).error == 'unknown list "To read"'


# --- stages and cancellation ---------------------------------------------------------------


def test_stages_title_first_then_abstract_then_complete(small: SearchIndex) -> None:
    stages = list(small.search_stages("attention"))
    assert [s.stage for s in stages] == ["title", "done"]  # no typo stage: a known word
    assert [s.complete for s in stages] == [False, True]
    assert stages[0].total == 2 and stages[1].total == 3
    assert list(stages[1].indices[:2]) == list(stages[0].indices)


def test_typo_stages(small: SearchIndex) -> None:
    stages = list(small.search_stages("catastrofic"))
    assert stages[0].stage == "title" and stages[0].total == 0
    assert stages[-1].complete and stages[-1].total == 1
    assert all(not s.complete for s in stages[:-1])


@pytest.mark.parametrize("query", ["attention", "trasnformers", "in context", "linear -survey"])
def test_each_stage_only_adds_to_the_previous(seeded: SearchIndex, query: str) -> None:
    seen: set[int] = set()
    for result in seeded.search_stages(query):
        now = set(result.indices)
        assert seen <= now
        assert len(now) == result.total
        seen = now


def test_cancelled_before_starting_yields_nothing(seeded: SearchIndex) -> None:
    assert list(seeded.search_stages("learning models", cancelled=lambda: True)) == []
    result = seeded.search("learning models", cancelled=lambda: True)
    assert not result.complete and result.total == 0


def test_cancelled_midway_then_searched_again_gives_the_full_answer(
    seeds: Sequence[Paper],
) -> None:
    reference = SearchIndex(seeds).search("larning languge").indices
    index = SearchIndex(seeds, chunk_size=16)
    for budget in (1, 5, 20, 40):
        calls = 0

        def cancelled(limit: int = budget) -> bool:
            nonlocal calls
            calls += 1
            return calls > limit

        partial = index.search("larning languge", cancelled=cancelled)
        assert not partial.complete
        calls = 0
    assert index.search("larning languge").indices == reference


VOCABULARY = [
    "lin", "linear", "attention", "atention", "learning", "lerning", "model", "task",
    "-survey", "-task", "transformer", "trasnformer", "in-context", '"language model"',
    "OR", "year:2023..2024", "title:learning",
]  # fmt: skip


@settings(max_examples=25, deadline=None)
@given(st.lists(st.sampled_from(VOCABULARY), min_size=1, max_size=4).map(" ".join))
def test_typing_a_query_gives_the_same_results_as_a_fresh_search(query: str) -> None:
    papers = _seeds()
    typed = _shared_index(papers)
    for end in range(1, len(query) + 1):
        typed.search(query[:end])
    fresh = SearchIndex(papers)
    expected, got = fresh.search(query), typed.search(query)
    assert got.error == expected.error
    assert list(got.indices) == list(expected.indices)


_cache: dict[str, object] = {}


def _seeds() -> Sequence[Paper]:
    if "seeds" not in _cache:
        _cache["seeds"] = load_corpus([seeds_dir()]).papers
    papers = _cache["seeds"]
    assert isinstance(papers, tuple)
    return papers


def _shared_index(papers: Sequence[Paper]) -> SearchIndex:
    if "index" not in _cache:
        _cache["index"] = SearchIndex(papers, chunk_size=50)
    index = _cache["index"]
    assert isinstance(index, SearchIndex)
    return index


# --- ordering ------------------------------------------------------------------------------


@pytest.mark.parametrize("key", list(SortKey))
@pytest.mark.parametrize("reverse", [False, True])
def test_sort_orders_follow_the_listing_rules(
    seeded: SearchIndex, seeds: Sequence[Paper], key: SortKey, reverse: bool
) -> None:
    expected = [p.id for p in sort_paper_list(seeds, key, reverse=reverse)]
    everything = seeded.search("", sort=key, reverse=reverse)
    assert [seeds[p].id for p in everything.indices] == expected
    some = seeded.search("learning", sort=key, reverse=reverse)
    wanted = {seeds[p].id for p in some.indices}
    assert [seeds[p].id for p in some.indices] == [i for i in expected if i in wanted]
    assert some.sort is key and some.reverse is reverse


def test_papers_without_a_year_sort_after_dated_ones_both_ways(small: SearchIndex) -> None:
    for reverse in (False, True):
        order = titles(small, small.search("", sort=SortKey.DATE, reverse=reverse))
        assert order[-2:] == [
            "TÜLU 3: Open Post-Training",  # a date without a year: after every full date
            "Overcoming Catastrophic Forgetting in Neural Networks",  # no date at all: last
        ]
    newest = titles(small, small.search("", sort=SortKey.DATE))
    assert newest[:2] == ["Linear Attention Transformers", "Graph Neural Networks for Molecules"]
    oldest = titles(small, small.search("", sort=SortKey.DATE, reverse=True))
    assert oldest[:2] == ["Attention Is All You Need", "A Survey on Multi-Task Learning"]


def test_relevance_order_matches_the_scores(seeded: SearchIndex) -> None:
    for query in ("linear attention", "learning tasks", "trasnformer", "akyurek"):
        result = seeded.search(query)
        scores = [seeded.explain(query, p) for p in result.indices]
        values = [m.score for m in scores if m is not None]
        assert len(values) == result.total
        assert values == sorted(values, reverse=True)
        assert list(seeded.search(query, reverse=True).indices) == list(reversed(result.indices))


def test_spans_highlight_the_matched_words(seeded: SearchIndex, seeds: Sequence[Paper]) -> None:
    query = "in-context linear"
    for position in seeded.search(query).indices[:20]:
        match = seeded.explain(query, position)
        assert match is not None
        for field, spans in match.spans.items():
            text = seeds[position].title if field == "title" else seeds[position].abstract
            for start, end in spans:
                assert search_key(text[start:end]) in ("incontext", "linear")


def test_explain_says_none_for_a_paper_that_does_not_match(small: SearchIndex) -> None:
    assert small.explain("tulu", 0) is None
    assert small.explain("tulu", 99) is None


def test_a_paper_table_searches_like_the_papers_it_holds() -> None:
    table = PaperTable(
        ids=[p.id for p in PAPERS],
        titles=[p.title for p in PAPERS],
        abstracts=[p.abstract for p in PAPERS],
        authors=[p.authors for p in PAPERS],
        upvotes=[p.upvotes for p in PAPERS],
        years=[p.date.year if p.date else None for p in PAPERS],
        months=[p.date.month if p.date else 0 for p in PAPERS],
        days=[p.date.day if p.date else 0 for p in PAPERS],
    )
    assert table[2].date == PAPERS[2].date and table[-1].title == PAPERS[-1].title
    from_table, from_list = SearchIndex(table), SearchIndex(PAPERS)
    for query in ("attention", "year:2022..2024", "catastrofic", "upvotes:>=2 -linear"):
        assert list(from_table.search(query).indices) == list(from_list.search(query).indices)
    for key in SortKey:
        assert list(from_table.search("", sort=key).indices) == list(
            from_list.search("", sort=key).indices
        )


def test_any_query_runs_without_raising(small: SearchIndex) -> None:
    for query in ('"', "/", "(", "-(", '"a" OR /b/', 'title:/x/ abstract:"y"', "\x00", "ß" * 70):
        result = small.search(query)
        assert result.error is None or result.total == 0


@settings(max_examples=40, deadline=None)
@given(st.text(max_size=40))
def test_no_query_string_crashes_a_search(query: str) -> None:
    index = SearchIndex(PAPERS)
    result = index.search(query)
    assert (result.error is None) or (result.total == 0 and result.error)
    for position in result.indices:
        index.explain(query, position)


def test_a_long_unrankable_title_scan_streams_a_prefix_first(
    seeds: Sequence[Paper], monkeypatch: pytest.MonkeyPatch
) -> None:
    import tui.data.search.index as index_module
    import tui.data.search.rank as rank_module

    monkeypatch.setattr(index_module, "PARTIAL_CAP", 10)
    monkeypatch.setattr(rank_module, "PARTIAL_CAP", 10)
    monkeypatch.setattr(index_module, "EARLY_AFTER", 0.0)
    index = SearchIndex(seeds, chunk_size=64)
    first, title, *rest = list(index.search_stages("a"))
    assert first.stage == title.stage == "title" and not first.complete
    assert 10 < first.total < title.total
    assert list(title.indices[: first.total]) == list(first.indices)
    assert rest[-1].complete
    sorted_stages = list(index.search_stages("a", sort=SortKey.TITLE))
    assert sorted_stages[0].total == title.total  # sorted results never stream a prefix


def test_clearing_the_cache_keeps_the_answers(seeds: Sequence[Paper]) -> None:
    index = SearchIndex(seeds, chunk_size=64)
    before = list(index.search("linear attention").indices)
    index.clear_cache()
    assert list(index.search("linear attention").indices) == before
