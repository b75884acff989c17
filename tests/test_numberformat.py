"""Issue 18 part 7: one number format per lesson; a label and a live counter of one value agree."""

from __future__ import annotations

import pytest

from mfml_anim.numberformat import FIXED_2, SIGNIFICANT_4, NumberFormat


def test_one_weight_reads_one_way() -> None:
    """neural-networks wrote one weight as "-2", "1.67", "3.00"; in one format it is -2.00 ... 3.00."""
    assert [FIXED_2.text(w) for w in (-2, 5 / 3, 3)] == ["-2.00", "1.67", "3.00"]
    assert FIXED_2.text(-0.001) == "0.00"  # no negative zero
    assert SIGNIFICANT_4.text(3) == "3" and SIGNIFICANT_4.text(0.76159) == "0.7616"


def test_counter_matches_label() -> None:
    from manim import DecimalNumber

    for v in (-2.0, 1.6667, 3.0):
        counter = DecimalNumber(v, **FIXED_2.decimal_config())
        assert counter._get_num_string(v) == FIXED_2.text(v)
    with pytest.raises(ValueError):
        SIGNIFICANT_4.decimal_config()
    with pytest.raises(ValueError):
        NumberFormat(decimals=-1)


def test_neural_networks_writes_its_weight_in_one_format() -> None:
    """The scene's static weight label and its sweeping counter both come from one NumberFormat."""
    from scenes import neural_networks

    assert isinstance(neural_networks.WEIGHTS, NumberFormat) and neural_networks.WEIGHTS.decimals is not None
    source = open(neural_networks.__file__).read()
    assert "num_decimal_places=2" not in source and "fmt_number(screen.net.weights" not in source
