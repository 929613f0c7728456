"""Small pieces every admin module shares: times, a capped paginator, protected
deletes, number parsing and the one page that may run CKEditor's inline scripts."""

from datetime import datetime

from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_replace
from django.contrib import messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import quote
from django.contrib.admin.views.main import ChangeList
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import ProtectedError, RestrictedError
from django.http import HttpResponseRedirect
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property

from ..parsing import date_refusal


class CappedCountPaginator(Paginator):
    """Counts at most CAP rows, so a list of 100,000 stories never COUNTs them all.

    Past the cap the list offers CAP rows' worth of pages; filters, search and
    the date hierarchy narrow it down, which is how a newsroom looks for a story.
    """

    CAP = 10_000

    @cached_property
    def count(self):
        return self.object_list.order_by().values("pk")[: self.CAP].count()


class TolerantChangeList(ChangeList):
    """A list whose crafted filter values (`?published_at__year=99999`, a 30-digit id)
    end as Django's own "bad filter" redirect (`?e=1`), not as a 500.

    Django turns the date hierarchy's bad values into IncorrectLookupParameters itself,
    but not those of other field lookups the list accepts: they only fail when the
    database (or the date arithmetic before it) meets them.
    """

    def get_results(self, request):
        try:
            super().get_results(request)
        except (ValueError, OverflowError) as error:
            raise IncorrectLookupParameters(error) from error

    def url_for_result(self, result):
        """Django's change-page address, reversed once per list rather than once per row
        (fifty reverses were a tenth of the story list's render); the same string."""
        if not hasattr(self, "_change_url"):
            self._change_url = super().url_for_result(_Placeholder(self.pk_attname)).split(_Placeholder.PK)
        return str(quote(getattr(result, self.pk_attname))).join(self._change_url)


class _Placeholder:
    """A row whose primary key is a marker that `reverse()` leaves as it is."""

    PK = "0pk0"

    def __init__(self, attname):
        setattr(self, attname, self.PK)


class TolerantChangeListMixin:
    def get_changelist(self, request, **kwargs):
        return TolerantChangeList


def local_time(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else "—"


class ProtectedDeleteMixin:
    """A delete that the database refuses (PROTECT) ends in a Chinese message, never a 500.

    Django's admin already lists the protected objects before it deletes; this
    covers the moment between that check and the delete (a story added meanwhile).
    """

    def _refused(self, request, error):
        names = "、".join(sorted({str(obj) for obj in error.protected_objects})[:10]) if hasattr(
            error, "protected_objects") else ""
        self.message_user(
            request,
            f"无法删除：仍有稿件或其他资料在使用它{('（' + names + '）') if names else ''}。",
            messages.ERROR,
        )
        return HttpResponseRedirect(request.path)

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except (ProtectedError, RestrictedError) as error:
            return self._refused(request, error)

    def changelist_view(self, request, extra_context=None):
        try:
            return super().changelist_view(request, extra_context)
        except (ProtectedError, RestrictedError) as error:  # delete_selected
            return self._refused(request, error)


def parse_local_datetime(value):
    """`2025-05-01T09:30` from a datetime-local input, in the newsroom's time zone."""
    for pattern in ("%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"):
        try:
            moment = timezone.make_aware(datetime.strptime((value or "").strip(), pattern))
        except (ValueError, OverflowError):
            continue
        refusal = date_refusal(moment, "定时发布的时间")
        if refusal:
            raise ValidationError(refusal)
        return moment
    raise ValidationError("请填写正确的定时发布时间（年-月-日 时:分）。")




# CKEditor 4 writes an inline script into its editing frame and puts inline
# event handlers (onclick, onmousedown …) and javascript: links on its
# toolbar; a policy can only allow those as 'unsafe-inline' (with a nonce in
# the list, browsers ignore 'unsafe-inline'). So the story form, and only it,
# runs with script-src 'self' 'unsafe-inline'. What it shows is still safe:
# bodies are sanitised on save (articles/sanitize.py) and everything else is
# escaped by Django. Every other admin page and the whole public site keep the
# strict policy (newsroom/settings.py). Replacing CKEditor 4 removes this.
allows_ckeditor_scripts = method_decorator(csp_replace({"script-src": [SELF, UNSAFE_INLINE]}))


class NamedEmptyChoice(AutocompleteSelect):
    """An autocomplete box whose "no choice" option says so: HTML does not allow an empty
    <option> without a label (the Nu HTML checker), which Django writes for optional fields."""

    def create_option(self, name, value, label, *args, **kwargs):
        return super().create_option(name, value, label if value != "" else "（无）", *args, **kwargs)


class NamedEmptyChoiceMixin:
    """A ModelAdmin whose optional autocomplete fields use NamedEmptyChoice."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request) and "widget" not in kwargs:
            kwargs["widget"] = NamedEmptyChoice(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
