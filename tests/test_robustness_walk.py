"""Every URL pattern of the site, walked with hostile values: no answer is a 5xx (issue 16).

The walker reads the URL patterns from Django's resolver (so a new page is walked
without anyone listing it), and for anonymous visitors, a reporter and an editor
requests each one with path segments and query parameters drawn by hypothesis from
a pool of hostile values (non-ASCII digits, 5,000-digit numbers, ids beyond 64 bits,
dates at the calendar's edges, control characters, markup, very long text) mixed
with valid ones (so the views get past their lookups), as GET or as a POST of
hostile form fields. Every example walks every pattern once; examples are few,
seeded and derandomised, so the walk is the same in every run and takes well under
a minute on SQLite. A failure shrinks to the smallest request that gives the 5xx.
"""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RegexPattern
from django.utils import timezone
from django.utils.http import urlencode
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from articles.models import Article, EditorialComment, Issue, Page
from articles.services import sharing

from .factories import login, make_article, make_photo, make_reporter, make_union, make_user

pytestmark = pytest.mark.django_db

BIG = "9" * 5000
HOSTILE = [
    "²", "٣", "١٢", BIG, "99999999999999999999999", "-1", "0", "", " ", "\x00", "\x0b", "\x1b[2J",
    "%00", "%zz", "../../etc/passwd", "<script>alert(1)</script>", "'\"><", "𝕏", "工会" * 300,
    "9999-12-31T23:59:59-14:00", "0001-01-01", "0001-01-01T00:00:00+14:00", "9999-12-31", "2025-02-30",
    "NaN", "1e309", "true", "[]", "{}", "a" * 3000, "标题\r\nBcc: x@example.org", "None", "0x10",
    "https://evil.example/", "//evil.example", "javascript:alert(1)",
    # Shaped like the segments of dated URLs, at and past their edges.
    "0000", "0001", "9999", "00", "13", "32", "99", "000", "999",
]
QUERY_NAMES = [
    "before", "before_id", "before_score", "q", "p", "o", "e", "union", "reporter", "published", "status",
    "a", "b", "CKEditorFuncNum", "responseType", "day", "date_from", "date_to", "updated_since", "since",
    "limit", "fields", "print_date", "print_page", "include_sub_bodies", "next", "_changelist_filters",
    "locked", "state", "published_at__year", "published_at__month", "taken_on__year", "id__exact", "term",
    "app_label", "model_name", "field_name", "_popup", "_to_field", "all", "before_date", "format",
]
POST_NAMES = [
    "title", "kicker", "lead", "body", "caption", "version", "expected_version", "reason", "note", "text",
    "days", "publish_at", "action", "_selected_action", "select_across", "index", "change_note",
    "public_note", "opinion", "acknowledged", "name", "slug", "username", "password", "q", "post",
    "union_links-TOTAL_FORMS", "union_links-INITIAL_FORMS", "union_links-0-union_body", "upload",
]
# Requests the walker must not make: logging out would end the role's session mid-walk.
SKIPPED = {"admin:logout"}


