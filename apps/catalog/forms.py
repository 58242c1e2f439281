from django import forms

from .backstage.importer import SOURCE_MAX
from .backstage.parse import MAX_BYTES
from .models import Category, ComplianceLevel, ContainerStatus
from .selectors import ServiceFilters


def _choices(label: str, choices) -> list[tuple[str, str]]:
    return [("", label), *choices]


class WallFilterForm(forms.Form):
    """The wall's filter bar: a GET form, so every filtered view has a URL to share."""

    q = forms.CharField(required=False, max_length=100, label="Search")
    category = forms.ChoiceField(required=False, choices=_choices("All categories", Category.choices))
    status = forms.ChoiceField(required=False, choices=_choices("Any status", ContainerStatus.choices))
    owner = forms.ChoiceField(required=False, choices=[])
    level = forms.ChoiceField(required=False, label="Compliance", choices=_choices("Any level", ComplianceLevel.choices))
    orphaned = forms.BooleanField(required=False, label="Orphaned too")

    def __init__(self, data=None, *, owners: list[str]):
        super().__init__(data)
        self.fields["owner"].choices = _choices("Any owner", [(o, o) for o in owners])

    def selects(self) -> list[dict]:
        """The choice fields as plain data for the template to write out: Django's widget
        renderer costs several milliseconds per page of options."""
        return [{"name": name, "label": self[name].label, "choices": self.fields[name].choices,
                 "value": self[name].value() or ""} for name in ("category", "status", "owner", "level")]

    def filters(self) -> ServiceFilters:
        """What was valid of what was asked; an invalid field is left out (and says so)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return ServiceFilters(
            category=data.get("category") or None,
            status=data.get("status") or None,
            owner=data.get("owner") or None,
            level=data.get("level") or None,
            q=(data.get("q") or "").strip() or None,
            include_orphaned=bool(data.get("orphaned")),
        )


class CatalogImportForm(forms.Form):
    file = forms.FileField(required=False, label="catalog-info.yaml file")
    text = forms.CharField(required=False, label="…or paste YAML", strip=False,
                           widget=forms.Textarea(attrs={"rows": 12, "spellcheck": "false"}))
    source = forms.CharField(
        required=False, max_length=SOURCE_MAX, label="Source",
        help_text="Where this YAML lives, e.g. its repository URL. Services imported earlier from the same source "
                  "and missing now are marked orphaned. Empty: upload:<file name>.",
    )
    adopt = forms.BooleanField(
        required=False, label="Adopt services that came from another source",
        help_text="Without this, an entity already imported from elsewhere is reported, not overwritten.",
    )

    def clean(self):
        cleaned = super().clean()
        upload, text = cleaned.get("file"), cleaned.get("text") or ""
        if upload and text.strip():
            raise forms.ValidationError("Choose a file or paste YAML, not both.")
        if not upload and not text.strip():
            raise forms.ValidationError("Choose a catalog-info.yaml file or paste its YAML.")
        if upload:
            # Bytes, at most one over the limit: the importer decodes them and reports a size or encoding problem.
            cleaned["yaml"] = upload.read(MAX_BYTES + 1)
            cleaned["filename"] = upload.name
        else:
            cleaned["yaml"] = text
            cleaned["filename"] = "pasted.yaml"
        cleaned["source"] = (cleaned.get("source") or "").strip() or f"upload:{cleaned['filename']}"
        return cleaned
