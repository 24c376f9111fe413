"""The parameters file: every number has a data row or is a named assumption with a range, and
a bad entry names the file, the key and the valid range."""

from pathlib import Path

import pytest
import yaml

from cruce.simulation.parameters import PARAMETERS_FILE, load_parameters, parameters


def _write(tmp_path: Path, change) -> Path:
    data = yaml.safe_load(PARAMETERS_FILE.read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "parameters.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def test_every_parameter_has_a_basis_and_data_parameters_name_their_rows() -> None:
    for name, parameter in parameters().items():
        kind = parameter.basis.split(":")[0].split(";")[0]
        assert kind in {"data", "fitted", "assumption", "scenario lever"}, name
        if kind == "data" and name != "fear_share_multiplier":  # read per year in inputs.py
            assert parameter.rows, name
            for datum in parameter.rows:
                assert datum.ref in parameter.basis, (name, datum.ref)
        low, high = parameter.default.support()
        assert parameter.valid[0] <= low <= high <= parameter.valid[1], name


def test_a_value_read_from_a_row_is_that_row() -> None:
    p = parameters()["polygraph_pass_rate"]
    (row,) = p.rows
    assert row.table == "cbp_hiring_metrics"
    assert p.default.mean() == round(1 - row.value, 4)


def test_a_value_outside_its_range_names_the_file_key_and_range(tmp_path: Path) -> None:
    def bad(data: dict) -> None:
        data["parameters"]["relief_rate"]["default"]["high"] = 1.3

    with pytest.raises(ValueError, match=r"parameters.yaml: parameters.relief_rate: .*\[0, 1\]"):
        load_parameters(_write(tmp_path, bad))


def test_a_fixed_assumption_needs_a_plausible_range(tmp_path: Path) -> None:
    def bad(data: dict) -> None:
        del data["parameters"]["family_child_share"]["plausible"]

    with pytest.raises(ValueError, match=r"family_child_share: .*plausible range"):
        load_parameters(_write(tmp_path, bad))


def test_a_formula_may_only_name_rows(tmp_path: Path) -> None:
    def bad(data: dict) -> None:
        data["parameters"]["polygraph_pass_rate"]["default"]["value"] = "__import__('os')"

    with pytest.raises(ValueError, match=r"polygraph_pass_rate: .*not a number, a row named"):
        load_parameters(_write(tmp_path, bad))


def test_two_bases_are_refused(tmp_path: Path) -> None:
    def bad(data: dict) -> None:
        data["parameters"]["relief_rate"]["lever"] = "also a lever"

    with pytest.raises(ValueError, match=r"parameters.yaml: .*exactly one basis"):
        load_parameters(_write(tmp_path, bad))