def _patterns(patterns=None, namespace=None):
    """(reverse name, its parameter names) of every named URL pattern."""
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            inner = ":".join(filter(None, [namespace, entry.namespace])) or None
            yield from _patterns(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            pattern = entry.pattern
            params = list(pattern.regex.groupindex) if isinstance(pattern, RegexPattern) else list(
                pattern.converters)
            yield ":".join(filter(None, [namespace, entry.name])), params


PATTERNS = sorted({name: params for name, params in _patterns() if name not in SKIPPED}.items())


@pytest.fixture
def world(tmp_path, settings):
    """One of everything a URL can name, so valid values reach the views' insides."""
    settings.MEDIA_ROOT = tmp_path / "media"
    editor = make_user("walker_editor", group="编辑")
    reporter = make_user("walker_reporter", group="记者")
    body = make_union("朝阳区总工会", slug="chaoyang")
    author = make_reporter("张晶", slug="zhang-jing")
    photo = make_photo()
    story = make_article("工会新闻", unions=[body], reporters=[author], photos=[photo], body="<p>正文</p>")
    make_article("草稿", status=Article.Status.DRAFT, created_by=reporter)
    issue = Issue.objects.create(date=timezone.localdate(story.published_at), number=1, total_number=1,
                                 is_published=True)
    Page.objects.create(issue=issue, number=1, name="要闻")
    EditorialComment.objects.create(article=story, author=editor, text="留言")
    link = sharing.create_link(article=story, user=editor, days=3)
    token = sharing.token_for(link)
    day = timezone.localdate(story.published_at)
    valid = {
        "pk": [story.pk], "story_id": [story.pk], "photo_id": [photo.pk], "slug": ["chaoyang", "zhang-jing"],
        "issue_date": [day.isoformat()], "year": [f"{day.year:04d}"], "month": [f"{day.month:02d}"],
        "day": [f"{day.day:02d}"], "number": ["1"], "section": ["news", "articles"], "token": [token],
        "action": ["publish", "withdraw", "submit"], "version_id": ["1"], "link_id": [link.pk],
        "app_label": ["articles"], "content_type_id": [ContentType.objects.get_for_model(Article).pk],
        "object_id": [story.pk, photo.pk, body.pk, author.pk, issue.pk, "1"],
    }
    return {"editor": editor, "reporter": reporter, "valid": valid}


def _url(data, name, params, valid):
    """A URL of pattern `name`: each segment hostile or valid, as the pattern allows."""
    for _ in range(4):
        kwargs = {}
        for param in params:
            pool = [str(v) for v in valid.get(param, ["1"])]
            kwargs[param] = data.draw(st.sampled_from(pool) | st.sampled_from(HOSTILE), label=param)
        try:
            return reverse(name, kwargs=kwargs)
        except NoReverseMatch:  # the converter refuses the value: the URL cannot carry it
            continue
    return reverse(name, kwargs={param: str(valid.get(param, ["1"])[0]) for param in params})


def _fields(data, names):
    drawn = data.draw(st.lists(st.sampled_from(names), max_size=4, unique=True), label="names")
    return {name: data.draw(st.sampled_from(HOSTILE), label=name) for name in drawn}


def _walk(client, data, valid, statuses):
    for name, params in PATTERNS:
        url = _url(data, name, params, valid)
        query = _fields(data, QUERY_NAMES)
        target = f"{url}?{urlencode(query)}" if query else url
        post = data.draw(st.booleans(), label="post")
        body = _fields(data, POST_NAMES) if post else None
        try:
            response = client.post(target, body) if post else client.get(target)
        except Exception as error:
            raise AssertionError(f"{'POST' if post else 'GET'} {target[:300]} {body!r:.300} raised {error!r}") from error
        assert response.status_code < 500, (name, target[:300], body, response.status_code)
        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1


# No shrinking: each shrink step would walk the whole site again; the failing
# request is named in the assertion message instead.
WALK = settings(max_examples=2, deadline=None, derandomize=True, database=None,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.data_too_large])


@pytest.mark.parametrize("role", ["anonymous", "reporter", "editor"])
def test_no_url_answers_5xx_to_hostile_values(client, world, role):
    if role != "anonymous":
        login(client, world[role])

    statuses = {}

    @WALK
    @given(data=st.data())
    def walk(data):
        _walk(client, data, world["valid"], statuses)

    walk()
    # The walk reaches real pages, not only refusals: valid values get past the lookups.
    assert statuses.get(200, 0) >= 50, statuses


def test_the_walker_knows_every_kind_of_page():
    """The resolver gives the walker the public site, the API and the admin (and nothing is lost)."""
    names = {name for name, _ in PATTERNS}
    assert {"articles:front", "articles:archive_day", "articles:share_link", "api-1:story",
            "admin:articles_article_change", "admin:articles_article_trash", "ckeditor_upload"} <= names
