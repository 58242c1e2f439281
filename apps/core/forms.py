from django import forms


class AnnouncementForm(forms.Form):
    message = forms.CharField(max_length=500, widget=forms.TextInput(attrs={"autocomplete": "off"}))
    level = forms.ChoiceField(choices=[("info", "Info"), ("warning", "Warning"), ("critical", "Critical")])
