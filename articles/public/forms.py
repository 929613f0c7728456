"""The public search form: the query and its filters, read from the URL."""

from html import escape  # Django's escape is this one behind a lazy-string wrapper

from django import forms
from django.forms.utils import flatatt
from django.utils.safestring import mark_safe

from .. import search
from ..models import Reporter


class PlainSelect(forms.Select):
    """A <select> written out in Python. Django's renders every <option> through the
    template engine, which for the ~300 union bodies of the search form cost more
    than the whole search. Same markup: name, the bound field's attributes (id,
    aria-invalid), one option per choice, the current value selected."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = {str(v) for v in self.format_value(value)}
        options = "".join(
            f'<option value="{escape(key)}"{" selected" if str(key) in chosen else ""}>{escape(label)}</option>'
            for key, label in self.choices
        )
        return mark_safe(f'<select name="{escape(name)}"{flatatt(self.build_attrs(self.attrs, attrs))}>'
                         f"{options}</select>")


class SearchForm(forms.Form):
    """?q=&union=<slug>&reporter=<slug>&from=<date>&to=<date>; bad values get a Chinese message.

    The union bodies come from the directory the search loads anyway (no query of
    their own); a reporter is looked up only when the URL names one.
    """

    q = forms.CharField(label="搜索词", max_length=100, required=False, strip=True)
    union = forms.ChoiceField(label="工会组织", required=False, widget=PlainSelect,
                              error_messages={"invalid_choice": "没有这个工会组织。"})
    reporter = forms.CharField(label="记者", required=False, max_length=80)
    date_from = forms.DateField(label="起始日期", required=False,
                                error_messages={"invalid": "起始日期应为 2025-06-12 这样的日期。"})
    date_to = forms.DateField(label="截止日期", required=False,
                              error_messages={"invalid": "截止日期应为 2025-06-12 这样的日期。"})

    def __init__(self, data=None, *, directory, **kwargs):
        # The URL says from= and to=; short and readable in a shared link.
        if data is not None:
            data = data.copy()
            for name, key in (("date_from", "from"), ("date_to", "to")):
                if key in data:
                    data[name] = data.pop(key)[-1]
            data["q"] = data.get("q", "").strip()[:100]  # a longer paste is cut, not refused
        super().__init__(data, **kwargs)
        self.directory = directory
        self.fields["union"].choices = [("", "全部工会组织")] + [
            (body.slug, "　" * depth + body.name) for body, depth in self._tree()
        ]

    def _tree(self, parent=None, depth=0):
        for body in self.directory.children(parent):
            yield body, depth
            yield from self._tree(body, depth + 1)

    def clean_union(self):
        slug = self.cleaned_data.get("union")
        return self.directory.get(slug) if slug else None

    def clean_reporter(self):
        slug = self.cleaned_data.get("reporter")
        if not slug:
            return None
        reporter = Reporter.objects.filter(slug=slug).first()
        if reporter is None:
            raise forms.ValidationError("没有这位记者。")
        return reporter

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("date_from"), cleaned.get("date_to")
        if first and last and first > last:
            del cleaned["date_from"], cleaned["date_to"]
            raise forms.ValidationError("起始日期不能晚于截止日期。")
        return cleaned

    def filters(self):
        """The valid filters as search.Filters (the invalid ones are dropped, with their message)."""
        data = getattr(self, "cleaned_data", {})
        return search.Filters(union=data.get("union"), reporter=data.get("reporter"),
                              date_from=data.get("date_from"), date_to=data.get("date_to"))
