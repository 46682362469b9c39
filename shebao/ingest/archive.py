"""Safe extraction of uploaded zip files (压缩包解压).

An upload is untrusted: a member may try to escape the target folder (``../``,
absolute paths, drive letters), be a symbolic link, or be a zip bomb.  Each of
these is refused with a specific ``ArchiveError.reason`` before anything is
written outside the target folder.  Member names without the UTF-8 flag are
decoded as UTF-8 when they are valid UTF-8, else as GB18030 (Chinese Windows
writes zip names in GBK, which GB18030 contains).
"""

from __future__ import annotations

import re
import stat
import unicodedata
import zipfile
import zlib
from pathlib import Path, PurePosixPath

MAX_MEMBERS = 10_000
MAX_RATIO = 200  # uncompressed / compressed, per member
RATIO_FLOOR = 64 * 1024  # below this many bytes a high ratio does no harm (a blank CSV compresses well)
_CHUNK = 1024 * 1024
_UTF8_FLAG = 0x800
_ENCRYPTED_FLAG = 0x1
_DRIVE = re.compile(r"^[A-Za-z]:")


class ArchiveError(ValueError):
    """A zip that is refused; ``reason`` is a machine code, ``message`` is for the user (Chinese)."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason
        self.message = message


def member_name(info: zipfile.ZipInfo) -> str:
    """The member's name as its author wrote it."""
    if info.flag_bits & _UTF8_FLAG:
        return info.filename
    try:
        raw = info.filename.encode("cp437")  # how zipfile decoded a name without the flag
    except UnicodeEncodeError:
        return info.filename
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return info.filename


def safe_parts(name: str) -> tuple[str, ...]:
    """The path parts of a member name, or ArchiveError if it would leave the target folder."""
    if "\x00" in name:
        raise ArchiveError("bad_name", f"压缩包内文件名含有非法字符：{name!r}")
    text = name.replace("\\", "/")
    if text.startswith("/"):
        raise ArchiveError("absolute_path", f"压缩包内含有绝对路径，已拒绝：{name}")
    if _DRIVE.match(text):
        raise ArchiveError("absolute_path", f"压缩包内含有带盘符（如 C:）的绝对路径，已拒绝：{name}")
    parts = tuple(p for p in PurePosixPath(text).parts if p not in ("", "."))
    if any(p == ".." for p in parts):
        raise ArchiveError("path_traversal", f"压缩包内文件路径试图跳出目标文件夹（../），已拒绝：{name}")
    if any(_DRIVE.match(p) for p in parts):
        raise ArchiveError("absolute_path", f"压缩包内含有盘符路径，已拒绝：{name}")
    return tuple(unicodedata.normalize("NFC", p) for p in parts)


def _is_symlink(info: zipfile.ZipInfo) -> bool:
    mode = info.external_attr >> 16
    return stat.S_ISLNK(mode)


def check_members(archive: zipfile.ZipFile, max_total: int) -> list[tuple[zipfile.ZipInfo, tuple[str, ...]]]:
    """Every file member with its safe path parts; raises ArchiveError on the first problem."""
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise ArchiveError("too_many_members", f"压缩包内文件过多（{len(infos)} 个，上限 {MAX_MEMBERS} 个）")
    total = 0
    members = []
    seen: set[tuple[str, ...]] = set()
    for info in infos:
        name = member_name(info)
        parts = safe_parts(name)
        if _is_symlink(info):
            raise ArchiveError("symlink", f"压缩包内含有符号链接，已拒绝：{name}")
        if info.is_dir() or not parts:
            continue
        if info.flag_bits & _ENCRYPTED_FLAG:
            raise ArchiveError("encrypted", f"压缩包内文件有密码保护，无法读取：{name}")
        total += info.file_size
        if total > max_total:
            raise ArchiveError("too_large", f"压缩包解压后总大小超过上限（{max_total // (1024 * 1024)} MB）")
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise ArchiveError(
                "compression_ratio",
                f"压缩包内文件压缩比异常（超过 {MAX_RATIO} 倍），疑似压缩炸弹，已拒绝：{name}",
            )
        key = tuple(p.casefold() for p in parts)
        if key in seen:
            raise ArchiveError("duplicate_name", f"压缩包内有重名文件：{name}")
        seen.add(key)
        members.append((info, parts))
    return members


def extract_zip(source, target: Path, *, max_total: int) -> list[str]:
    """Extract a zip (path or binary file object) into ``target``; returns the relative names written.

    Everything is checked before the first byte is written; while writing, sizes are
    counted again, because the sizes a zip declares can lie.
    """
    target = Path(target)
    root = target.resolve()
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise ArchiveError("bad_zip", f"压缩包已损坏或不是 zip 文件（{exc}）") from None
    written: list[str] = []
    with archive:
        members = check_members(archive, max_total)
        total = 0
        for info, parts in members:
            destination = root.joinpath(*parts)
            if root not in destination.resolve().parents:
                raise ArchiveError(
                    "path_traversal", f"压缩包内文件路径试图跳出目标文件夹，已拒绝：{'/'.join(parts)}"
                )
            destination.parent.mkdir(parents=True, exist_ok=True)
            size = 0
            try:
                with archive.open(info) as src, open(destination, "xb") as out:
                    while chunk := src.read(_CHUNK):
                        size += len(chunk)
                        total += len(chunk)
                        if size > info.file_size or total > max_total:
                            raise ArchiveError(
                                "too_large", "压缩包解压后的实际大小超过声明的大小或上限，已拒绝"
                            )
                        out.write(chunk)
            except FileExistsError:
                raise ArchiveError("duplicate_name", f"文件重名：{'/'.join(parts)}") from None
            except (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError, NotImplementedError) as exc:
                raise ArchiveError("bad_zip", f"压缩包内文件无法解压：{'/'.join(parts)}（{exc}）") from None
            written.append("/".join(parts))
    return written
