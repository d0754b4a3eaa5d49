from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Words"), required=False, max_length=200)
    lang = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=[("", _("All languages")), ("fr", "Français"), ("ar", "العربية"), ("en", "English")],
    )
    # A slug checked against the (slug, name) pairs, not a ChoiceField: with a thousand outlets, a
    # ModelChoiceField's widget templates cost ~300 ms a page and even a ChoiceField re-normalises its
    # choices several times per request (~4 ms); the template renders the options in one pass.
    source = forms.CharField(label=_("Source"), required=False, max_length=100)
    start = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args: Any, sources: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._sources = sources
        self._slugs = {slug for slug, _name in sources}

    @property
    def source_choices(self) -> list[tuple[str, str]]:
        return [("", str(_("All sources"))), *self._sources]

    def clean_source(self) -> str:
        slug: str = self.cleaned_data["source"]
        if slug and slug not in self._slugs:
            raise forms.ValidationError(_("Select a valid choice. That choice is not one of the available choices."))
        return slug

    def _at(self, day: date | None, *, end: bool) -> datetime | None:
        if day is None:
            return None
        start = datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())
        return start + timedelta(days=1) if end else start

    def since(self) -> datetime | None:
        return self._at(self.cleaned_data.get("start"), end=False)

    def until(self) -> datetime | None:
        return self._at(self.cleaned_data.get("end"), end=True)

    def query_string(self) -> str:
        """The search's parameters without the page number, for pagination links."""
        keep = {k: v for k, v in self.data.items() if k != "page" and v}
        return urlencode(keep)
