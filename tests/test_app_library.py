"""The library in the reader: bookmarks, read status, views, undo and redo, search filters."""

from __future__ import annotations

from pathlib import Path

import pytest
from app_support import make_app, screen_text, settle, titles_listed
from library_support import (
    GNN,
    SURVEY,
    TABLES,
    ZEBRA,
    row_text,
    select,
    settled,
    stored,
    title_is_bold,
)

import tui.display
from tui.screens.main import MainScreen


async def test_b_stars_the_row_redraws_only_it_and_the_bookmark_is_saved(
    corpus: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(corpus, data_dir=data_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await select(pilot, TABLES)
        assert not row_text(screen, TABLES).startswith("★")
        drawn: list[str] = []
        real_row = tui.display.list_row

        def counting_row(paper: object, *args: object, **kwargs: object) -> object:
            drawn.append(paper.title)  # type: ignore[attr-defined]
            return real_row(paper, *args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(tui.display, "list_row", counting_row)
        await pilot.press("b")
        await settled(pilot)
        assert row_text(screen, TABLES).startswith("★")
        assert drawn == [TABLES]  # the other rows came from the cache
        assert "★ bookmarked" in screen.detail.content.plain
        assert screen.selected is not None
        assert stored(data_dir).bookmarked_ids() == {screen.selected.id}
        await pilot.press("b")
        await settled(pilot)
        assert not row_text(screen, TABLES).startswith("★")
        assert stored(data_dir).bookmarked_ids() == set()


async def test_bookmarks_survive_a_restart(corpus: Path, data_dir: Path) -> None:
    async with make_app(corpus, data_dir=data_dir).run_test(size=(120, 40)) as pilot:
        await select(pilot, ZEBRA)
        await pilot.press("b")
        await settled(pilot)
    async with make_app(corpus, data_dir=data_dir).run_test(size=(120, 40)) as pilot:
        screen = await settled(pilot)
        assert row_text(screen, ZEBRA).startswith("★")
        assert not row_text(screen, GNN).startswith("★")


async def test_B_shows_only_bookmarks_through_the_search_bar_and_again_shows_all(
    corpus: Path, data_dir: Path
) -> None:
    app = make_app(corpus, data_dir=data_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await select(pilot, SURVEY)
        await pilot.press("b")
        await select(pilot, GNN)
        await pilot.press("b", "B")
        await settled(pilot)
        assert screen.search_text == "is:bookmarked"
        assert sorted(titles_listed(screen)) == sorted([SURVEY, GNN])
        assert "2 of 4 papers" in screen_text(pilot)
        assert "filter: bookmarked" in screen_text(pilot)
        _, second = titles_listed(screen)
        await pilot.press("g", "b")  # unbookmarking in the view takes the paper out of it
        await settled(pilot)
        assert titles_listed(screen) == [second]
        assert screen.selected is not None and screen.selected.title == second
        await pilot.press("b")
        await settled(pilot)
        assert titles_listed(screen) == []
        assert "No bookmarked papers yet." in screen_text(pilot)
        await pilot.press("B")
        await settled(pilot)
        assert screen.search_text == ""
        assert len(titles_listed(screen)) == 4


async def test_B_says_when_the_bookmarks_are_all_in_other_corpora(
    corpus: Path, data_dir: Path
) -> None:
    with stored(data_dir) as store:
        store.bookmark(["0123456789abcdef", "fedcba9876543210"])  # papers of another corpus
    app = make_app(corpus, data_dir=data_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("B")
        await settled(pilot)
        assert "None of your 2 bookmarked papers is in this corpus." in screen_text(pilot)


async def test_B_keeps_the_words_already_typed(corpus: Path, data_dir: Path) -> None:
    app = make_app(corpus, data_dir=data_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await select(pilot, SURVEY)
        await pilot.press("b", "slash", *"survey", "enter")
        await settled(pilot)
        await pilot.press("B")
        await settled(pilot)
        assert screen.search_text == "is:bookmarked survey"
        assert titles_listed(screen) == [SURVEY]
        await pilot.press("B")
        await settled(pilot)
        assert screen.search_text == "survey"


async def test_opening_a_paper_marks_it_read_and_unread_titles_stand_out(
    corpus: Path, data_dir: Path
) -> None:
    app = make_app(corpus, data_dir=data_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await select(pilot, ZEBRA)
        assert screen.selected is not None
        paper_id = screen.selected.id
        await select(pilot, GNN)
        assert title_is_bold(screen, ZEBRA)  # unread
        await select(pilot, ZEBRA)
        await pilot.press("enter")  # read it
        await settled(pilot)
        assert stored(data_dir).read_ids() == {paper_id}
        assert "read 20" in screen.detail.content.plain
        await pilot.press("escape")
        await select(pilot, GNN)
        assert not title_is_bold(screen, ZEBRA)
        assert title_is_bold(screen, TABLES)


async def test_m_toggles_read_and_is_undoable_but_opening_is_not_an_undo_step(
    corpus: Path, data_dir: Path
) -> None:
    app = make_app(corpus, data_dir=data_dir)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        screen = await select(pilot, TABLES)
        await pilot.press("b")  # the user's last change
        await select(pilot, SURVEY)
        await pilot.press("enter", "escape")  # reading marks it read: not an undo step
        await settled(pilot)
        assert len(stored(data_dir).read_ids()) == 1
        await pilot.press("m")  # unread again
        await settled(pilot)
        assert stored(data_dir).read_ids() == set()
        await pilot.press("u")  # undoes the m
        await settled(pilot)
        assert len(stored(data_dir).read_ids()) == 1
        await pilot.press("u")  # then the bookmark, not the automatic mark
        await settled(pilot)
        assert stored(data_dir).bookmarked_ids() == set()
        assert len(stored(data_dir).read_ids()) == 1
        assert "Undid: remove bookmark" not in screen_text(pilot)
        assert "Undid: bookmark 1 paper" in screen_text(pilot)
        assert screen.selected is not None


async def test_u_undoes_and_ctrl_r_redoes_and_says_so(corpus: Path, data_dir: Path) -> None:
    app = make_app(corpus, data_dir=data_dir)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        screen = await select(pilot, GNN)
        await pilot.press("u")
        await settled(pilot)
        assert "Nothing to undo." in screen_text(pilot)
        await pilot.press("b")
        await settled(pilot)
        await pilot.press("u")
        await settled(pilot)
        assert not row_text(screen, GNN).startswith("★")
        assert "Undid: bookmark 1 paper" in screen_text(pilot)
        await pilot.press("ctrl+r")
        await settled(pilot)
        assert row_text(screen, GNN).startswith("★")
        assert "Redid: bookmark 1 paper" in screen_text(pilot)
        assert len(stored(data_dir).bookmarked_ids()) == 1
        await pilot.press("ctrl+r")
        await settled(pilot)
        assert "Nothing to redo." in screen_text(pilot)


async def test_library_filters_work_in_the_search_bar(corpus: Path, data_dir: Path) -> None:
    app = make_app(corpus, data_dir=data_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await select(pilot, GNN)
        await pilot.press("enter", "escape")  # read
        await select(pilot, ZEBRA)
        await pilot.press("b")
        await settled(pilot)
        for query, expected in [
            ("is:read", [GNN]),
            ("is:unread", [TABLES, SURVEY, ZEBRA]),
            ("is:bookmarked", [ZEBRA]),
            ("-is:bookmarked is:unread", [TABLES, SURVEY]),
        ]:
            screen.query_one("#search").value = query  # type: ignore[attr-defined]
            await settled(pilot)
            assert sorted(titles_listed(screen)) == sorted(expected), query
        await pilot.press("slash", *"tag:nothing")
        await settled(pilot)
        assert titles_listed(screen) == []
        assert "nothing" in screen_text(pilot)  # the error names the unknown tag


async def test_keys_do_nothing_harmful_without_a_paper(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    app = make_app(empty, data_dir=tmp_path / "data")
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        screen = await settled(pilot)
        await pilot.press("b", "m", "t", "n", "l")
        await settled(pilot)
        assert isinstance(app.screen, MainScreen)
        assert "No paper selected." in screen_text(pilot)
        assert screen.library_view is not None and not screen.library_view.annotated
