"""Safe extraction of uploaded zips (shebao.ingest.archive): each refusal has its reason."""

from __future__ import annotations

import io
import stat
import zipfile

import pytest

from shebao.ingest.archive import MAX_MEMBERS, ArchiveError, extract_zip

MB = 1024 * 1024


def _zip(members: list[tuple[zipfile.ZipInfo | str, bytes]], compression=zipfile.ZIP_DEFLATED) -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for info, content in members:
            archive.writestr(info, content)
    buffer.seek(0)
    return buffer


def _symlink(name: str, target: str) -> tuple[zipfile.ZipInfo, bytes]:
    info = zipfile.ZipInfo(name)
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info, target.encode()


def _gbk_named(name: str, content: bytes) -> io.BytesIO:
    """A zip as Chinese Windows writes it: GBK name bytes, no UTF-8 flag."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("placeholder.csv", content)
    raw = bytearray(buffer.getvalue())
    encoded = name.encode("gbk")
    placeholder = b"placeholder.csv"
    assert len(encoded) == len(placeholder), "test names must have the placeholder's byte length"
    raw = raw.replace(placeholder, encoded)  # local header and central directory; flag bits stay 0
    return io.BytesIO(bytes(raw))


@pytest.mark.parametrize(
    ("members", "reason"),
    [
        ([("../evil.csv", b"x")], "path_traversal"),
        ([("a/b/../../../evil.csv", b"x")], "path_traversal"),
        ([("..\\evil.csv", b"x")], "path_traversal"),
        ([("/etc/passwd", b"x")], "absolute_path"),
        ([("C:/Windows/evil.csv", b"x")], "absolute_path"),
        ([("d:evil.csv", b"x")], "absolute_path"),
        ([_symlink("link.csv", "/etc/passwd")], "symlink"),
        ([("big.csv", b"0" * (2 * MB))], "compression_ratio"),
        ([("a.csv", b"x"), ("A.csv", b"y")], "duplicate_name"),
    ],
)
def test_refused(tmp_path, members, reason):
    with pytest.raises(ArchiveError) as refused:
        extract_zip(_zip(members), tmp_path, max_total=100 * MB)
    assert refused.value.reason == reason
    assert refused.value.message  # a message for the user
    assert not any(tmp_path.iterdir())  # checked before anything is written


def test_too_many_members(tmp_path):
    members = [(f"f{i}.csv", b"") for i in range(MAX_MEMBERS + 1)]
    with pytest.raises(ArchiveError) as refused:
        extract_zip(_zip(members, zipfile.ZIP_STORED), tmp_path, max_total=100 * MB)
    assert refused.value.reason == "too_many_members"


def test_total_size_over_the_limit(tmp_path):
    members = [("a.csv", bytes(range(256)) * 4096), ("b.csv", bytes(range(256)) * 4096)]  # 1 MiB each
    with pytest.raises(ArchiveError) as refused:
        extract_zip(_zip(members, zipfile.ZIP_STORED), tmp_path, max_total=MB + MB // 2)
    assert refused.value.reason == "too_large"


def test_not_a_zip(tmp_path):
    with pytest.raises(ArchiveError) as refused:
        extract_zip(io.BytesIO(b"not a zip at all"), tmp_path, max_total=MB)
    assert refused.value.reason == "bad_zip"


def test_folders_and_utf8_names_are_kept(tmp_path):
    members = [
        ("bundle/rosters/保定市纺织厂-花名册-1996.csv", "身份证号,姓名\n".encode()),
        ("bundle/empty/", b""),
    ]
    written = extract_zip(_zip(members), tmp_path, max_total=MB)
    assert written == ["bundle/rosters/保定市纺织厂-花名册-1996.csv"]
    assert (tmp_path / "bundle" / "rosters" / "保定市纺织厂-花名册-1996.csv").read_text() == "身份证号,姓名\n"


@pytest.mark.parametrize("name", ["花名册19960.csv", "缴费表一二3.csv"])
def test_gbk_names_without_the_utf8_flag_are_decoded(tmp_path, name):
    written = extract_zip(_gbk_named(name, b"x"), tmp_path, max_total=MB)
    assert written == [name]
    assert (tmp_path / name).read_bytes() == b"x"
