from pathlib import Path

import pytest

from kiosque.conf import SETTINGS

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda s: s.name)
def test_every_setting_has_help_and_is_in_the_readme(setting):
    assert setting.help.strip(), f"{setting.name} has no help line"
    assert f"`{setting.name}`" in README, f"{setting.name} is missing from the README's configuration table"


def test_setting_names_are_unique():
    names = [s.name for s in SETTINGS]
    assert len(names) == len(set(names))
