"""``mfml doctor`` and the checks ``render`` runs first."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mfml_anim import doctor
from mfml_anim.cli import app

runner = CliRunner()


def test_doctor_passes_on_a_set_up_machine() -> None:
    r = runner.invoke(app, ["doctor"])
    assert r.exit_code == 0, r.output
    assert "everything needed to render is in place" in r.stdout
    for name in ("latex", "dvisvgm", "manimpango", "cairo", "tex packages", "fonts", "av", "disk"):
        assert name in r.stdout


def test_missing_latex_gives_the_fix_not_a_traceback(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    real = shutil.which
    monkeypatch.setattr(doctor.shutil, "which", lambda cmd: None if cmd == "latex" else real(cmd))
    r = runner.invoke(app, ["doctor"])
    assert r.exit_code == 1
    assert "apt-get update && apt-get install -y texlive-latex-base" in r.stdout
    r = runner.invoke(app, ["render", "chain-rule", "--out", str(tmp_path / "out")])
    assert r.exit_code == 2
    assert "cannot render: LaTeX" in r.stderr and "texlive-latex-base" in r.stderr
    assert "Traceback" not in r.output
    assert not (tmp_path / "out").exists()


def test_missing_tex_package_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(doctor, "TEX_FILES", ("standalone.cls", "no-such-package-mfml.sty"))
    c = doctor.check_tex_packages()
    assert not c.ok and "no-such-package-mfml.sty" in c.detail and "texlive-latex-extra" in c.fix


def test_low_disk_is_reported(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(doctor, "MIN_FREE_BYTES", 1 << 62)
    c = doctor.check_disk(tmp_path / "does" / "not" / "exist")
    assert not c.ok and str(tmp_path) in c.detail
