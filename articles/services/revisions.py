"""Every saved version of a story, with its byline, union bodies and photos (django-reversion).

Why django-reversion (and not django-simple-history): a revision here is a
snapshot of the story *and its parts* taken at the end of a block. The admin
saves the story first and its inline rows (byline, union bodies, photos) after
it; one block around the whole request puts all of them in one revision.
simple-history records the article row when it is saved, before the inlines,
and rows of a through model saved directly (as admin inlines do) never send
m2m_changed, so its m2m history would miss a byline change.

Where revisions are made:
- the workflow (workflow.py) opens a block around every save and
  transition, with the user and what happened as the revision's comment;
- the admin opens one block around each story request (so inline rows join);
- any other plain `Article.save()` (a shell, a command, the importer) gets its
  own revision from the post_save receiver below: nothing escapes, and blocks
  nest, so a save inside a block is never recorded twice.

Restoring goes through the workflow (`workflow.restore_revision`), never
`Revision.revert()`: that would also bring back the old status and version
counter, bypassing the rules and the optimistic lock.
"""

import difflib
import html
import re
from contextlib import contextmanager

import reversion
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.db.models.signals import post_save
from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe
from reversion.models import Version

from ..models import Article, ArticlePhoto, ArticleUnionBody, Byline, Photo, Reporter, UnionBody
from ..parsing import parse_int
from . import permissions

# The story's own fields a revision restores; status, times and the version
# counter belong to the workflow and are never taken from an old revision.
CONTENT_FIELDS = ["kicker", "title", "subtitle", "source_label", "lead", "body", "print_date", "print_page"]
PARTS = {"bylines": Byline, "union_links": ArticleUnionBody, "photo_links": ArticlePhoto}


def register_models():
    """Called once from ArticlesConfig.ready()."""
    if reversion.is_registered(Article):
        return
    reversion.register(Article, follow=list(PARTS))
    for model in PARTS.values():
        reversion.register(model)
    post_save.connect(_record_plain_save, sender=Article, dispatch_uid="articles_revision_plain_save")


def _record_plain_save(sender, instance, raw=False, **kwargs):
    """A save outside any revision block (shell, command) still keeps a version."""
    if raw or reversion.is_active():
        return
    with reversion.create_revision():
        reversion.add_to_revision(instance)
        reversion.set_comment("直接保存（未经编辑部后台）")


@contextmanager
def recording(*, user=None, comment=""):
    """A revision block: everything saved inside is one revision, by `user`, saying `comment`.

    Blocks nest: an inner block joins the outer one, and the last comment set wins.
    """
    with reversion.create_revision():
        if permissions.account(user) is not None:
            reversion.set_user(user)
        if comment:
            reversion.set_comment(comment)
        yield


def history(article):
    """The story's versions, newest first, each with its revision and user."""
    return (
        Version.objects.get_for_object(article)
        .select_related("revision__user")
        .order_by("-revision__date_created", "-pk")
    )


def version_of(article, version_id):
    """The version `version_id` of `article`, or None (never another story's)."""
    version_id = parse_int(version_id)
    if version_id is None:
        return None
    return history(article).filter(pk=version_id).first()


def number(version):
    """The story's version counter as stored in that version (第 N 版)."""
    return version.field_dict.get("version")


# --- reading a version ----------------------------------------------------------


def parts_of(version):
    """{"bylines": [...], "union_links": [...], "photo_links": [...]}: unsaved rows as they were."""
    found = {name: [] for name in PARTS}
    article_id = int(version.object_id)
    for name, model in PARTS.items():
        ct = ContentType.objects.get_for_model(model)
        for part in version.revision.version_set.filter(content_type=ct):
            obj = _stored_object(part)
            if obj.article_id == article_id:
                found[name].append(obj)
        found[name].sort(key=lambda row: (getattr(row, "order", 0), row.pk or 0))
    return found


def _stored_object(version):
    """The unsaved model instance a Version holds, read with Django's own deserializer
    (reversion's public API offers only `field_dict`, which lacks the row's model)."""
    stored = next(serializers.deserialize(version.format, version.serialized_data, ignorenonexistent=True))
    return stored.object


