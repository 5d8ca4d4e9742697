"""Atomic file writing: never clobbers without being asked, keeps modes and symlinks, and
leaves the target untouched (and no temporary files) when the disk refuses."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import pytest

from tui.data import atomic
from tui.data.atomic import write_atomic


def leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.endswith(".tmp"))


def test_a_new_file_is_written_with_the_usual_permissions(tmp_path: Path) -> None:
    target = tmp_path / "out.md"
    previous = os.umask(0o022)
    try:
        assert write_atomic(target, b"hello") == target
    finally:
        os.umask(previous)
    assert target.read_bytes() == b"hello"
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert leftovers(tmp_path) == []


def test_an_existing_file_is_never_replaced_without_overwrite(tmp_path: Path) -> None:
    target = tmp_path / "out.md"
    target.write_bytes(b"precious")
    with pytest.raises(FileExistsError):
        write_atomic(target, b"new")
    assert target.read_bytes() == b"precious" and leftovers(tmp_path) == []


def test_a_file_that_appears_while_writing_is_not_clobbered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.md"
    real = atomic._write_temp

    def racing(where: Path, data: bytes, mode: int) -> Path:
        temp = real(where, data, mode)
        target.write_bytes(b"another program's file")  # appears after the existence check
        return temp

    monkeypatch.setattr(atomic, "_write_temp", racing)
    with pytest.raises(FileExistsError):
        write_atomic(target, b"ours")
    assert target.read_bytes() == b"another program's file" and leftovers(tmp_path) == []


def test_without_hard_links_the_name_is_reserved_exclusively(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_links(source: object, destination: object) -> None:
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr("tui.data.atomic.os.link", no_links)
    target = tmp_path / "out.md"
    write_atomic(target, b"data")
    assert target.read_bytes() == b"data" and leftovers(tmp_path) == []
    with pytest.raises(FileExistsError):
        write_atomic(target, b"again")
    assert target.read_bytes() == b"data"


def test_overwrite_keeps_the_mode_and_follows_symlinks(tmp_path: Path) -> None:
    real = tmp_path / "dotfiles" / "list.md"
    real.parent.mkdir()
    real.write_bytes(b"old")
    real.chmod(0o600)
    link = tmp_path / "list.md"
    link.symlink_to(real)
    write_atomic(link, b"new", overwrite=True)
    assert link.is_symlink() and real.read_bytes() == b"new"
    assert stat.S_IMODE(real.stat().st_mode) == 0o600
    assert leftovers(real.parent) == [] and leftovers(tmp_path) == []


def test_a_symlink_counts_as_existing_without_overwrite(tmp_path: Path) -> None:
    link = tmp_path / "dangling.md"
    link.symlink_to(tmp_path / "nowhere")
    with pytest.raises(FileExistsError):
        write_atomic(link, b"x")
    assert not (tmp_path / "nowhere").exists()


def test_a_failed_replace_leaves_the_old_file_and_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.md"
    target.write_bytes(b"old")

    def full(self: Path, other: Path) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(Path, "replace", full)
    with pytest.raises(OSError, match="No space left"):
        write_atomic(target, b"new", overwrite=True)
    assert target.read_bytes() == b"old" and leftovers(tmp_path) == []


def test_directories_and_missing_parents_are_errors(tmp_path: Path) -> None:
    with pytest.raises(IsADirectoryError):
        write_atomic(tmp_path, b"x", overwrite=True)
    with pytest.raises(FileNotFoundError):
        write_atomic(tmp_path / "missing" / "out.md", b"x")


def special_files(tmp_path: Path) -> list[Path]:
    """A FIFO, a character device (when this user may make one) and symlinks to them, all
    under ``tmp_path``."""
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    found = [fifo]
    device = tmp_path / "null-device"
    try:
        os.mknod(device, stat.S_IFCHR | 0o600, os.makedev(1, 3))
        found.append(device)
    except PermissionError:
        pass
    for special in list(found):
        link = tmp_path / f"link-to-{special.name}"
        link.symlink_to(special)
        found.append(link)
    return found


@pytest.mark.parametrize("overwrite", [False, True])
def test_devices_and_fifos_are_never_replaced(tmp_path: Path, overwrite: bool) -> None:
    for special in special_files(tmp_path):
        kind = special.lstat().st_mode
        with pytest.raises(atomic.NotRegularFileError, match="not a regular file"):
            write_atomic(special, b"data", overwrite=overwrite)
        assert special.lstat().st_mode == kind  # still the FIFO, device or symlink it was
        assert not stat.S_ISREG(special.stat().st_mode)
    assert leftovers(tmp_path) == []


def test_a_symlink_loop_is_an_error_not_a_replaced_link(tmp_path: Path) -> None:
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    with pytest.raises(OSError, match="symbolic links"):
        write_atomic(tmp_path / "a", b"x", overwrite=True)
    assert (tmp_path / "a").is_symlink() and leftovers(tmp_path) == []
