from django import forms
from django.conf import settings

from .models import TokenScope


class ApiTokenForm(forms.Form):
    name = forms.CharField(max_length=100, help_text="What the token is for, e.g. 'CI deploys' or 'my laptop CLI'.")
    scope = forms.ChoiceField(choices=TokenScope.choices, initial=TokenScope.READ)
    expires_in_days = forms.IntegerField(min_value=1, max_value=settings.API_TOKEN_MAX_DAYS, initial=90)