def snapshot(version):
    """What a version of the story said, as text, for the compare view."""
    fields = version.field_dict
    parts = parts_of(version)
    reporters = Reporter.objects.in_bulk([b.reporter_id for b in parts["bylines"]])
    bodies = UnionBody.objects.in_bulk([u.union_body_id for u in parts["union_links"]])
    photos = Photo.objects.in_bulk([p.photo_id for p in parts["photo_links"]])
    roles = dict(Byline.Role.choices)

    def name(objects, pk, attr):
        obj = objects.get(pk)
        return getattr(obj, attr) if obj else f"（已删除 #{pk}）"

    return {
        "kicker": fields.get("kicker") or "",
        "title": fields.get("title") or "",
        "subtitle": fields.get("subtitle") or "",
        "source_label": fields.get("source_label") or "",
        "lead": fields.get("lead") or "",
        "body": html_to_text(fields.get("body") or ""),
        "union_bodies": "、".join(name(bodies, u.union_body_id, "name") for u in parts["union_links"]),
        "byline": " ".join(
            f"{roles.get(b.role, b.role)} {name(reporters, b.reporter_id, 'name')}" for b in parts["bylines"]
        ),
        "photos": "\n".join(
            ("［题图］" if p.is_lead else "") + (name(photos, p.photo_id, "caption") or f"图片 {p.photo_id}")
            for p in parts["photo_links"]
        ),
        "print": " ".join(
            str(v) for v in (fields.get("print_date"), fields.get("print_page") and f"第{fields['print_page']}版") if v
        ),
    }


COMPARED = [
    ("kicker", "引题"), ("title", "主题"), ("subtitle", "副题"), ("source_label", "消息来源"),
    ("byline", "署名"), ("union_bodies", "工会组织"), ("lead", "导语"), ("body", "正文"),
    ("photos", "图片"), ("print", "见报"),
]


def html_to_text(value):
    """The body's paragraphs as plain lines (what a reader would read)."""
    value = re.sub(r"(?i)<br\s*/?>|</(p|h2|h3|li|blockquote)>", "\n", value)
    text = html.unescape(strip_tags(value))
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def _diff(old, new):
    """Character-level diff (Chinese has no spaces): old with <del>, new with <ins>."""
    left, right = [], []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        a, b = escape(old[a1:a2]), escape(new[b1:b2])
        if op == "equal":
            left.append(a)
            right.append(b)
        else:
            if a:
                left.append(f"<del>{a}</del>")
            if b:
                right.append(f"<ins>{b}</ins>")
    return (mark_safe("".join(left).replace("\n", "<br>")),
            mark_safe("".join(right).replace("\n", "<br>")))


def compare(old_version, new_version):
    """Rows of (label, old html, new html, changed) for the side-by-side view."""
    old, new = snapshot(old_version), snapshot(new_version)
    rows = []
    for key, label in COMPARED:
        left, right = _diff(old[key], new[key])
        rows.append((label, left, right, old[key] != new[key]))
    return rows


# --- restoring (called by workflow.restore_revision, inside its transaction) ---------


def apply(article, version):
    """Put the version's content and parts back on `article` (not saved; parts are).

    Parts whose reporter, union body or photo has since been deleted are left out
    and named in the returned list.
    """
    fields = version.field_dict
    for name in CONTENT_FIELDS:
        if name in fields:
            setattr(article, name, fields[name])
    parts = parts_of(version)
    missing = []
    existing = {
        "reporter_id": set(Reporter.objects.filter(pk__in=[b.reporter_id for b in parts["bylines"]]).values_list("pk", flat=True)),
        "union_body_id": set(UnionBody.objects.filter(pk__in=[u.union_body_id for u in parts["union_links"]]).values_list("pk", flat=True)),
        "photo_id": set(Photo.objects.filter(pk__in=[p.photo_id for p in parts["photo_links"]]).values_list("pk", flat=True)),
    }
    for name, model in PARTS.items():
        getattr(article, name).all().delete()
        for old in parts[name]:
            values = {
                field.attname: getattr(old, field.attname)
                for field in model._meta.concrete_fields
                if not field.primary_key and field.attname != "article_id" and field.editable
            }
            target = next(key for key in existing if key in values)
            if values[target] not in existing[target]:
                missing.append(f"{model._meta.verbose_name} #{values[target]}")
                continue
            model(article=article, **values).save()
    return missing
