"""Writing a whole file safely: readers see the old content or the new, never a mix.

:func:`write_atomic` writes to a temporary file in the target's directory, flushes it to disk,
then puts it in place:

- ``overwrite=True``: with ``os.replace`` over the old file, keeping the old file's
  permission bits. A symlink is followed, so the link stays and its target gets the new
  content (a dotfiles repository keeps working).
- ``overwrite=False`` (the default): with ``os.link``, which fails if a file of that name
  exists, even one that appeared a moment ago, so nothing is ever clobbered
  (:class:`FileExistsError`). Where hard links are not supported the name is first reserved
  with ``O_CREAT | O_EXCL`` and then replaced.

Only a regular file is ever replaced: a device, a FIFO or a socket (or a symlink to one) is
refused (:class:`NotRegularFileError`), since a file put in its place would break whatever
uses it. :func:`check_target` makes the same checks without writing, for a caller that wants
to fail before doing the work.

The directory is synced afterwards, so the new name survives a power cut. On any failure the
temporary file is removed and the target is left exactly as it was.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from pathlib import Path

#: Errors from ``os.link`` that mean "this file system has no hard links", not "it exists".
_NO_LINKS = {errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EMLINK, errno.EXDEV}
_NEW_FILE_MODE = 0o666  # narrowed by the umask, like any file a program creates


class NotRegularFileError(OSError):
    """The path names a device, a FIFO or a socket (perhaps through a symlink): never replaced."""

    def __init__(self, path: Path) -> None:
        super().__init__(errno.EINVAL, "not a regular file", str(path))


def check_target(path: Path, *, overwrite: bool = False) -> Path:
    """The file :func:`write_atomic` would write (symlinks followed when ``overwrite``), after
    the checks it makes first.

    Raises :class:`IsADirectoryError`, :class:`NotRegularFileError`, :class:`FileExistsError`
    (an existing file, or any symlink, when ``overwrite`` is false), or the :class:`OSError`
    of a path that cannot be looked at (a symlink loop, a file where a directory should be).
    """
    target = Path(os.path.realpath(path)) if overwrite else Path(path).absolute()
    try:
        mode: int | None = target.stat().st_mode
    except FileNotFoundError:  # a new file, or a dangling symlink
        mode = None
    if mode is not None and stat.S_ISDIR(mode):
        raise IsADirectoryError(errno.EISDIR, "is a directory", str(path))
    if mode is not None and not stat.S_ISREG(mode):
        raise NotRegularFileError(path)
    if not overwrite and os.path.lexists(target):
        raise FileExistsError(errno.EEXIST, "file exists", str(path))
    return target


def write_atomic(
    path: Path, data: bytes, *, overwrite: bool = False, private: bool = False
) -> Path:
    """Write ``data`` to ``path`` atomically; returns the path actually written. ``private``:
    readable by the user alone (mode 0600, like the library), whatever the old file's mode.

    Raises what :func:`check_target` raises (the file exists and ``overwrite`` is false, it
    is a directory, a device or a FIFO), and other :class:`OSError`\\ s when the disk
    refuses (the target is then unchanged and no temporary file is left).
    """
    target = check_target(path, overwrite=overwrite)
    temp = _write_temp(target, data, 0o600 if private else _NEW_FILE_MODE)
    try:
        if overwrite:
            if not private:
                _keep_mode(target, temp)
            temp.replace(target)
        else:
            _place_new(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
    _sync_dir(target.parent)
    return target


def _write_temp(target: Path, data: bytes, mode: int) -> Path:
    """A new, fully written and synced file next to ``target``."""
    for _ in range(100):
        temp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
        try:
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
        except FileExistsError:
            continue
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
        except BaseException:
            with contextlib.suppress(OSError):
                temp.unlink()
            raise
        return temp
    raise FileExistsError(errno.EEXIST, "no free temporary name", str(target))


def _keep_mode(target: Path, temp: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        temp.chmod(target.stat().st_mode & 0o7777)


def _place_new(temp: Path, target: Path) -> None:
    """Give ``temp`` the name ``target`` unless that name exists; remove ``temp``."""
    try:
        os.link(temp, target)
    except FileExistsError:
        raise FileExistsError(errno.EEXIST, "file exists", str(target)) from None
    except OSError as error:
        if error.errno not in _NO_LINKS:
            raise
        # No hard links here (some network and FUSE file systems): reserve the name, then
        # replace the empty reservation, which no other writer would have claimed.
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, _NEW_FILE_MODE)
        os.close(fd)
        try:
            temp.replace(target)
        except BaseException:
            with contextlib.suppress(OSError):
                target.unlink()
            raise
        return
    temp.unlink()


def _sync_dir(directory: Path) -> None:
    """Make a new or renamed entry in ``directory`` durable (best effort where unsupported)."""
    try:
        fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
