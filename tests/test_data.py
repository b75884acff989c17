"""The regression data: bundled sets and the user's CSV (``--set data=path.csv``) refused line by line."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from mfml_anim.errors import UserError
from mfml_anim.math import data as D


def write(tmp_path: Path, text: str | bytes, name: str = "my.csv") -> Path:
    p = tmp_path / name
    p.write_bytes(text if isinstance(text, bytes) else text.encode())
    return p


def refused(tmp_path: Path, text: str | bytes, **kw: int) -> str:
    with pytest.raises(UserError) as err:
        D.load_xy_csv(write(tmp_path, text), **kw)
    msg = str(err.value)
    assert "\n" not in msg and msg.startswith("--set data: my.csv")
    return msg


# --------------------------------------------------------------------------- bundled


def test_bundled_data_sets() -> None:
    for name in D.BUNDLED:
        p = D.bundled_dataset(name)
        assert p.is_file() and p.parent.name == "data" and p == D.bundled_dataset(f"{name}.csv")
        d = D.load_data(name)
        assert len(d) >= 10 and d.source == str(p)
    line = D.load_data("line")
    assert line.sigma_given and np.all(line.sigma > 0)
    heights = D.load_data("heights")
    assert not heights.sigma_given and np.all(heights.sigma == 1)
    assert np.sum(heights.y) * 2.5 == pytest.approx(0.995)  # the course's fractions, as densities per cm
    readme = (D.bundled_dataset("heights").parent / "README.md").read_text()
    for name in D.BUNDLED:
        assert f"`{name}.csv`" in readme  # every bundled set has its source written down
    with pytest.raises(UserError, match="unknown data set 'weights'.*bundled: heights, line"):
        D.bundled_dataset("weights")


def test_load_data_prefers_a_real_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "x,y\n1,2\n2,3\n", name="line.csv")
    assert list(D.load_data("line.csv").y) == [2, 3]  # the user's own file of that name
    assert len(D.load_data("line")) == 10  # the bare name is the bundled set


# --------------------------------------------------------------------------- good files


def test_good_files(tmp_path: Path) -> None:
    d = D.load_xy_csv(write(tmp_path, "x,y\n1,2\n3,4\n"))
    assert list(d.x) == [1, 3] and list(d.y) == [2, 4] and not d.sigma_given
    d = D.load_xy_csv(
        write(tmp_path, "\ufeffSigma , Y, x\r\n0.5, 2, 1\r\n\r\n0.25,4,3\r\n")
    )  # BOM, CRLF, any order
    assert list(d.x) == [1, 3] and list(d.y) == [2, 4] and list(d.sigma) == [0.5, 0.25] and d.sigma_given
    d = D.load_xy_csv(write(tmp_path, "x,y\n1e3,-2.5E-2\n2000,0\n"))
    assert list(d.x) == [1000, 2000] and list(d.y) == [-0.025, 0]


# --------------------------------------------------------------------------- refused, naming the row


@pytest.mark.parametrize(
    "text,expected",
    [
        ("x,y\n1,2\n3,4\n5,6\n7,abc\n", "line 5 (row 4): column y: 'abc' is not a number"),
        ("x,y\n1,2\n\n3,4\n1e999,4\n", "line 5 (row 3): column x: '1e999' is not a finite number"),
        ("x,y\n1,2\n3,NaN\n", "line 3 (row 2): column y: 'NaN' is not a finite number"),
        ("x,y\n1,2\n3,-inf\n", "line 3 (row 2): column y: '-inf' is not a finite number"),
        ("x,y\n1,2\n3,1e300\n", "line 3 (row 2): column y: 1e300 is too large"),
        ("x,y\n1,2\n3,\n", "line 3 (row 2): missing value in column y"),
        ("x,y\n1,2\n3\n", "line 3 (row 2): expected 2 values, got 1"),
        ("x,y,sigma\n1,2,1\n3,4,0\n", "line 3 (row 2): sigma must be positive, got 0"),
        ("x,y,sigma\n1,2,-0.5\n3,4,1\n", "line 2 (row 1): sigma must be positive, got -0.5"),
        ("x\n1\n2\n", "line 1: missing column 'y'"),
        ("y,sigma\n1,2\n2,3\n", "line 1: missing column 'x'"),
        ("x,y,z\n1,2,3\n2,3,4\n", "line 1: unexpected column 'z'"),
        ("x,y,x\n1,2,3\n2,3,4\n", "line 1: column 'x' appears twice"),
        ("x,y\n1,2\n", "needs at least 2 data rows, found 1"),
        ("x,y\n", "needs at least 2 data rows, found 0"),
        ("x,y\n2,1\n2,3\n", "needs at least 2 different x values, found 1"),
        ("", "empty file"),
        (b"x,y\n1,2\n\x00\x01\x02\x03", "binary data"),
        (b"x,y\n1,2\n\x1b[31m3,4\n", "binary data"),
        (b"x,y\n1,2\n3,\xff\xfe\n", "not UTF-8"),
        ('x,y\n1,2\n3,"4\n', "not valid CSV"),
    ],
)
def test_refused_with_one_line(tmp_path: Path, text: str | bytes, expected: str) -> None:
    msg = refused(tmp_path, text)
    assert expected in msg, msg


def test_limits(tmp_path: Path) -> None:
    big = b"x,y\n" + b"1,2\n" * (D.MAX_BYTES // 4 + 10)
    assert "file too large" in refused(tmp_path, big)
    many = "x,y\n" + "".join(f"{i},{i}\n" for i in range(D.MAX_ROWS + 1))
    assert "too many rows" in refused(tmp_path, many)
    three = "x,y\n1,2\n2,3\n"
    assert "needs at least 3 data rows" in refused(tmp_path, three, min_rows=3)
    assert "needs at least 3 different x values" in refused(
        tmp_path, "x,y\n1,2\n1,3\n2,4\n", min_distinct_x=3
    )


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="cannot read"):
        D.load_xy_csv(tmp_path / "nope.csv")
    with pytest.raises(UserError, match="not a file"):
        D.load_xy_csv(tmp_path)
    with pytest.raises(UserError, match="--set points: my.csv: line 1: unexpected column .a."):
        D.load_xy_csv(write(tmp_path, "a,b\n1,2\n3,4\n"), param="points")


@pytest.mark.parametrize(
    "first_line",
    ["root:x:0:0:root:/root:/bin/bash", "secret-token=abc123,x,y", "PASSWORD hunter2 is here,y"],
)
def test_a_file_that_is_not_ours_is_not_echoed(tmp_path: Path, first_line: str) -> None:
    """``--set data=/etc/passwd``: the refusal says what is wrong with the header (which columns are
    expected, how many were found) without printing any of the file's text back (issue 25 part 4)."""
    message = refused(tmp_path, first_line + "\ndaemon:x:1:1::/usr/sbin:/usr/sbin/nologin\n")
    assert "line 1" in message and "x,y" in message
    for piece in ("root", "bash", "secret", "abc123", "hunter2", "PASSWORD", "daemon"):
        assert piece.lower() not in message.lower(), message
