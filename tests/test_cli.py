"""The CLI through typer's CliRunner, including bad input (exit 2, one line, nothing written)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mfml_anim.cli import app
from mfml_anim.errors import UserError
from mfml_anim.lessons import available

runner = CliRunner()


def run(*args: str):  # noqa: ANN201
    return runner.invoke(app, list(args))


def one_line_error(result) -> str:  # noqa: ANN001
    assert result.exit_code == 2, result.output
    err = result.stderr.strip()
    assert err.count("\n") == 0, err
    assert "Traceback" not in result.output
    return err


def test_help_everywhere() -> None:
    for cmd in ([], ["list"], ["show"], ["script"], ["audit"], ["lint"], ["render"], ["doctor"]):
        r = run(*cmd, "--help")
        assert r.exit_code == 0 and "Usage" in r.output


def test_list_json_has_all_lessons() -> None:
    r = run("list", "--json")
    assert r.exit_code == 0
    slugs = [row["slug"] for row in json.loads(r.stdout)]
    assert slugs == available() and "chain-rule" in slugs


def test_show_lists_params() -> None:
    r = run("show", "chain-rule")
    assert r.exit_code == 0
    for name in ("outer", "inner", "at"):
        assert name in r.stdout


def test_script_json_schema_and_course_value() -> None:
    r = run("script", "chain-rule", "--json")
    assert r.exit_code == 0
    data = json.loads(r.stdout)
    assert set(data) >= {"lesson", "title", "module", "params", "steps"}
    step = next(s for s in data["steps"] if s["id"] == "value")
    assert step["values"]["dh_dm_at_1"] == pytest.approx(-0.3956, abs=5e-5)
    for s in data["steps"]:
        assert set(s) >= {"id", "narration", "formulas", "values"}
        for f in s["formulas"]:
            assert f["latex"] and f["sympy"]


def test_script_with_set() -> None:
    r = run("script", "chain-rule", "--set", "at=0", "--json")
    data = json.loads(r.stdout)
    assert data["params"]["at"] == 0.0
    # dh/dm at 0 = 1/3 e^0 (5 - 2 e^0) = 1
    assert next(s for s in data["steps"] if s["id"] == "value")["values"]["dh_dm_at_0"] == pytest.approx(1.0)


def test_params_file(tmp_path: Path) -> None:
    f = tmp_path / "p.toml"
    f.write_text('outer = "p**2"\ninner = "sin(m)"\nat = 0.5\n')
    r = run("script", "chain-rule", "--params", str(f), "--json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["params"]["outer"] == "p**2"


def test_audit_ok() -> None:
    r = run("audit", "chain-rule")
    assert r.exit_code == 0 and r.stdout.startswith("ok")


@pytest.mark.parametrize(
    "args,needle",
    [
        (["show", "no-such-lesson"], "unknown lesson"),
        (["script", "chain-rule", "--set", "nope=1"], "unknown parameter 'nope'"),
        (["script", "chain-rule", "--set", "at=abc"], "at"),
        (["script", "chain-rule", "--set", "outer=__import__('os').system('true')"], "outer"),
        (["script", "chain-rule", "--set", "outer=p.__class__"], "outer"),
        (["script", "chain-rule", "--set", "outer=q**2"], "outer"),
        (["script", "chain-rule", "--set", "noequals"], "key=value"),
        (["script", "chain-rule", "--params", "/nonexistent.toml"], "--params"),
        (["audit"], "--all"),
        (["render", "no-such-lesson"], "unknown lesson"),
        (["render", "chain-rule", "-q", "z"], "-q"),
        (["render", "chain-rule", "--format", "avi"], "--format"),
        (["render", "chain-rule", "--set", "at=1e9"], "at"),
        (["render", "chain-rule", "--size", "big"], "--size"),
    ],
)
def test_bad_input_one_line_exit_2(args: list[str], needle: str, tmp_path: Path) -> None:
    r = run(*args, *(["--out", str(tmp_path / "out")] if args[0] == "render" else []))
    err = one_line_error(r)
    assert needle in err
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_malformed_params_file(tmp_path: Path) -> None:
    f = tmp_path / "bad.toml"
    f.write_text("outer = [1, \n")
    assert "not valid TOML" in one_line_error(run("script", "chain-rule", "--params", str(f)))
    f.write_text("[table]\nx = 1\n")
    assert "table" in one_line_error(run("script", "chain-rule", "--params", str(f)))


def test_list_show_script_do_not_import_manim() -> None:
    code = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from mfml_anim.cli import app\n"
        "r = CliRunner()\n"
        "for a in (['list'], ['show', 'chain-rule'], ['script', 'chain-rule'], ['audit', 'chain-rule']):\n"
        "    assert r.invoke(app, a).exit_code == 0, a\n"
        "print('manim' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize(
    "content,needle",
    [
        ("at = true\n", "unsupported type"),
        ("at = 1979-05-27\n", "unsupported type"),
        ("outer = 3.5e400\n", "outer"),
        ("inner = [[1, 2]]\n", "inner"),
        ("inner = [{a = 1}]\n", "unsupported"),
        ("at = 'pi/0'\n", "at"),
        ("outer = \"__import__('os').system('true')\"\n", "outer"),
        ("\x00\x01\x02", "TOML"),
    ],
)
def test_params_file_wrong_types(tmp_path: Path, content: str, needle: str) -> None:
    f = tmp_path / "p.toml"
    f.write_text(content)
    assert needle in one_line_error(run("script", "chain-rule", "--params", str(f)))


def test_params_file_too_big(tmp_path: Path) -> None:
    f = tmp_path / "big.toml"
    f.write_text("# padding\n" * 20000)
    assert "too large" in one_line_error(run("script", "chain-rule", "--params", str(f)))


def test_bare_voice_means_auto_and_never_swallows_the_next_argument(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--voice` alone is `--voice auto`: `render product-rule --voice --out X` used to read
    '--out' as the voice and 'X' as a lesson ("unknown lesson 'X'")."""
    from mfml_anim import voice
    from mfml_anim.cli.options import bare_values
    from mfml_anim.render import runner as runner_mod

    assert bare_values(["a", "--voice", "--out", "x"]) == ["a", "--voice=auto", "--out", "x"]
    assert bare_values(["a", "--voice"]) == ["a", "--voice=auto"]
    assert bare_values(["--voice", "espeak", "--", "--voice"]) == ["--voice", "espeak", "--", "--voice"]
    try:
        auto = str(voice.parse_spec("auto"))
        voice.check(voice.parse_spec("auto"))
    except UserError as exc:
        pytest.skip(f"no voice engine here: {exc}")
    seen = []

    def fake(job, *, force=False, progress=None):  # noqa: ANN001, ANN202 - the runner's signature
        seen.append(job)
        path = job.lesson_dir / job.video_name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x")
        m = {"format": "mp4", "width": 8, "height": 8, "fps": 5, "duration": 1.0, "bytes": 1}
        return runner_mod.RenderResult(job, path, m, False, 0.1)

    monkeypatch.setattr(runner_mod, "render", fake)
    out = tmp_path / "X"
    for args in (
        ["--voice", "--out", str(out)],
        ["--out", str(out), "--voice"],
        ["--voice=auto", "-o", str(out)],
    ):
        r = run("render", "product-rule", *args)
        assert r.exit_code == 0, r.output
        assert (seen[-1].lesson, seen[-1].voice, seen[-1].out_dir) == ("product-rule", auto, str(out))
    r = run("render", "product-rule", "--voice", "espeak:en-gb", "--out", str(out))
    assert r.exit_code == 0 and seen[-1].voice == "espeak:en-gb", r.output
    err = one_line_error(run("site", "--voice", "--out", str(tmp_path / "s"), "-q", "k"))
    assert "-q: 'k' is not a site quality" in err  # site's bare --voice left --out alone too
