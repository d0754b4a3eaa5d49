from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kiosque.moderation.models import ReportReason


class ReportForm(forms.Form):
    """A reader's report: the reason is optional."""

    reason = forms.ChoiceField(
        label=_("Why? (optional)"),
        required=False,
        choices=[("", _("No particular reason")), *ReportReason.choices],
        widget=forms.RadioSelect,
    )


class DecisionForm(forms.Form):
    """A moderator's note for the audit log."""

    reason = forms.CharField(
        label=_("Why (kept in the moderation log)"), required=False, max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
    )
